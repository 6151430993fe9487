import { describe, expect, it } from 'vitest';
import { exchangeShortcutCode } from '../src/index.js';
import { fakeFetch, ISSUER, json, KEY, KEY2, okKey, rejectsWith } from './helpers.js';

const CODE = 'the-code-123';
const VERIFIER = 'v'.repeat(43);
const run = (fetchStub: typeof fetch) => exchangeShortcutCode({ issuer: ISSUER, code: CODE, codeVerifier: VERIFIER, fetch: fetchStub });

describe('exchangeShortcutCode', () => {
  it('POSTs JSON to /api/v1/auth/keys and returns key, scope, userId', async () => {
    const fetchStub = fakeFetch(() => okKey());
    expect(await run(fetchStub)).toEqual({ key: KEY, scope: 'models.read api.use', userId: 'u1' });
    const { url, init } = fetchStub.calls[0]!;
    expect(url).toBe(ISSUER + '/api/v1/auth/keys');
    expect(init.method).toBe('POST');
    expect(init.redirect).toBe('manual');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(init.body))).toEqual({ grant_type: 'authorization_code', code: CODE, code_verifier: VERIFIER });
  });

  it('accepts key-only, access_token-only, bare-UUID and lowercase bearer responses', async () => {
    const uuid = '123e4567-e89b-12d3-a456-426614174a2b';
    expect((await run(fakeFetch(() => json({ key: KEY, scope: 'api.use' })))).key).toBe(KEY);
    expect((await run(fakeFetch(() => json({ access_token: KEY, token_type: 'bearer', scope: 'api.use' })))).key).toBe(KEY);
    expect((await run(fakeFetch(() => json({ key: uuid, access_token: uuid, scope: 'api.use' })))).key).toBe(uuid);
  });

  const malformed: Array<[string, string | object]> = [
    ['not JSON', '<html>oops</html>'],
    ['JSON array', [KEY]],
    ['JSON string', JSON.stringify(KEY)],
    ['null', 'null'],
    ['no key', { token_type: 'Bearer', scope: 'api.use' }],
    ['key not NanoGPT format', { access_token: 'ya29.abcdef', scope: 'api.use' }],
    ['key not a string', { key: 42, scope: 'api.use' }],
    ['key differs from access_token', { key: KEY, access_token: KEY2, scope: 'api.use' }],
    ['access_token invalid while key valid', { key: KEY, access_token: 'x', scope: 'api.use' }],
    ['token_type not Bearer', { key: KEY, token_type: 'mac', scope: 'api.use' }],
    ['token_type not a string', { key: KEY, token_type: 1, scope: 'api.use' }],
    ['scope missing', { key: KEY }],
    ['scope not a string', { key: KEY, scope: ['api.use'] }],
    ['user_id not a string', { key: KEY, scope: 'api.use', user_id: 5 }],
  ];
  it.each(malformed)('rejects a malformed success response: %s', async (_, body) => {
    const error = await rejectsWith(run(fakeFetch(() => json(body))), 'invalid_token_response');
    expect(error.message).not.toContain(KEY);
  });

  it.each([
    ['invalid_grant', 400, 'invalid_grant'],
    ['invalid_request', 400, 'invalid_request'],
    ['invalid_scope', 400, 'invalid_scope'],
    ['unsupported_grant_type', 400, 'server_error'],
    ['temporarily_unavailable', 503, 'server_error'],
  ] as const)('maps server error %s (%i) to %s', async (error, status, code) => {
    const failure = await rejectsWith(run(fakeFetch(() => json({ error, error_description: 'desc' }, status))), code);
    expect(failure.status).toBe(status);
    for (const secret of [CODE, VERIFIER]) expect(failure.message).not.toContain(secret);
  });

  it('reads the code from the OpenAI envelope too (/api/v1/auth/keys is under /api/v1)', async () => {
    const body = { error: { message: 'Invalid code', type: 'invalid_request_error', code: 'invalid_grant' } };
    expect((await rejectsWith(run(fakeFetch(() => json(body, 400))), 'invalid_grant')).status).toBe(400);
  });

  it('does not follow a redirect from the token endpoint (server_error)', async () => {
    const error = await rejectsWith(run(fakeFetch(() => new Response(null, { status: 307, headers: { location: 'https://evil.example/' } }))), 'server_error');
    expect(error.status).toBe(307);
  });

  it('maps a non-JSON 500 to server_error', async () => {
    const error = await rejectsWith(run(fakeFetch(() => new Response('Bad gateway', { status: 502 }))), 'server_error');
    expect(error.status).toBe(502);
  });

  it('maps 429 to rate_limited with Retry-After seconds', async () => {
    const error = await rejectsWith(run(fakeFetch(() => json({ error: 'rate_limited' }, 429, { 'retry-after': '7' }))), 'rate_limited');
    expect(error.retryAfter).toBe(7);
    expect(error.status).toBe(429);
  });

  it('reads an HTTP-date Retry-After, and leaves retryAfter undefined when absent or garbage', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    const error = await rejectsWith(run(fakeFetch(() => json({}, 429, { 'retry-after': date }))), 'rate_limited');
    expect(error.retryAfter).toBeGreaterThanOrEqual(28);
    expect(error.retryAfter).toBeLessThanOrEqual(30);
    const past = await rejectsWith(run(fakeFetch(() => json({}, 429, { 'retry-after': new Date(0).toUTCString() }))), 'rate_limited');
    expect(past.retryAfter).toBe(0);
    expect((await rejectsWith(run(fakeFetch(() => json({}, 429))), 'rate_limited')).retryAfter).toBeUndefined();
    expect((await rejectsWith(run(fakeFetch(() => json({}, 429, { 'retry-after': 'soon' }))), 'rate_limited')).retryAfter).toBeUndefined();
    // Date.parse reads these as dates in 2001; a garbled header must not mean "retry now".
    for (const garbage of ['1.5', '-1', 'x 1', '2026-11-27'])
      expect((await rejectsWith(run(fakeFetch(() => json({}, 429, { 'retry-after': garbage }))), 'rate_limited')).retryAfter, garbage).toBeUndefined();
    // The obsolete HTTP-date forms (RFC 850, asctime) still count.
    for (const date of [new Date(0).toUTCString().replace('Thu, 01 Jan 1970', 'Thursday, 01-Jan-70'), 'Thu Jan  1 00:00:00 1970'])
      expect((await rejectsWith(run(fakeFetch(() => json({}, 429, { 'retry-after': date }))), 'rate_limited')).retryAfter, date).toBe(0);
  });

  it('maps a transport failure to network_error with the cause', async () => {
    const boom = new TypeError('fetch failed');
    const error = await rejectsWith(run(fakeFetch(() => Promise.reject(boom))), 'network_error');
    expect(error.cause).toBe(boom);
  });

  it('lets an abort through unchanged', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    await expect(run(fakeFetch(() => Promise.reject(abort)))).rejects.toBe(abort);
  });
});
