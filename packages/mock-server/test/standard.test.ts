import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { authorizeUrl, codeFrom, control, get, json, pkce, postForm, postJson, register, start } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:6000/callback';

describe('dynamic client registration (POST /oauth/register)', () => {
  it('registers a public client and echoes its metadata with an ngpt_ client_id', async () => {
    const server = await start();
    const res = await postJson(`${server.url}/oauth/register`, {
      client_name: 'My App',
      redirect_uris: [REDIRECT, 'https://app.example.com/cb'],
      client_uri: 'https://app.example.com',
      logo_uri: 'https://app.example.com/logo.png',
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.client_id).toMatch(/^ngpt_[A-Za-z0-9_-]+$/);
    expect(body).toMatchObject({
      client_name: 'My App',
      redirect_uris: [REDIRECT, 'https://app.example.com/cb'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      // URLs come back normalised (spec §8)
      client_uri: 'https://app.example.com/',
      logo_uri: 'https://app.example.com/logo.png',
    });
    expect(body).not.toHaveProperty('client_secret');
  });

  it.each([
    ['missing client_name', { redirect_uris: [REDIRECT] }],
    ['empty client_name', { client_name: ' ', redirect_uris: [REDIRECT] }],
    ['missing redirect_uris', { client_name: 'A' }],
    ['empty redirect_uris', { client_name: 'A', redirect_uris: [] }],
    ['redirect_uris not strings', { client_name: 'A', redirect_uris: [42] }],
    ['http non-loopback', { client_name: 'A', redirect_uris: ['http://example.com/cb'] }],
    ['loopback without port', { client_name: 'A', redirect_uris: ['http://127.0.0.1/cb'] }],
    ['fragment', { client_name: 'A', redirect_uris: ['https://a.example/cb#x'] }],
    ['userinfo', { client_name: 'A', redirect_uris: ['https://user:pw@a.example/cb'] }],
    ['wildcard', { client_name: 'A', redirect_uris: ['https://*.example.com/cb'] }],
    ['non-ASCII redirect URI', { client_name: 'A', redirect_uris: ['https://a.example/日本'] }],
    ['refresh_token grant', { client_name: 'A', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] }],
    ['token response type', { client_name: 'A', redirect_uris: [REDIRECT], response_types: ['token'] }],
    ['client secret auth', { client_name: 'A', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' }],
    ['http client_uri', { client_name: 'A', redirect_uris: [REDIRECT], client_uri: 'http://a.example' }],
    ['logo_uri with fragment', { client_name: 'A', redirect_uris: [REDIRECT], logo_uri: 'https://a.example/l.png#x' }],
  ])('rejects %s with invalid_request', async (_name, metadata) => {
    const server = await start();
    const res = await postJson(`${server.url}/oauth/register`, metadata);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_request');
  });
});

async function setup(redirect = REDIRECT) {
  const server = await start();
  const clientId = await register(server, [redirect]);
  return { server, clientId };
}

describe('standard flow (/oauth/authorize -> consent -> /oauth/token)', () => {
  it('completes with the form-encoded token request and no-store', async () => {
    const { server, clientId } = await setup();
    const pair = pkce();
    const location = await followConsent(authorizeUrl(server, { client_id: clientId, redirect_uri: REDIRECT, code_challenge: pair.challenge, state: 'xyz' }));
    const url = new URL(location);
    expect(url.origin + url.pathname).toBe(REDIRECT);
    expect(url.searchParams.get('state')).toBe('xyz');
    const res = await postForm(`${server.url}/oauth/token`, {
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code: codeFrom(location),
      code_verifier: pair.verifier,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json(res);
    expect(body).toEqual({ access_token: expect.stringMatching(/^sk-nano-/), token_type: 'Bearer', scope: 'models.read api.use' });
    const key = await control(server, 'keys/inspect', { key: body.access_token });
    expect(key.name).toBe('OAuth: Test App');
    expect(key.allowedOrigins).toEqual(['http://127.0.0.1:6000', 'http://localhost:6000', 'http://[::1]:6000']);
  });

  it('accepts a JSON token request', async () => {
    const { server, clientId } = await setup();
    const pair = pkce();
    const location = await followConsent(authorizeUrl(server, { client_id: clientId, redirect_uri: REDIRECT, code_challenge: pair.challenge }));
    const res = await postJson(`${server.url}/oauth/token`, {
      grant_type: 'authorization_code', client_id: clientId, redirect_uri: REDIRECT, code: codeFrom(location), code_verifier: pair.verifier,
    });
    expect(res.status).toBe(200);
  });

  it('binds https redirect keys to that origin only', async () => {
    const { server, clientId } = await setup('https://app.example.com/cb');
    const pair = pkce();
    const location = await followConsent(authorizeUrl(server, { client_id: clientId, redirect_uri: 'https://app.example.com/cb', code_challenge: pair.challenge }));
    const token = await json(await postForm(`${server.url}/oauth/token`, {
      grant_type: 'authorization_code', client_id: clientId, redirect_uri: 'https://app.example.com/cb', code: codeFrom(location), code_verifier: pair.verifier,
    }));
    const key = token.access_token as string;
    expect((await control(server, 'keys/inspect', { key })).allowedOrigins).toEqual(['https://app.example.com']);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${key}`, origin: 'https://app.example.com' })).status).toBe(200);
    const other = await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${key}`, origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    expect(((await json(other)).error as { code: string }).code).toBe('api_key_origin_not_allowed');
  });

  it('canonicalises loopback hosts: registered localhost matches 127.0.0.1 and [::1]', async () => {
    const { server, clientId } = await setup('http://localhost:6000/callback');
    const pair = pkce();
    const location = await followConsent(authorizeUrl(server, { client_id: clientId, redirect_uri: 'http://[::1]:6000/callback', code_challenge: pair.challenge }));
    expect(location.startsWith('http://[::1]:6000/callback?')).toBe(true);
    const res = await postForm(`${server.url}/oauth/token`, {
      grant_type: 'authorization_code', client_id: clientId, redirect_uri: 'http://127.0.0.1:6000/callback', code: codeFrom(location), code_verifier: pair.verifier,
    });
    expect(res.status).toBe(200);
  });

  it('shows client and redirect errors on its own page, never redirecting', async () => {
    const { server, clientId } = await setup();
    const pair = pkce();
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ client_id: undefined, redirect_uri: REDIRECT }, 'invalid_request'],
      [{ client_id: 'ngpt_unknown', redirect_uri: REDIRECT }, 'invalid_client'],
      [{ client_id: clientId, redirect_uri: undefined }, 'invalid_request'],
      [{ client_id: clientId, redirect_uri: 'http://127.0.0.1:6001/callback' }, 'invalid_request'],
      [{ client_id: clientId, redirect_uri: `${REDIRECT}/` }, 'invalid_request'],
      [{ client_id: clientId, redirect_uri: `${REDIRECT}#x` }, 'invalid_request'],
      [{ client_id: clientId, redirect_uri: 'http://127.0.0.1/callback' }, 'invalid_request'],
      [{ client_id: clientId, redirect_uri: 'https://evil.example/callback' }, 'invalid_request'],
    ];
    for (const [params, error] of cases) {
      const res = await get(authorizeUrl(server, { code_challenge: pair.challenge, ...params }));
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain(`data-error="${error}"`);
    }
    // repeated client_id / redirect_uri cannot be trusted either
    const dup = await get(`${authorizeUrl(server, { client_id: clientId, redirect_uri: REDIRECT, code_challenge: pair.challenge })}&redirect_uri=${encodeURIComponent(REDIRECT)}`);
    expect(dup.status).toBe(400);
    expect(dup.headers.get('location')).toBeNull();
  });

  it('redirects other parameter errors with error, error_description and state', async () => {
    const { server, clientId } = await setup();
    const pair = pkce();
    const base = { client_id: clientId, redirect_uri: REDIRECT, code_challenge: pair.challenge, state: 'st9' };
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ response_type: undefined }, 'invalid_request'],
      [{ scope: 'models.read' }, 'invalid_scope'],
      [{ scope: 'api.use write' }, 'invalid_scope'],
      [{ scope: undefined }, 'invalid_scope'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: undefined }, 'invalid_request'],
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge: 'too-short' }, 'invalid_request'],
      [{ prompt: 'none' }, 'invalid_request'],
    ];
    for (const [params, error] of cases) {
      const res = await get(authorizeUrl(server, { ...base, ...params }));
      expect(res.status, JSON.stringify(params)).toBe(302);
      const url = new URL(res.headers.get('location') ?? '');
      expect(url.origin + url.pathname).toBe(REDIRECT);
      expect(url.searchParams.get('error'), JSON.stringify(params)).toBe(error);
      expect(url.searchParams.get('error_description')).toBeTruthy();
      expect(url.searchParams.get('state')).toBe('st9');
    }
    const noState = await get(authorizeUrl(server, { ...base, state: undefined }));
    expect(new URL(noState.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    const repeated = await get(`${authorizeUrl(server, base)}&scope=api.use`);
    expect(new URL(repeated.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('accepts prompt=consent and keeps the redirect URI query', async () => {
    const redirect = 'https://app.example.com/cb?tenant=a';
    const { server, clientId } = await setup(redirect);
    const pair = pkce();
    const location = await followConsent(authorizeUrl(server, { client_id: clientId, redirect_uri: redirect, code_challenge: pair.challenge, prompt: 'consent' }));
    const url = new URL(location);
    expect(url.searchParams.get('tenant')).toBe('a');
    expect(url.searchParams.get('code')).toBeTruthy();
  });

  it('denial redirects with access_denied and state', async () => {
    const { server, clientId } = await setup();
    const location = await followConsent(authorizeUrl(server, { client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, state: 'q' }), { decision: 'deny' });
    const url = new URL(location);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('q');
  });

  describe('token errors', () => {
    async function issued() {
      const ctx = await setup();
      const pair = pkce();
      const location = await followConsent(authorizeUrl(ctx.server, { client_id: ctx.clientId, redirect_uri: REDIRECT, code_challenge: pair.challenge }));
      const good = { grant_type: 'authorization_code', client_id: ctx.clientId, redirect_uri: REDIRECT, code: codeFrom(location), code_verifier: pair.verifier };
      return { ...ctx, good };
    }
    const token = (server: { url: string }, body: Record<string, string>) => postForm(`${server.url}/oauth/token`, body);

    it('reused code -> invalid_grant', async () => {
      const { server, good } = await issued();
      expect((await token(server, good)).status).toBe(200);
      const res = await token(server, good);
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await json(res)).error).toBe('invalid_grant');
    });

    it('expired code -> invalid_grant', async () => {
      const { server, good } = await issued();
      await control(server, 'clock', { advanceSeconds: 61 });
      expect((await json(await token(server, good))).error).toBe('invalid_grant');
    });

    it('other client -> invalid_grant', async () => {
      const { server, good } = await issued();
      const other = await register(server, [REDIRECT]);
      expect((await json(await token(server, { ...good, client_id: other }))).error).toBe('invalid_grant');
    });

    it('other redirect URI -> invalid_grant', async () => {
      const { server, good } = await issued();
      expect((await json(await token(server, { ...good, redirect_uri: 'http://127.0.0.1:6000/other' }))).error).toBe('invalid_grant');
    });

    it('PKCE mismatch -> invalid_grant', async () => {
      const { server, good } = await issued();
      expect((await json(await token(server, { ...good, code_verifier: pkce().verifier }))).error).toBe('invalid_grant');
    });

    it('unknown client -> invalid_client (401)', async () => {
      const { server, good } = await issued();
      const res = await token(server, { ...good, client_id: 'ngpt_nobody' });
      expect(res.status).toBe(401);
      expect((await json(res)).error).toBe('invalid_client');
    });

    it.each(['grant_type', 'client_id', 'redirect_uri', 'code', 'code_verifier'])('missing %s -> invalid_request', async (name) => {
      const { server, good } = await issued();
      const body: Record<string, string> = { ...good };
      delete body[name];
      const res = await token(server, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    });

    it('unsupported grant type -> unsupported_grant_type', async () => {
      const { server, good } = await issued();
      const res = await token(server, { ...good, grant_type: 'refresh_token' });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('unsupported_grant_type');
    });

    it('repeated parameter -> invalid_request (RFC 6749 §3.1)', async () => {
      const { server, good } = await issued();
      const body = `${new URLSearchParams(good).toString()}&code=${encodeURIComponent(good.code)}`;
      const res = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    });

    it('a shortcut code is not redeemable at /oauth/token', async () => {
      const { server, clientId } = await setup();
      const pair = pkce();
      const location = await followConsent(`${server.url}/auth?callback_url=${encodeURIComponent(REDIRECT)}&code_challenge=${pair.challenge}`);
      const res = await token(server, { grant_type: 'authorization_code', client_id: clientId, redirect_uri: REDIRECT, code: codeFrom(location), code_verifier: pair.verifier });
      expect((await json(res)).error).toBe('invalid_grant');
    });

    it('a standard code is not redeemable at the shortcut endpoint', async () => {
      const { server, good } = await issued();
      const res = await postJson(`${server.url}/api/v1/auth/keys`, { code: good.code, code_verifier: good.code_verifier });
      expect((await json(res)).error).toBe('invalid_grant');
    });
  });
});
