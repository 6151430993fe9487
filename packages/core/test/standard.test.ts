import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNanoGptAuth, memoryStorage, type StorageLike } from '../src/index.js';
import { discover, exchangeAuthorizationCode, registerClient, standardFlow } from '../src/standard.js';
import { fakeAs, send } from './fake-as.js';
import { KEY, KEY2, rejectsWith } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:5999/callback';
let as: Awaited<ReturnType<typeof fakeAs>>;
let storage: StorageLike;

beforeEach(async () => {
  as = await fakeAs();
  storage = memoryStorage();
  as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, 200, { access_token: KEY, token_type: 'Bearer', scope: 'models.read api.use' }));
});
afterEach(() => as.close());

const auth = (o = {}) => createNanoGptAuth({ issuer: as.base, redirectUri: REDIRECT, storage, flow: standardFlow, clientName: 'Std', ...o });

async function start(a = auth()) {
  const url = new URL(await a.createSignInUrl());
  const state = url.searchParams.get('state')!;
  return { a, url, state, callback: `${REDIRECT}?code=c0de&state=${state}` };
}

describe('standard flow (local fake server)', () => {
  it('discovers, registers once, caches metadata and client_id, exchanges via /oauth/token', async () => {
    const { a, url, callback } = await start();
    expect(url.origin + url.pathname).toBe(as.base + '/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('ngpt_test');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('response_type')).toBe('code');
    const reg = JSON.parse(as.requests.find((r) => r.path === '/oauth/register')!.body);
    expect(reg).toMatchObject({ client_name: 'Std', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
    expect(await a.handleRedirectCallback(callback)).toEqual({ key: KEY, scope: 'models.read api.use' });
    const token = new URLSearchParams(as.requests.find((r) => r.path === '/oauth/token')!.body);
    expect(Object.fromEntries(token)).toMatchObject({ grant_type: 'authorization_code', client_id: 'ngpt_test', redirect_uri: REDIRECT, code: 'c0de' });
    expect(token.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    await start();
    expect(as.count('/.well-known/oauth-authorization-server')).toBe(1);
    expect(as.count('/oauth/register')).toBe(1);
  });

  it('skips registration with a clientId', async () => {
    const { url } = await start(auth({ clientId: 'ngpt_pre' }));
    expect(url.searchParams.get('client_id')).toBe('ngpt_pre');
    expect(as.count('/oauth/register')).toBe(0);
  });

  it('registers separately per redirect URI', async () => {
    await start();
    await auth().createSignInUrl({ redirectUri: REDIRECT + '2' });
    expect(as.count('/oauth/register')).toBe(2);
  });

  it('maps token endpoint errors', async () => {
    for (const [status, body, code] of [
      [400, { error: 'invalid_grant' }, 'invalid_grant'],
      [400, { error: 'invalid_request' }, 'invalid_request'],
      [400, { error: 'unsupported_grant_type' }, 'server_error'],
      [500, 'oops', 'server_error'],
    ] as const) {
      as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, status, body));
      const { a, callback } = await start();
      expect((await rejectsWith(a.handleRedirectCallback(callback), code)).message).not.toContain('c0de');
    }
  });

  it('forgets a cached client_id the token endpoint no longer knows (401 invalid_client)', async () => {
    as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, 401, { error: 'invalid_client' }));
    const { a, callback } = await start();
    expect((await rejectsWith(a.handleRedirectCallback(callback), 'server_error')).status).toBe(401);
    await start();
    expect(as.count('/oauth/register')).toBe(2);
  });

  it.each([
    ['invalid_client (400)', 400, { error: 'invalid_client' }, 'server_error'],
    ['invalid_grant, which production may answer for an unknown client', 400, { error: 'invalid_grant' }, 'invalid_grant'],
    ['invalid_grant in the OpenAI envelope', 400, { error: { type: 'invalid_request_error', code: 'invalid_grant' } }, 'invalid_grant'],
  ] as const)('forgets a cached client_id on %s', async (_, status, body, code) => {
    as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, status, body));
    const { a, callback } = await start();
    expect((await rejectsWith(a.handleRedirectCallback(callback), code)).status).toBe(status);
    await start();
    expect(as.count('/oauth/register')).toBe(2);
  });

  it('keeps the cached client_id on other token endpoint errors', async () => {
    as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, 400, { error: 'invalid_request' }));
    const { a, callback } = await start();
    await rejectsWith(a.handleRedirectCallback(callback), 'invalid_request');
    as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, 503, 'unavailable'));
    const second = await start();
    await rejectsWith(second.a.handleRedirectCallback(second.callback), 'server_error');
    await start();
    expect(as.count('/oauth/register')).toBe(1);
  });

  it('accepts a registration answered 200 as well as 201', async () => {
    as.routes.set('POST /oauth/register', (_q, body, res) => send(res, 200, { ...JSON.parse(body), client_id: 'ngpt_ok200' }));
    const { url } = await start();
    expect(url.searchParams.get('client_id')).toBe('ngpt_ok200');
    as.routes.set('POST /oauth/register', (_q, body, res) => send(res, 202, { ...JSON.parse(body), client_id: 'ngpt_x' }));
    await rejectsWith(registerClient({ issuer: as.base, clientName: 'x', redirectUris: [REDIRECT] }), 'server_error');
  });

  it('registers afresh when a sign-in with the cached client never came back (a server that forgot it)', async () => {
    let registered = 0;
    as.routes.set('POST /oauth/register', (_q, body, res) => send(res, 201, { ...JSON.parse(body), client_id: `ngpt_${++registered}` }));
    const first = await start();
    expect(as.count('/oauth/register')).toBe(1);
    const second = await start(); // the first one landed on the server's invalid_client page
    expect(as.count('/oauth/register')).toBe(2);
    expect(await second.a.handleRedirectCallback(second.callback)).toEqual({ key: KEY, scope: 'models.read api.use' });
    await start(); // the last sign-in came back: the cached client is trusted again
    expect(as.count('/oauth/register')).toBe(2);
    expect(first.url.searchParams.get('client_id')).toBe('ngpt_1');
    expect(second.url.searchParams.get('client_id')).toBe('ngpt_2');
  });

  it('maps 429 with Retry-After to rate_limited', async () => {
    as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, 429, { error: 'slow_down' }, { 'retry-after': '5' }));
    const { a, callback } = await start();
    expect((await rejectsWith(a.handleRedirectCallback(callback), 'rate_limited')).retryAfter).toBe(5);
  });

  it.each([
    ['non-JSON', 'not json'],
    ['not NanoGPT format', { access_token: 'opaque-token', token_type: 'Bearer', scope: 'api.use' }],
    ['missing token_type', { access_token: KEY, scope: 'api.use' }],
    ['token_type DPoP', { access_token: KEY, token_type: 'DPoP', scope: 'api.use' }],
    ['key differs', { access_token: KEY, key: KEY2, token_type: 'Bearer', scope: 'api.use' }],
    ['scope missing', { access_token: KEY, token_type: 'Bearer' }],
    ['array', [KEY]],
  ])('rejects a malformed token response: %s', async (_, body) => {
    as.routes.set('POST /oauth/token', (_q, _b, res) => send(res, 200, body));
    const { a, callback } = await start();
    const error = await rejectsWith(a.handleRedirectCallback(callback), 'invalid_token_response');
    expect(error.message).not.toContain(KEY);
    expect(error.cause).toBeUndefined(); // oauth4webapi errors carry the body: never attached
  });

  it('validates state, iss and error parameters in exchangeAuthorizationCode', async () => {
    const base = { issuer: as.base, clientId: 'ngpt_test', redirectUri: REDIRECT, state: 's1', codeVerifier: 'v'.repeat(43), metadata: as.metadata };
    await rejectsWith(exchangeAuthorizationCode({ ...base, callbackUrl: `${REDIRECT}?code=x&state=s2` }), 'state_mismatch');
    await rejectsWith(exchangeAuthorizationCode({ ...base, callbackUrl: `${REDIRECT}?code=x` }), 'state_mismatch');
    await rejectsWith(exchangeAuthorizationCode({ ...base, callbackUrl: `${REDIRECT}?code=x&state=s1&iss=https%3A%2F%2Fevil` }), 'issuer_mismatch');
    await rejectsWith(
      exchangeAuthorizationCode({ ...base, metadata: { ...as.metadata, authorization_response_iss_parameter_supported: true }, callbackUrl: `${REDIRECT}?code=x&state=s1` }),
      'issuer_mismatch',
    );
    await rejectsWith(exchangeAuthorizationCode({ ...base, callbackUrl: `${REDIRECT}?error=access_denied&state=s1` }), 'access_denied');
    await rejectsWith(exchangeAuthorizationCode({ ...base, callbackUrl: `${REDIRECT}?state=s1` }), 'missing_code');
    expect(as.count('/oauth/token')).toBe(0);
    const ok = await exchangeAuthorizationCode({ ...base, callbackUrl: `${REDIRECT}?code=x&state=s1&iss=${encodeURIComponent(as.base)}` });
    expect(ok.key).toBe(KEY);
  });

  it('discover rejects an issuer mismatch and non-200 answers', async () => {
    as.routes.set('GET /.well-known/oauth-authorization-server', (_q, _b, res) => send(res, 200, { ...as.metadata, issuer: 'https://evil.example' }));
    await rejectsWith(discover(as.base), 'server_error');
    as.routes.set('GET /.well-known/oauth-authorization-server', (_q, _b, res) => send(res, 500, 'x'));
    await rejectsWith(discover(as.base), 'server_error');
    expect((await rejectsWith(discover('http://127.0.0.1:1'), 'network_error')).cause).toBeDefined();
  });

  it('discover refuses plain http to a non-loopback issuer', async () => {
    await rejectsWith(discover('http://nano.example'), 'server_error');
  });

  it('registerClient maps invalid_request and a response without client_id', async () => {
    as.routes.set('POST /oauth/register', (_q, _b, res) => send(res, 400, { error: 'invalid_request', error_description: 'bad redirect' }));
    const p = { issuer: as.base, clientName: 'x', redirectUris: ['http://evil'] };
    await rejectsWith(registerClient(p), 'invalid_request');
    as.routes.set('POST /oauth/register', (_q, _b, res) => send(res, 201, { client_name: 'x' }));
    await rejectsWith(registerClient(p), 'server_error');
  });
});
