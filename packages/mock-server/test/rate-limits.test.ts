import { describe, expect, it } from 'vitest';
import { authorizeUrl, dashboardKey, get, pkce, postForm, postJson, register, shortcutUrl, start } from './helpers.js';

const CALLBACK = 'http://127.0.0.1:5555/callback';

/** One request to each rate-limited OAuth endpoint, valid or not: the limit counts requests, not successes. */
function endpointRequests(url: string, clientId: string): Record<string, () => Promise<Response>> {
  return {
    '/auth': () => get(shortcutUrl({ url } as never, { callback_url: CALLBACK, code_challenge: pkce().challenge })),
    '/oauth/authorize': () => get(authorizeUrl({ url } as never, { client_id: clientId, redirect_uri: CALLBACK, code_challenge: pkce().challenge })),
    '/oauth/register': () => postJson(`${url}/oauth/register`, { client_name: 'Flood', redirect_uris: [CALLBACK] }),
    '/oauth/token': () => postForm(`${url}/oauth/token`, { grant_type: 'authorization_code', client_id: clientId, redirect_uri: CALLBACK, code: 'x', code_verifier: pkce().verifier }),
    '/api/v1/auth/keys': () => postJson(`${url}/api/v1/auth/keys`, { code: 'x', code_verifier: pkce().verifier }),
  };
}

async function status(res: Response): Promise<number> {
  await res.arrayBuffer();
  return res.status;
}

describe('per-IP rate limits of the OAuth endpoints', () => {
  it('each endpoint answers 429 with Retry-After past its limit, counted on its own, until the minute is over', async () => {
    const frozen = Date.UTC(2030, 0, 1, 12, 0, 0);
    const server = await start({ oauthRateLimit: { perMinute: 2 }, now: () => frozen });
    const clientId = await register(server, [CALLBACK]);
    const requests = endpointRequests(server.url, clientId);
    for (const [path, send] of Object.entries(requests)) {
      // `register` above already counted once for /oauth/register.
      const allowed = path === '/oauth/register' ? 1 : 2;
      for (let index = 0; index < allowed; index++) expect(await status(await send()), path).not.toBe(429);
      const refused = await send();
      expect(refused.status, path).toBe(429);
      expect(refused.headers.get('retry-after'), path).toBe('60');
      expect(await refused.json(), path).toMatchObject({ error: 'rate_limit_exceeded' });
    }
    // The API, discovery and the consent form are not these endpoints.
    const key = await dashboardKey(server);
    expect(await status(await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${key}` }))).toBe(200);
    expect(await status(await get(`${server.url}/.well-known/oauth-authorization-server`))).toBe(200);
    await server.controls.advanceClock(60);
    for (const [path, send] of Object.entries(requests)) expect(await status(await send()), path).not.toBe(429);
  });

  it('a flood of /auth is refused before it opens consents', async () => {
    const server = await start({ oauthRateLimit: { perMinute: 5 } });
    const answers = [];
    for (let index = 0; index < 20; index++) answers.push(await status(await get(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: pkce().challenge }))));
    expect(answers.filter((answer) => answer === 200)).toHaveLength(5);
    expect(answers.filter((answer) => answer === 429)).toHaveLength(15);
    expect((await server.controls.stats()).consents).toBe(5);
  });

  it('is generous by default (1000 a minute per endpoint) and can be turned off', async () => {
    const limited = await start({ oauthRateLimit: { perMinute: 0 } });
    expect(await status(await get(shortcutUrl(limited, { callback_url: CALLBACK, code_challenge: pkce().challenge })))).toBe(429);
    const open = await start({ oauthRateLimit: { perMinute: null }, maxEntries: { consents: 10 } });
    const byDefault = await start({ maxEntries: { consents: 10 } });
    for (const server of [open, byDefault]) {
      for (let index = 0; index < 200; index++) {
        expect(await status(await get(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: pkce().challenge })))).toBe(200);
      }
    }
    await expect(start({ oauthRateLimit: { perMinute: -1 } })).rejects.toMatchObject({ code: 'invalid_options' });
  });
});
