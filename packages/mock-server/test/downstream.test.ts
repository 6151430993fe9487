import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { codeFrom, control, dashboardKey, json, pkce, postJson, shortcutUrl, start } from './helpers.js';

const TOOL = 'http://127.0.0.1:7000/cb';
type Server = Awaited<ReturnType<typeof start>>;

function mintCode(server: Server, source: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return postJson(`${server.url}/api/v1/auth/keys/code`, body, { authorization: `Bearer ${source}`, ...headers });
}

async function downstreamKey(server: Server, source: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const pair = pkce();
  const res = await mintCode(server, source, { redirect_uri: TOOL, code_challenge: pair.challenge, ...extra }, headers);
  expect(res.status).toBe(200);
  const body = await json(res);
  const redeemed = await postJson(`${server.url}/api/v1/auth/keys`, { code: body.code, code_verifier: pair.verifier });
  expect(redeemed.status).toBe(200);
  const key = (await json(redeemed)).key as string;
  return { body, key, inspect: await control(server, 'keys/inspect', { key }) };
}

describe('downstream key code (POST /api/v1/auth/keys/code, spec §8)', () => {
  it('mints a code that the tool redeems at /api/v1/auth/keys', async () => {
    const server = await start();
    const source = await dashboardKey(server);
    const { body, key, inspect } = await downstreamKey(server, source, { client_name: 'Agent' });
    expect(body).toMatchObject({ id: expect.any(String), code: expect.any(String), app_id: expect.stringMatching(/^ngpt_callback_/), user_id: expect.any(String), expires_at: expect.any(String) });
    expect(body.data).toEqual({ id: body.id, code: body.code, app_id: body.app_id, user_id: body.user_id, expires_at: body.expires_at });
    expect(key).toMatch(/^sk-nano-/);
    expect(inspect).toMatchObject({ name: 'OAuth: Agent', kind: 'oauth', scope: 'models.read api.use', limit: null, usageLimitType: null, expiresAt: null });
    // OAuth-created: the downstream key cannot mint further codes
    const again = await mintCode(server, key, { redirect_uri: TOOL, code_challenge: pkce().challenge });
    expect(again.status).toBe(400);
    expect(await json(again)).toMatchObject({ error: 'invalid_request', reason: 'oauth_source_key' });
  });

  it('stores label, limit, usage_limit_type and expires_at on the minted key', async () => {
    const server = await start();
    const source = await dashboardKey(server);
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const { inspect } = await downstreamKey(server, source, { key_label: 'my agent', limit: 5, usage_limit_type: 'daily', expires_at: expires, callback_url: undefined });
    expect(inspect).toMatchObject({ name: 'my agent', limit: 5, usageLimitType: 'daily', expiresAt: expires });
    const monthly = await downstreamKey(server, source, { key_name: 'x', limit: '2.5' });
    expect(monthly.inspect).toMatchObject({ name: 'x', limit: 2.5, usageLimitType: 'monthly' });
  });

  it('accepts callback_url, X-Title as the name, and the scope default', async () => {
    const server = await start();
    const source = await dashboardKey(server);
    const pair = pkce();
    const res = await mintCode(server, source, { callback_url: TOOL, code_challenge: pair.challenge, code_challenge_method: 'S256' }, { 'x-title': 'Titled Tool' });
    const code = (await json(res)).code as string;
    const key = (await json(await postJson(`${server.url}/api/v1/auth/keys`, { code, code_verifier: pair.verifier }))).key;
    expect((await control(server, 'keys/inspect', { key })).name).toBe('OAuth: Titled Tool');
  });

  it('never lets a downstream key outlive an expiring source key', async () => {
    const server = await start();
    const sourceExpiry = new Date(Date.now() + 3_600_000).toISOString();
    const source = await dashboardKey(server, { expiresAt: sourceExpiry });
    const none = await downstreamKey(server, source);
    expect(none.inspect.expiresAt).toBe(sourceExpiry);
    const later = await downstreamKey(server, source, { expires_at: new Date(Date.now() + 86_400_000).toISOString() });
    expect(later.inspect.expiresAt).toBe(sourceExpiry);
    const sooner = new Date(Date.now() + 60_000).toISOString();
    expect((await downstreamKey(server, source, { expires_at: sooner })).inspect.expiresAt).toBe(sooner);
  });

  it('refuses OAuth-created source keys', async () => {
    const server = await start();
    const source = await dashboardKey(server, { kind: 'oauth' });
    const res = await mintCode(server, source, { redirect_uri: TOOL, code_challenge: pkce().challenge });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: 'invalid_request', reason: 'oauth_source_key' });
  });

  it.each([
    ['spend', { limit: 10 }],
    ['request', { requestLimit: 100 }],
    ['model', { models: ['gpt-4o-mini'] }],
    ['provider', { providers: ['openai'] }],
    ['origin', { origins: ['https://a.example'] }],
    ['redaction', { redaction: true }],
  ])('refuses a source key with a %s restriction (invalid_request)', async (_name, restrictions) => {
    const server = await start();
    const source = await dashboardKey(server, { restrictions });
    const res = await mintCode(server, source, { redirect_uri: TOOL, code_challenge: pkce().challenge });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: 'invalid_request', reason: 'restricted_source_key' });
  });

  it('authenticates the source key like any API call', async () => {
    const server = await start();
    const missing = await postJson(`${server.url}/api/v1/auth/keys/code`, { redirect_uri: TOOL, code_challenge: pkce().challenge });
    expect(missing.status).toBe(401);
    expect((await json(missing)).error).toBe('missing_api_key');
    const source = await dashboardKey(server);
    await control(server, 'keys/revoke', { key: source });
    const revoked = await mintCode(server, source, { redirect_uri: TOOL, code_challenge: pkce().challenge });
    expect(revoked.status).toBe(401);
    expect((await json(revoked)).error).toBe('invalid_api_key');
  });

  it('allows keys from the device login (not created by OAuth) as source keys', async () => {
    const server = await start();
    const start_ = await json(await postJson(`${server.url}/api/cli-login/start`, { client_name: 'cli' }));
    await control(server, 'device/approve', { userCode: start_.user_code });
    const key = (await json(await postJson(`${server.url}/api/cli-login/poll`, { device_code: start_.device_code }))).key as string;
    expect((await mintCode(server, key, { redirect_uri: TOOL, code_challenge: pkce().challenge })).status).toBe(200);
  });

  it('refuses keys made by the shortcut flow', async () => {
    const server = await start();
    const pair = pkce();
    const location = await followConsent(shortcutUrl(server, { callback_url: TOOL, code_challenge: pair.challenge }));
    const key = (await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }))).key as string;
    expect((await json(await mintCode(server, key, { redirect_uri: TOOL, code_challenge: pkce().challenge }))).reason).toBe('oauth_source_key');
  });

  it.each([
    ['missing redirect_uri', { code_challenge: 'x'.repeat(43) }, 'invalid_request'],
    ['bad redirect_uri', { redirect_uri: 'http://example.com/cb', code_challenge: 'x'.repeat(43) }, 'invalid_request'],
    ['missing challenge', { redirect_uri: TOOL }, 'invalid_request'],
    ['plain method', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    ['bad scope', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), scope: 'models.read' }, 'invalid_scope'],
    ['negative limit', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), limit: -1 }, 'invalid_request'],
    ['bad period', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), limit: 1, usage_limit_type: 'yearly' }, 'invalid_request'],
    ['bad expiry', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), expires_at: 'tomorrow' }, 'invalid_request'],
    ['past expiry', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), expires_at: '2001-01-01T00:00:00Z' }, 'invalid_request'],
    ['expiry past the year 9999', { redirect_uri: TOOL, code_challenge: 'x'.repeat(43), expires_at: '9999-12-31T23:59:59-12:00' }, 'invalid_request'],
  ])('rejects %s', async (_name, body, error) => {
    const server = await start();
    const res = await mintCode(server, await dashboardKey(server), body);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe(error);
  });
});
