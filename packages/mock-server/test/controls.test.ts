import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { codeFrom, control, dashboardKey, get, json, pkce, postJson, shortcutUrl, start } from './helpers.js';

const CB = 'http://127.0.0.1:5555/cb';

describe('/__mock test controls', () => {
  it('POST /__mock/keys creates dashboard keys; inspect and list show them masked', async () => {
    const server = await start();
    const res = await postJson(`${server.url}/__mock/keys`, { label: 'Source', expiresAt: '2099-01-01T00:00:00.000Z', restrictions: { limit: 3, usageLimitType: 'weekly' } });
    expect(res.status).toBe(201);
    const { id, key } = (await json(res)) as { id: string; key: string };
    expect(key).toMatch(/^sk-nano-/);
    const inspect = await control(server, 'keys/inspect', { key });
    expect(inspect).toMatchObject({
      id, name: 'Source', kind: 'dashboard', scope: 'models.read api.use', allowedOrigins: [], limit: 3, usageLimitType: 'weekly',
      expiresAt: '2099-01-01T00:00:00.000Z', revoked: false, maskedKey: `sk-nano-…${key.slice(-4)}`,
    });
    const list = await get(`${server.url}/__mock/keys`);
    const text = await list.text();
    expect(text).not.toContain(key);
    expect((JSON.parse(text) as { keys: Array<{ id: string }> }).keys.map((k) => k.id)).toContain(id);
    expect((await control(server, 'keys/inspect', { key: await dashboardKey(server, { kind: 'oauth' }) })).kind).toBe('oauth');
  });

  it('revoke, origins and inspect answer 404 for unknown keys and 400 without one', async () => {
    const server = await start();
    for (const path of ['keys/revoke', 'keys/origins', 'keys/inspect']) {
      const unknown = await postJson(`${server.url}/__mock/${path}`, { key: 'sk-nano-nope', origins: [] });
      expect(unknown.status).toBe(404);
      expect((await json(unknown)).error).toBe('not_found');
      expect((await postJson(`${server.url}/__mock/${path}`, {})).status).toBe(400);
    }
    const key = await dashboardKey(server);
    expect(await control(server, 'keys/revoke', { key })).toEqual({ ok: true });
    expect((await control(server, 'keys/inspect', { key })).revoked).toBe(true);
    expect((await postJson(`${server.url}/__mock/keys/origins`, { key, origins: 'x' })).status).toBe(400);
  });

  it('rejects invalid key definitions', async () => {
    const server = await start();
    // '1' is a time to Date.parse (the year 2001), not an ISO 8601 time.
    for (const body of [{ kind: 'cli' }, { expiresAt: 'soon' }, { expiresAt: '1' }, { restrictions: { limit: -1 } }, { restrictions: { usageLimitType: 'hourly' } }, { restrictions: { origins: 'x' } }, { label: 5 }]) {
      expect((await postJson(`${server.url}/__mock/keys`, body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('rate-limit and clock validate their input', async () => {
    const server = await start();
    for (const body of [{ perSecond: -1 }, { perSecond: 1.5 }, { perSecond: 'x' }, {}]) {
      expect((await postJson(`${server.url}/__mock/rate-limit`, body)).status).toBe(400);
    }
    for (const body of [{ advanceSeconds: -5 }, { advanceSeconds: 'x' }, {}]) {
      expect((await postJson(`${server.url}/__mock/clock`, body)).status).toBe(400);
    }
    const { now } = await control<{ now: string }>(server, 'clock', { advanceSeconds: 3600 });
    expect(Date.parse(now) - Date.now()).toBeGreaterThan(3_590_000);
  });

  it('refuses to move the clock past the year 9999, and keeps serving timestamps', async () => {
    const server = await start();
    const huge = await postJson(`${server.url}/__mock/clock`, { advanceSeconds: 1e300 });
    expect(huge.status).toBe(400);
    expect((await json(huge)).error).toBe('invalid_request');
    const source = await dashboardKey(server, {});
    const res = await postJson(
      `${server.url}/api/v1/auth/keys/code`,
      { redirect_uri: CB, code_challenge: pkce().challenge },
      { authorization: `Bearer ${source}` },
    );
    expect(res.status).toBe(200);
    expect(Date.parse((await json(res)).expires_at as string)).toBeGreaterThan(Date.now());
  });

  it('lists pending consents and device logins without device codes, then approves/denies them', async () => {
    const server = await start();
    const pair = pkce();
    const page = await get(shortcutUrl(server, { callback_url: CB, code_challenge: pair.challenge, state: 's1', client_name: 'Pending App' }));
    expect(page.status).toBe(200);
    const started = await json(await postJson(`${server.url}/api/cli-login/start`, { client_name: 'dev' }));
    const pendingText = await (await get(`${server.url}/__mock/pending`)).text();
    expect(pendingText).not.toContain(started.device_code as string);
    const pending = JSON.parse(pendingText) as { consents: Array<Record<string, unknown>>; deviceLogins: Array<Record<string, unknown>> };
    expect(pending.consents).toEqual([{ id: expect.any(String), flow: 'shortcut', clientName: 'Pending App', redirectUri: CB, scope: 'models.read api.use' }]);
    expect(pending.deviceLogins).toEqual([{ userCode: started.user_code, clientName: 'dev', status: 'pending' }]);

    const { location } = await control<{ location: string }>(server, 'consents/approve', { limit: 2, usageLimitType: 'daily' });
    expect(new URL(location).searchParams.get('state')).toBe('s1');
    const token = await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }));
    expect(await control(server, 'keys/inspect', { key: token.key })).toMatchObject({ limit: 2, usageLimitType: 'daily' });
    expect((await control<{ consents: unknown[] }>(server, 'pending')).consents).toEqual([]);
    expect((await postJson(`${server.url}/__mock/consents/approve`, {})).status).toBe(404);

    await get(shortcutUrl(server, { callback_url: CB, code_challenge: pair.challenge, state: 's2' }));
    const { consents } = await control<{ consents: Array<{ id: string }> }>(server, 'pending');
    expect((await postJson(`${server.url}/__mock/consents/deny`, { id: 'consent_unknown' })).status).toBe(404);
    const denied = await control<{ location: string }>(server, 'consents/deny', { id: consents[0]?.id });
    expect(denied.location).toBe(`${CB}?error=access_denied&error_description=The+user+denied+the+request&state=s2`);

    await control(server, 'device/approve', {});
    const pollRes = await postJson(`${server.url}/api/cli-login/poll`, { device_code: started.device_code });
    expect(pollRes.status).toBe(200);
    expect((await postJson(`${server.url}/__mock/device/approve`, {})).status).toBe(404);
    expect((await postJson(`${server.url}/__mock/device/deny`, { userCode: 'ZZZZ-ZZZZ' })).status).toBe(404);
  });

  it('a consent page left open expires after 10 minutes', async () => {
    const server = await start();
    await get(shortcutUrl(server, { callback_url: CB, code_challenge: pkce().challenge }));
    expect((await control<{ consents: unknown[] }>(server, 'pending')).consents).toHaveLength(1);
    await control(server, 'clock', { advanceSeconds: 601 });
    expect((await control<{ consents: unknown[] }>(server, 'pending')).consents).toHaveLength(0);
  });

  it('counts codes, redemptions, token requests, keys, device logins and API requests', async () => {
    const server = await start();
    const pair = pkce();
    const location = await followConsent(shortcutUrl(server, { callback_url: CB, code_challenge: pair.challenge }));
    const key = (await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }))).key as string;
    await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }); // failed: still counted
    await postJson(`${server.url}/oauth/token`, {}); // failed: still counted
    await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${key}` });
    await get(`${server.url}/api/v1/models`);
    await postJson(`${server.url}/api/cli-login/start`, {});
    expect(await control(server, 'counters')).toEqual({ codesIssued: 1, codesRedeemed: 1, tokenRequests: 3, keysMinted: 1, deviceLoginsStarted: 1, apiRequests: 2 });
  });

  it('reset clears all state', async () => {
    const frozen = Date.UTC(2030, 0, 1, 0, 0, 0, 500);
    const server = await start({ rateLimit: { perSecond: 1 }, now: () => frozen });
    const key = await dashboardKey(server);
    await control(server, 'rate-limit', { perSecond: null });
    await control(server, 'clock', { advanceSeconds: 100 });
    await get(shortcutUrl(server, { callback_url: CB, code_challenge: pkce().challenge }));
    expect(await control(server, 'reset', {})).toEqual({ ok: true });
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${key}` })).status).toBe(401);
    expect(await control(server, 'counters')).toMatchObject({ apiRequests: 1, codesIssued: 0 });
    expect(await control(server, 'pending')).toEqual({ consents: [], deviceLogins: [] });
    expect((await control<{ keys: unknown[] }>(server, 'keys')).keys).toEqual([]);
    const { now } = await control<{ now: string }>(server, 'clock', { advanceSeconds: 0 });
    expect(Date.parse(now)).toBe(frozen);
    // the configured rate limit is back
    const fresh = await dashboardKey(server);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${fresh}` })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${fresh}` })).status).toBe(429);
  });

  it('controls: false turns every control off (404)', async () => {
    const server = await start({ controls: false });
    for (const path of ['keys', 'counters', 'pending']) expect((await get(`${server.url}/__mock/${path}`)).status).toBe(404);
    for (const path of ['keys', 'reset', 'clock', 'consents/approve']) expect((await postJson(`${server.url}/__mock/${path}`, {})).status).toBe(404);
  });

  it('sweeps expired codes, consents and device logins so memory stays flat', async () => {
    const server = await start();
    for (let i = 0; i < 20; i++) {
      await followConsent(shortcutUrl(server, { callback_url: CB, code_challenge: pkce().challenge }));
      await get(shortcutUrl(server, { callback_url: CB, code_challenge: pkce().challenge }));
    }
    for (let i = 0; i < 5; i++) await postJson(`${server.url}/api/cli-login/start`, {});
    expect(await control(server, 'stats')).toMatchObject({ codes: 20, consents: 20, deviceLogins: 5, callbackClients: 1 });
    await control(server, 'clock', { advanceSeconds: 601 });
    expect(await control(server, 'stats')).toMatchObject({ codes: 0, consents: 0, deviceLogins: 5 });
    await control(server, 'clock', { advanceSeconds: 600 });
    expect(await control(server, 'stats')).toMatchObject({ codes: 0, consents: 0, deviceLogins: 0 });
  });
});
