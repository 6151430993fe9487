import { describe, expect, it } from 'vitest';
import { MockControlError, MockControls, type KeyInfo } from '../src/index.js';
import { codeFrom, get, pkce, postJson, shortcutUrl, start } from './helpers.js';

const CALLBACK = 'http://127.0.0.1:5555/callback';

/** Opens a shortcut consent page (leaves a pending consent) and answers its PKCE verifier. */
async function openConsent(url: string, clientName = 'Client Test'): Promise<string> {
  const pair = pkce();
  const res = await get(shortcutUrl({ url } as never, { callback_url: CALLBACK, code_challenge: pair.challenge, state: 'st', client_name: clientName }));
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return pair.verifier;
}

async function startDevice(url: string): Promise<{ device_code: string; user_code: string }> {
  const res = await postJson(`${url}/api/cli-login/start`, { client_name: 'Device Test' });
  expect(res.status).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string };
}

/** The status of an authenticated API call (`/api/v1/models` is public: it never tells). */
const apiStatus = async (url: string, key: string): Promise<number> => {
  const res = await get(`${url}/api/v1/usage`, { authorization: `Bearer ${key}` });
  await res.arrayBuffer();
  return res.status;
};

/** The error a control call rejects with (fails the test when it resolves). */
async function failure(call: Promise<unknown>): Promise<MockControlError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(MockControlError);
    return error as MockControlError;
  }
  throw new Error('the control call resolved');
}

/** Records every request the client makes, to check that no key ever travels in a URL. */
function recordingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    },
  };
}

