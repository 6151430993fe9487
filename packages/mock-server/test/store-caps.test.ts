import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { RateLimiter } from '../src/store/rate-limit.js';
import { authorizeUrl, codeFrom, get, pkce, postJson, register, shortcutUrl, start } from './helpers.js';

/** Every flood below would pass these caps many times over. */
const CAPS = { clients: 20, consents: 50, codes: 10, deviceLogins: 5, keys: 8 };
const noRateLimits = { oauthRateLimit: { perMinute: null }, deviceRateLimit: { startPerMinute: null, pollPerMinute: null } };

const callback = (index: number): string => `http://127.0.0.1:${5000 + index}/callback`;

async function status(res: Response): Promise<number> {
  await res.arrayBuffer();
  return res.status;
}

async function redeem(url: string, location: string, verifier: string): Promise<string> {
  const res = await postJson(`${url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: verifier });
  expect(res.status).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

describe('bounded memory', () => {
  it('HEAD on the consent pages answers their headers and creates nothing', async () => {
    const server = await start();
    const urls = [
      shortcutUrl(server, { callback_url: callback(1), code_challenge: pkce().challenge }),
      authorizeUrl(server, { client_id: await register(server, [callback(1)]), redirect_uri: callback(1), code_challenge: pkce().challenge }),
    ];
    for (const url of urls) {
      const res = await fetch(url, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const { user_code: userCode } = (await (await postJson(`${server.url}/api/cli-login/start`, {})).json()) as { user_code: string };
    expect((await fetch(`${server.url}/cli-login/verify?code=${userCode}`, { method: 'HEAD' })).status).toBe(200);
    expect(await server.controls.stats()).toMatchObject({ consents: 0, callbackClients: 0 });
    // GET still opens the consent.
    expect(await status(await get(urls[0] ?? ''))).toBe(200);
    expect(await server.controls.stats()).toMatchObject({ consents: 1, callbackClients: 1 });
  });

  it('a flood of /auth and registrations stays under the caps; the newest still work, the oldest are gone', async () => {
    const server = await start({ maxEntries: CAPS, ...noRateLimits });
    const clientIds: string[] = [];
    for (let index = 0; index < 300; index++) {
      expect(await status(await get(shortcutUrl(server, { callback_url: callback(index), code_challenge: pkce().challenge })))).toBe(200);
      if (index % 3 === 0) clientIds.push(await register(server, [callback(index)]));
    }
    for (let index = 0; index < 30; index++) await postJson(`${server.url}/api/cli-login/start`, {});
    const sizes = await server.controls.stats();
    expect(sizes).toEqual({ codes: 0, consents: CAPS.consents, deviceLogins: CAPS.deviceLogins, clients: CAPS.clients, callbackClients: CAPS.consents, keys: 0 });
    expect((await server.controls.pending()).deviceLogins).toHaveLength(CAPS.deviceLogins);

    // The newest client signs in; the oldest was evicted (an unknown client, on the server's page).
    const newest = clientIds.at(-1) ?? '';
    const pair = pkce();
    const location = await followConsent(authorizeUrl(server, { client_id: newest, redirect_uri: callback(297), code_challenge: pair.challenge }));
    expect(codeFrom(location)).toBeTruthy();
    expect(await status(await get(authorizeUrl(server, { client_id: clientIds[0], redirect_uri: callback(0), code_challenge: pkce().challenge })))).toBe(400);

    // Approving past the code cap keeps only the newest codes; the oldest can no longer be redeemed.
    const approved: { location: string; verifier: string }[] = [];
    for (let index = 0; index < CAPS.codes + 5; index++) {
      const shortcut = pkce();
      approved.push({ location: await followConsent(shortcutUrl(server, { callback_url: callback(index), code_challenge: shortcut.challenge })), verifier: shortcut.verifier });
    }
    expect((await server.controls.stats()).codes).toBe(CAPS.codes);
    const oldest = approved[0];
    const newestCode = approved.at(-1);
    const refused = await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(oldest?.location ?? ''), code_verifier: oldest?.verifier });
    expect(refused.status).toBe(400);
    expect(await redeem(server.url, newestCode?.location ?? '', newestCode?.verifier ?? '')).toMatch(/^sk-nano-/);

    // An hour later nothing of the flood remains but the clients and the key.
    await server.controls.advanceClock(3600);
    expect(await server.controls.stats()).toEqual({ codes: 0, consents: 0, deviceLogins: 0, clients: CAPS.clients, callbackClients: 1, keys: 1 });
  });

  it('a callback client lives as long as its consent, code or key refers to it, and keeps its key across sign-ins', async () => {
    const server = await start();
    const first = pkce();
    const location = await followConsent(shortcutUrl(server, { callback_url: callback(1), code_challenge: first.challenge }));
    expect(await server.controls.stats()).toMatchObject({ consents: 0, codes: 1, callbackClients: 1 });
    const key = await redeem(server.url, location, first.verifier);
    await server.controls.advanceClock(3600);
    // Only the key still names the client.
    expect(await server.controls.stats()).toMatchObject({ consents: 0, codes: 0, callbackClients: 1, keys: 1 });
    const again = pkce();
    const second = await followConsent(shortcutUrl(server, { callback_url: callback(1), code_challenge: again.challenge }));
    expect(await redeem(server.url, second, again.verifier)).toBe(key);
    await server.controls.reset();
    expect((await server.controls.stats()).callbackClients).toBe(0);
  });

  it('keys beyond the cap: the least recently used goes', async () => {
    const server = await start({ maxEntries: { keys: 3 } });
    const keys = [];
    for (let index = 0; index < 3; index++) keys.push((await server.controls.createKey()).key);
    // /api/v1/usage: an authenticated endpoint (since spec v2 /api/v1/models answers any key 200).
    const models = (key: string | undefined) => get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${key ?? ''}` }).then(status);
    expect(await models(keys[0])).toBe(200);
    keys.push((await server.controls.createKey()).key);
    expect((await server.controls.stats()).keys).toBe(3);
    expect(await models(keys[0])).toBe(200);
    expect(await models(keys[1])).toBe(401);
    expect(await models(keys[3])).toBe(200);
  });

  it('rate-limit windows are bounded too', () => {
    const limiter = new RateLimiter(60_000, 3);
    for (let index = 0; index < 10; index++) expect(limiter.hit(`ip-${index}`, 5, 0)).toBeNull();
    expect(limiter.size).toBe(3);
  });

  it('refuses caps that are not positive integers', async () => {
    for (const cap of [0, -1, 1.5, Number.NaN]) {
      await expect(start({ maxEntries: { consents: cap } })).rejects.toMatchObject({ code: 'invalid_options' });
    }
  });
});
