import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { control, get, json, postJson, start } from './helpers.js';

type Server = Awaited<ReturnType<typeof start>>;

async function begin(server: Server, clientName?: string) {
  const res = await postJson(`${server.url}/api/cli-login/start`, clientName === undefined ? {} : { client_name: clientName });
  expect(res.status).toBe(200);
  return (await json(res)) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };
}

const poll = (server: Server, deviceCode: string) => postJson(`${server.url}/api/cli-login/poll`, { device_code: deviceCode });

describe('device login (spec §9)', () => {
  it('starts with the documented shape', async () => {
    const server = await start();
    const s = await begin(server, 'my-cli');
    expect(s.user_code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(s.verification_uri).toBe(`${server.url}/cli-login/verify`);
    expect(s.verification_uri_complete).toBe(`${server.url}/cli-login/verify?code=${s.user_code}`);
    expect(s.expires_in).toBe(600);
    expect(s.interval).toBe(2);
    expect(s.device_code.length).toBeGreaterThan(20);
  });

  it('pending 202 -> approved 200 with a key -> consumed 409, via the consent page', async () => {
    const server = await start();
    const s = await begin(server, 'my-cli');
    const pending = await poll(server, s.device_code);
    expect(pending.status).toBe(202);
    expect(await json(pending)).toEqual({ status: 'authorization_pending' });
    const location = await followConsent(s.verification_uri_complete);
    expect(location).toBe(`${server.url}/cli-login/done?result=approved`);
    const done = await get(location);
    expect(await done.text()).toContain('You can close this tab');
    const approved = await poll(server, s.device_code);
    expect(approved.status).toBe(200);
    const body = await json(approved);
    expect(body.status).toBe('approved');
    expect(body.key).toMatch(/^sk-nano-/);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${body.key as string}` })).status).toBe(200);
    expect((await control(server, 'keys/inspect', { key: body.key })).name).toBe('CLI (my-cli)');
    const consumed = await poll(server, s.device_code);
    expect(consumed.status).toBe(409);
    expect(await json(consumed)).toEqual({ status: 'consumed' });
  });

  it('410 key_revoked when the approved key was revoked before the poll fetched it (spec §10)', async () => {
    const server = await start();
    // A first login gives the tool its key; the next login of the same client_name reuses it (spec §1).
    const first = await begin(server, 'tool');
    await server.controls.approveDevice(first.user_code);
    const key = (await json(await poll(server, first.device_code))).key as string;
    const second = await begin(server, 'tool');
    await server.controls.approveDevice(second.user_code);
    expect((await server.controls.pending()).deviceLogins.find((login) => login.userCode === second.user_code)?.status).toBe('approved');
    await server.controls.revokeKey(key);
    expect((await server.controls.pending()).deviceLogins.find((login) => login.userCode === second.user_code)?.status).toBe('key_revoked');
    for (let i = 0; i < 2; i++) {
      const revoked = await poll(server, second.device_code);
      expect(revoked.status).toBe(410);
      expect(await json(revoked)).toEqual({ status: 'key_revoked' });
    }
    // once the login itself expires, it says so
    await server.controls.advanceClock(601);
    expect(await json(await poll(server, second.device_code))).toEqual({ status: 'expired' });
    // a restarted login gets a fresh, working key
    const third = await begin(server, 'tool');
    await server.controls.approveDevice(third.user_code);
    const fresh = (await json(await poll(server, third.device_code))).key as string;
    expect(fresh).not.toBe(key);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${fresh}` })).status).toBe(200);
  });

  it('the approval page labels its spend cap as a mock extra', async () => {
    const server = await start();
    const s = await begin(server, 'my-cli');
    const page = await (await get(s.verification_uri_complete)).text();
    expect(page).toContain('mock extra');
    const shortcut = await (await get(`${server.url}/auth?callback_url=${encodeURIComponent('http://127.0.0.1:5555/cb')}&code_challenge=${'a'.repeat(43)}`)).text();
    expect(shortcut).toContain('Optional spend cap');
    expect(shortcut).not.toContain('mock extra');
  });

  it('reuses the key for the same client_name', async () => {
    const server = await start();
    const keys: string[] = [];
    for (const name of ['tool', 'tool', 'other']) {
      const s = await begin(server, name);
      await control(server, 'device/approve', { userCode: s.user_code });
      keys.push((await json(await poll(server, s.device_code))).key as string);
    }
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('stores a spend cap chosen on the consent page', async () => {
    const server = await start();
    const s = await begin(server, 'capped');
    await followConsent(s.verification_uri_complete, { limit: 1.5, usageLimitType: 'weekly' });
    const key = (await json(await poll(server, s.device_code))).key;
    expect(await control(server, 'keys/inspect', { key })).toMatchObject({ limit: 1.5, usageLimitType: 'weekly' });
  });

  it('denied -> 403 access_denied (RFC 8628 §3.5)', async () => {
    const server = await start();
    const s = await begin(server);
    const location = await followConsent(s.verification_uri_complete, { decision: 'deny' });
    expect(location).toBe(`${server.url}/cli-login/done?result=denied`);
    const res = await poll(server, s.device_code);
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual({ status: 'denied', error: 'access_denied' });
  });

  it('denied through the test control', async () => {
    const server = await start();
    const s = await begin(server);
    await control(server, 'device/deny', {});
    expect((await poll(server, s.device_code)).status).toBe(403);
  });

  it('expired 410 after expires_in (clock control)', async () => {
    const server = await start();
    const s = await begin(server);
    await control(server, 'clock', { advanceSeconds: 601 });
    const res = await poll(server, s.device_code);
    expect(res.status).toBe(410);
    expect(await json(res)).toEqual({ status: 'expired' });
    const page = await get(s.verification_uri_complete);
    expect(page.status).toBe(400);
    expect((await postJson(`${server.url}/__mock/device/approve`, { userCode: s.user_code })).status).toBe(404);
  });

  it('unknown device code 404 invalid_code; missing device code 400', async () => {
    const server = await start();
    const res = await poll(server, 'not-a-code');
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: 'invalid_code', error_description: expect.any(String) });
    const missing = await postJson(`${server.url}/api/cli-login/poll`, {});
    expect(missing.status).toBe(400);
    expect((await json(missing)).error).toBe('invalid_request');
  });

  it('client_name longer than 64 characters is invalid_request', async () => {
    const server = await start();
    const res = await postJson(`${server.url}/api/cli-login/start`, { client_name: 'x'.repeat(65) });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
    expect((await postJson(`${server.url}/api/cli-login/start`, { client_name: 'x'.repeat(64) })).status).toBe(200);
  });

  // A frozen clock: a real minute boundary must not fall between the requests.
  const frozen = () => Date.UTC(2030, 0, 1, 0, 0, 30);

  it('rate-limits start to 10 per minute per IP with Retry-After', async () => {
    const server = await start({ now: frozen });
    for (let i = 0; i < 10; i++) expect((await postJson(`${server.url}/api/cli-login/start`, {})).status).toBe(200);
    const limited = await postJson(`${server.url}/api/cli-login/start`, {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect((await json(limited)).error).toBe('rate_limited'); // spec §10
    await control(server, 'clock', { advanceSeconds: 60 });
    expect((await postJson(`${server.url}/api/cli-login/start`, {})).status).toBe(200);
  });

  it('rate-limits poll to 60 per minute per IP', async () => {
    const server = await start({ now: frozen });
    const s = await begin(server);
    for (let i = 0; i < 60; i++) expect((await poll(server, s.device_code)).status).toBe(202);
    expect((await poll(server, s.device_code)).status).toBe(429);
  });

  it('device rate limits can be turned off', async () => {
    const server = await start({ deviceRateLimit: { startPerMinute: null } });
    for (let i = 0; i < 12; i++) expect((await postJson(`${server.url}/api/cli-login/start`, {})).status).toBe(200);
  });

  it('the verify page without a code asks for one; a wrong code is refused', async () => {
    const server = await start();
    const page = await get(`${server.url}/cli-login/verify`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="code"');
    const wrong = await get(`${server.url}/cli-login/verify?code=AAAA-AAAA`);
    expect(wrong.status).toBe(400);
  });

  it('accepts the user code in lower case and without the dash', async () => {
    const server = await start();
    const s = await begin(server);
    const typed = s.user_code.replace('-', '').toLowerCase();
    await followConsent(`${server.url}/cli-login/verify?code=${typed}`);
    expect((await poll(server, s.device_code)).status).toBe(200);
  });
});