describe('MockControls (typed /__mock client)', () => {
  it('startMockServer exposes a client bound to the server', async () => {
    const server = await start();
    expect(server.controls).toBeInstanceOf(MockControls);
    expect(server.controls.url).toBe(server.url);
    await server.controls.reset();
  });

  it('createKey, inspectKey, listKeys, setKeyOrigins and revokeKey; keys never travel in URLs', async () => {
    const server = await start();
    const recording = recordingFetch();
    const controls = new MockControls(server.url, { fetch: recording.fetch });
    const created = await controls.createKey({
      label: 'Source',
      expiresAt: '2099-01-01T00:00:00.000Z',
      restrictions: { limit: 3, usageLimitType: 'weekly', models: ['gpt-x'], redaction: true },
    });
    expect(created.id).toMatch(/^key_/);
    expect(created.key).toMatch(/^sk-nano-/);
    const info: KeyInfo = await controls.inspectKey(created.key);
    expect(info).toMatchObject({
      id: created.id, name: 'Source', kind: 'dashboard', scope: 'models.read api.use', allowedOrigins: [], limit: 3,
      usageLimitType: 'weekly', expiresAt: '2099-01-01T00:00:00.000Z', revoked: false, maskedKey: `sk-nano-…${created.key.slice(-4)}`,
      restrictions: { requestLimit: null, models: ['gpt-x'], providers: [], redaction: true },
    });
    expect(Date.parse(info.createdAt)).not.toBeNaN();
    expect((await controls.createKey({ kind: 'oauth' })).key).toMatch(/^sk-nano-/);
    const listed = await controls.listKeys();
    expect(listed.map((k) => k.kind).sort()).toEqual(['dashboard', 'oauth']);
    expect(listed.find((k) => k.id === created.id)).toEqual(info);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    await expect(controls.setKeyOrigins(created.key, ['https://app.example'])).resolves.toBeUndefined();
    expect((await controls.inspectKey(created.key)).allowedOrigins).toEqual(['https://app.example']);
    await controls.setKeyOrigins(created.key, []);
    expect((await controls.inspectKey(created.key)).allowedOrigins).toEqual([]);

    expect(await apiStatus(server.url, created.key)).toBe(200);
    await expect(controls.revokeKey(created.key)).resolves.toBeUndefined();
    expect((await controls.inspectKey(created.key)).revoked).toBe(true);
    expect(await apiStatus(server.url, created.key)).toBe(401);

    expect(recording.urls.length).toBeGreaterThanOrEqual(9);
    for (const url of recording.urls) {
      expect(url.startsWith(`${server.url}/__mock/`)).toBe(true);
      expect(url).not.toContain(created.key);
    }
  });

  it('balance, setBalance, keyUsage and setCatalogueOnly; bad input is invalid_request, an unknown key not_found', async () => {
    const server = await start({ now: () => Date.UTC(2030, 0, 2, 12) });
    const recording = recordingFetch();
    const controls = new MockControls(server.url, { fetch: recording.fetch });
    const { key } = await controls.createKey();
    expect(await controls.balance()).toBe(25);
    await expect(controls.setBalance(7.5)).resolves.toBeUndefined();
    expect(await controls.balance()).toBe(7.5);
    expect((await failure(controls.setBalance(-1))).code).toBe('invalid_request');

    const chat = await postJson(`${server.url}/api/v1/chat/completions`, { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${key}` });
    expect(chat.status).toBe(200);
    const usage = await controls.keyUsage(key, { groupBy: 'model' });
    expect(usage).toMatchObject({ object: 'usage', groupBy: 'model', from: '2029-12-04', to: '2030-01-02', totals: { requests: 1 } });
    expect(usage.byModel?.[0]?.model).toBe('GPT-4.1 nano');
    expect((await controls.keyUsage(key, { from: '2030-01-02', to: '2030-01-02' })).byDay?.map((row) => row.date)).toEqual(['2030-01-02']);
    expect((await failure(controls.keyUsage(key, { from: '2030-01-02' }))).code).toBe('invalid_request');
    expect((await failure(controls.keyUsage('sk-nano-00000000-0000-4000-8000-000000000000'))).code).toBe('not_found');

    await expect(controls.setCatalogueOnly(true)).resolves.toBeUndefined();
    const refused = await postJson(`${server.url}/api/v1/chat/completions`, { model: 'lab/unknown', messages: [{ role: 'user', content: 'hi' }] }, { authorization: `Bearer ${key}` });
    expect(refused.status).toBe(404);
    expect((await failure(controls.setCatalogueOnly('yes' as unknown as boolean))).code).toBe('invalid_request');

    for (const url of recording.urls) expect(url).not.toContain(key);
  });

  it('setRateLimit turns the API limit on and off', async () => {
    const server = await start();
    const { key } = await server.controls.createKey();
    await server.controls.setRateLimit(0);
    expect(await apiStatus(server.url, key)).toBe(429);
    await server.controls.setRateLimit(null);
    expect(await apiStatus(server.url, key)).toBe(200);
  });

  it('advanceClock moves the clock and answers the new time', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const server = await start({ now: () => now });
    expect(await server.controls.advanceClock(90)).toEqual({ now: '2030-01-01T00:01:30.000Z' });
    now += 1000;
    expect((await server.controls.advanceClock(0)).now).toBe('2030-01-01T00:01:31.000Z');
  });

  it('pending, approveConsent and denyConsent drive the consent page', async () => {
    const server = await start();
    const { controls } = server;
    expect(await controls.pending()).toEqual({ consents: [], deviceLogins: [] });
    const verifier = await openConsent(server.url, 'Approve Me');
    const [consent] = (await controls.pending()).consents;
    expect(consent).toMatchObject({ flow: 'shortcut', clientName: 'Approve Me', redirectUri: CALLBACK, scope: 'models.read api.use' });
    expect(consent).not.toHaveProperty('userCode');

    const approved = await controls.approveConsent({ id: consent!.id, limit: 2, usageLimitType: 'daily' });
    expect(new URL(approved.location).searchParams.get('state')).toBe('st');
    const res = await postJson(`${server.url}/api/v1/auth/keys`, { grant_type: 'authorization_code', code: codeFrom(approved.location), code_verifier: verifier });
    expect(res.status).toBe(200);
    const { key } = (await res.json()) as { key: string };
    expect(await controls.inspectKey(key)).toMatchObject({ kind: 'oauth', limit: 2, usageLimitType: 'daily' });
    expect((await controls.pending()).consents).toEqual([]);

    await openConsent(server.url, 'Deny Me');
    const denied = await controls.denyConsent();
    const url = new URL(denied.location);
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect((await controls.pending()).consents).toEqual([]);
  });

  it('approveDevice and denyDevice decide device logins (by user code or the newest)', async () => {
    const server = await start();
    const { controls } = server;
    const first = await startDevice(server.url);
    const second = await startDevice(server.url);
    expect((await controls.pending()).deviceLogins).toEqual([
      { userCode: first.user_code, clientName: 'Device Test', status: 'pending' },
      { userCode: second.user_code, clientName: 'Device Test', status: 'pending' },
    ]);
    await expect(controls.approveDevice(first.user_code)).resolves.toBeUndefined();
    await controls.denyDevice(); // the newest pending one: `second`
    const statuses = Object.fromEntries((await controls.pending()).deviceLogins.map((l) => [l.userCode, l.status]));
    expect(statuses).toEqual({ [first.user_code]: 'approved', [second.user_code]: 'denied' });
    const poll = await postJson(`${server.url}/api/cli-login/poll`, { device_code: first.device_code });
    expect(poll.status).toBe(200);
  });

  it('counters, stats and reset', async () => {
    const server = await start();
    const { controls } = server;
    expect(await controls.counters()).toEqual({ codesIssued: 0, codesRedeemed: 0, tokenRequests: 0, keysMinted: 0, deviceLoginsStarted: 0, apiRequests: 0 });
    const { key } = await controls.createKey();
    await apiStatus(server.url, key);
    await startDevice(server.url);
    await openConsent(server.url);
    expect(await controls.counters()).toMatchObject({ apiRequests: 1, deviceLoginsStarted: 1 });
    expect(await controls.stats()).toEqual({ codes: 0, consents: 1, deviceLogins: 1, clients: 0, callbackClients: 1, keys: 1 });
    await expect(controls.reset()).resolves.toBeUndefined();
    expect(await controls.stats()).toEqual({ codes: 0, consents: 0, deviceLogins: 0, clients: 0, callbackClients: 0, keys: 0 });
    expect((await controls.counters()).apiRequests).toBe(0);
  });

  it('throws MockControlError with a stable code, and never puts the key in the message', async () => {
    const server = await start();
    const { controls } = server;
    const { key } = await controls.createKey();
    await controls.reset();
    const unknown = await failure(controls.inspectKey(key));
    expect(unknown).toBeInstanceOf(MockControlError);
    expect(unknown).toMatchObject({ name: 'MockControlError', code: 'not_found', status: 404, error: 'not_found' });
    expect(unknown.message).toContain('/__mock/keys/inspect');
    for (const attempt of [controls.revokeKey(key), controls.setKeyOrigins(key, [])]) {
      const error = await failure(attempt);
      expect(error).toMatchObject({ code: 'not_found' });
      expect(error.message).not.toContain(key);
      expect(error.message).not.toContain(key.slice('sk-nano-'.length));
    }
    await expect(controls.advanceClock(-1)).rejects.toMatchObject({ code: 'invalid_request', status: 400, error: 'invalid_request' });
    await expect(controls.approveConsent()).rejects.toMatchObject({ code: 'not_found' });
    await expect(controls.denyDevice()).rejects.toMatchObject({ code: 'not_found' });
    // A made-up option the server rejects: still typed, still no key in the message.
    const bad = await failure(controls.createKey({ kind: 'cli' as never }));
    expect(bad).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('a server started with controls: false answers not_found; an unreachable one network_error', async () => {
    const server = await start({ controls: false });
    await expect(server.controls.counters()).rejects.toMatchObject({ code: 'not_found', status: 404 });
    const { url } = server;
    await server.close();
    await expect(new MockControls(url).reset()).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('a non-JSON or 5xx answer is unexpected_response, with any key-like text masked', async () => {
    const key = 'sk-nano-11111111-2222-4333-8444-555555555555';
    const fake: typeof fetch = async () => new Response(JSON.stringify({ error: 'server_error', error_description: `boom ${key}` }), { status: 500 });
    const error = await failure(new MockControls('http://127.0.0.1:1', { fetch: fake }).inspectKey(key));
    expect(error).toMatchObject({ code: 'unexpected_response', status: 500, error: 'server_error' });
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain('11111111-2222');
    const html: typeof fetch = async () => new Response('<html>', { status: 200 });
    await expect(new MockControls('http://127.0.0.1:1', { fetch: html }).stats()).rejects.toMatchObject({ code: 'unexpected_response', status: 200 });
  });
});
