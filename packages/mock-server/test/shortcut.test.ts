import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { codeFrom, control, get, json, pkce, postForm, postJson, shortcutUrl, start } from './helpers.js';

const CALLBACK = 'http://127.0.0.1:5555/callback';

async function shortcutCode(server: Awaited<ReturnType<typeof start>>, extra: Record<string, string> = {}) {
  const pair = pkce();
  const location = await followConsent(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: pair.challenge, state: 'abc', client_name: 'Demo', ...extra }));
  return { ...pair, location, code: codeFrom(location) };
}

describe('shortcut flow (/auth -> consent -> /api/v1/auth/keys)', () => {
  it('approves, redirects with code and state, and exchanges the code for a key', async () => {
    const server = await start();
    const { location, code, verifier } = await shortcutCode(server);
    const url = new URL(location);
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(url.searchParams.get('state')).toBe('abc');
    const res = await postJson(`${server.url}/api/v1/auth/keys`, { grant_type: 'authorization_code', code, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json(res);
    expect(body.key).toMatch(/^sk-nano-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.access_token).toBe(body.key);
    expect(body.token_type).toBe('Bearer');
    expect(body.scope).toBe('models.read api.use');
    expect(typeof body.user_id).toBe('string');
    expect(body).not.toHaveProperty('refresh_token');
    const models = await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${body.key as string}` });
    expect(models.status).toBe(200);
    const inspect = await control(server, 'keys/inspect', { key: body.key });
    expect(inspect.name).toBe('OAuth: Demo');
    expect(inspect.kind).toBe('oauth');
  });

  it('accepts the form-encoded exchange, redirect_uri alias, omitted method and grant_type', async () => {
    const server = await start();
    const pair = pkce();
    const location = await followConsent(shortcutUrl(server, { redirect_uri: CALLBACK, code_challenge: pair.challenge, app_name: 'Alias App' }));
    expect(new URL(location).searchParams.has('state')).toBe(false);
    const res = await postForm(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier });
    expect(res.status).toBe(200);
    const key = (await json(res)).key as string;
    expect((await control(server, 'keys/inspect', { key })).name).toBe('OAuth: Alias App');
  });

  it('denial redirects with error=access_denied and the state', async () => {
    const server = await start();
    const pair = pkce();
    const location = await followConsent(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: pair.challenge, state: 's t&x' }), { decision: 'deny' });
    const url = new URL(location);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('s t&x');
    expect(url.searchParams.has('code')).toBe(false);
  });

  it('rejects a reused code, a wrong verifier and a made-up code with invalid_grant', async () => {
    const server = await start();
    const a = await shortcutCode(server);
    expect((await postJson(`${server.url}/api/v1/auth/keys`, { code: a.code, code_verifier: a.verifier })).status).toBe(200);
    const again = await postJson(`${server.url}/api/v1/auth/keys`, { code: a.code, code_verifier: a.verifier });
    expect(again.status).toBe(400);
    expect((await json(again)).error).toBe('invalid_grant');

    const b = await shortcutCode(server);
    const wrong = await postJson(`${server.url}/api/v1/auth/keys`, { code: b.code, code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).error).toBe('invalid_grant');
    // the failed attempt burned the code
    const after = await postJson(`${server.url}/api/v1/auth/keys`, { code: b.code, code_verifier: b.verifier });
    expect((await json(after)).error).toBe('invalid_grant');

    const fake = await postJson(`${server.url}/api/v1/auth/keys`, { code: 'nope', code_verifier: a.verifier });
    expect((await json(fake)).error).toBe('invalid_grant');
  });

  it('expires codes after codeTtlSeconds (clock control)', async () => {
    const server = await start({ codeTtlSeconds: 30 });
    const a = await shortcutCode(server);
    await control(server, 'clock', { advanceSeconds: 31 });
    const res = await postJson(`${server.url}/api/v1/auth/keys`, { code: a.code, code_verifier: a.verifier });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('invalid_grant');
    const b = await shortcutCode(server);
    await control(server, 'clock', { advanceSeconds: 29 });
    expect((await postJson(`${server.url}/api/v1/auth/keys`, { code: b.code, code_verifier: b.verifier })).status).toBe(200);
  });

  it('expires codes after 60 s by default', async () => {
    const server = await start();
    const a = await shortcutCode(server);
    await control(server, 'clock', { advanceSeconds: 61 });
    expect((await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: a.code, code_verifier: a.verifier }))).error).toBe('invalid_grant');
  });

  it('answers invalid_request for a missing code or verifier and a malformed verifier', async () => {
    const server = await start();
    const a = await shortcutCode(server);
    for (const body of [{ code_verifier: a.verifier }, { code: a.code }, { code: a.code, code_verifier: 'short' }, { code: a.code, code_verifier: `${'a'.repeat(42)}!` }]) {
      const res = await postJson(`${server.url}/api/v1/auth/keys`, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    // the code survived the malformed requests
    expect((await postJson(`${server.url}/api/v1/auth/keys`, { code: a.code, code_verifier: a.verifier })).status).toBe(200);
  });

  it('rejects grant_type other than authorization_code with unsupported_grant_type', async () => {
    const server = await start();
    const a = await shortcutCode(server);
    const res = await postJson(`${server.url}/api/v1/auth/keys`, { grant_type: 'refresh_token', code: a.code, code_verifier: a.verifier });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toBe('unsupported_grant_type');
  });

  it('accepts verifiers of 43 and 128 characters from the full unreserved set', async () => {
    const server = await start();
    const { createHash } = await import('node:crypto');
    for (const verifier of ['A-._~'.repeat(8) + 'abc', ('Zz09-._~'.repeat(16)).slice(0, 128)]) {
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const location = await followConsent(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: challenge }));
      const res = await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: verifier });
      expect(res.status).toBe(200);
    }
  });

  it('shows bad callbacks and challenges on its own page, never redirecting', async () => {
    const server = await start();
    const pair = pkce();
    const cases: Array<Record<string, string>> = [
      { code_challenge: pair.challenge },
      { callback_url: 'http://example.com/cb', code_challenge: pair.challenge },
      { callback_url: 'http://127.0.0.1/cb', code_challenge: pair.challenge },
      { callback_url: `${CALLBACK}#frag`, code_challenge: pair.challenge },
      { callback_url: CALLBACK },
      { callback_url: CALLBACK, code_challenge: 'short' },
      { callback_url: CALLBACK, code_challenge: pair.challenge, code_challenge_method: 'plain' },
      { callback_url: CALLBACK, redirect_uri: 'http://127.0.0.1:9999/other', code_challenge: pair.challenge },
      // Not ASCII: could not be sent back in a Location header (was a 500 once the user approved).
      { callback_url: 'https://app.example/日本', code_challenge: pair.challenge },
      { callback_url: 'https://app.example/cb?x=€', code_challenge: pair.challenge, scope: 'bad' },
    ];
    for (const params of cases) {
      const res = await get(shortcutUrl(server, params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const html = await res.text();
      expect(html).toContain('data-error="invalid_request"');
    }
  });

  it('redirects scope errors to the validated callback with invalid_scope and state', async () => {
    const server = await start();
    const pair = pkce();
    for (const scope of ['models.read', 'api.use admin', ' ']) {
      const res = await get(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: pair.challenge, state: 'k', scope }));
      expect(res.status).toBe(302);
      const url = new URL(res.headers.get('location') ?? '');
      expect(url.searchParams.get('error')).toBe('invalid_scope');
      expect(url.searchParams.get('state')).toBe('k');
      expect(url.searchParams.get('error_description')).toBeTruthy();
    }
  });

  it('normalises the granted scope to "models.read api.use"', async () => {
    const server = await start();
    const a = await shortcutCode(server, { scope: 'api.use models.read' });
    const body = await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: a.code, code_verifier: a.verifier }));
    expect(body.scope).toBe('models.read api.use');
  });

  it('reuses the key for the same grant and mints a new one when the spend cap changes (spec §10)', async () => {
    const server = await start();
    const redeem = async (opts: { limit?: number } = {}) => {
      const pair = pkce();
      const location = await followConsent(shortcutUrl(server, { callback_url: CALLBACK, code_challenge: pair.challenge, client_name: 'Same' }), opts);
      return (await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }))).key as string;
    };
    const first = await redeem();
    expect(await redeem()).toBe(first);
    const capped = await redeem({ limit: 3 });
    expect(capped).not.toBe(first);
    await control(server, 'keys/revoke', { key: first });
    const fresh = await redeem();
    expect(fresh).not.toBe(first);
    expect((await control(server, 'counters')).keysMinted).toBe(3);
  });
});
