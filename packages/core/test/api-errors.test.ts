// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiError, createNanoGptAuth, readApiErrorCode } from '../src/index.js';
import { fakeFetch, ISSUER, json, KEY, okKey, rejectsWith } from './helpers.js';

const PAGE = 'http://localhost:3000/callback';

/** The OpenAI envelope NanoGPT's /api/v1/* endpoints answer errors in (spec §2). */
const envelope = (type: string, code?: string) => ({ error: { message: `about ${KEY}`, type, ...(code ? { code } : {}), param: null } });

describe('readApiErrorCode', () => {
  it.each([
    ['the OpenAI envelope: its code', envelope('rate_limit_error', 'daily_usd_limit_exceeded'), 'daily_usd_limit_exceeded'],
    ['the OpenAI envelope without a code: its type', envelope('invalid_request_error'), 'invalid_request_error'],
    ['the OpenAI envelope with code null: its type', { error: { type: 'authentication_error', code: null } }, 'authentication_error'],
    ["Anthropic's envelope: the error's type", { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }, 'rate_limit_error'],
    ['the flat OAuth shape', { error: 'invalid_grant', error_description: 'x' }, 'invalid_grant'],
    ['no error field', { message: 'x' }, undefined],
    ['an error object without code or type', { error: { message: 'x' } }, undefined],
    ['an error with a numeric code', { error: { code: 42 } }, undefined],
    ['null', null, undefined],
    ['a string', 'error', undefined],
    ['a number', 5, undefined],
    ['an array', [{ error: 'x' }], undefined],
  ])('%s', (_, body, code) => {
    expect(readApiErrorCode(body)).toBe(code);
  });
});

describe('apiError', () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    [401, envelope('authentication_error', 'invalid_api_key'), 'session_expired'],
    [402, { error: 'Insufficient balance', requiredBalance: 0.0035, status: 402 }, 'insufficient_balance'],
    [402, envelope('insufficient_quota', 'insufficient_quota'), 'insufficient_balance'],
    [403, envelope('permission_error', 'api_key_origin_not_allowed'), 'origin_not_allowed'],
    [403, { error: 'api_key_origin_not_allowed' }, 'origin_not_allowed'],
    [403, envelope('permission_error', 'model_not_allowed'), 'invalid_request'],
    [429, envelope('rate_limit_error', 'rate_limit_exceeded'), 'rate_limited'],
    [429, { error: 'rate_limited' }, 'rate_limited'],
    [429, { type: 'error', error: { type: 'rate_limit_error' } }, 'rate_limited'],
    [429, envelope('rate_limit_error', 'daily_usd_limit_exceeded'), 'spend_limit_reached'],
    [429, envelope('rate_limit_error', 'weekly_usd_limit_exceeded'), 'spend_limit_reached'],
    [429, envelope('rate_limit_error', 'monthly_usd_limit_exceeded'), 'spend_limit_reached'],
    [429, envelope('rate_limit_error', 'daily_rpd_limit_exceeded'), 'request_limit_reached'],
    [400, envelope('invalid_request_error'), 'invalid_request'],
    [404, envelope('not_found_error', 'model_not_found'), 'invalid_request'],
    [500, 'Internal error', 'server_error'],
    [503, envelope('service_unavailable'), 'server_error'],
  ] as const)('%i %j is %s', async (status, body, code) => {
    const error = await apiError(json(body, status));
    expect(error).toMatchObject({ name: 'NanoGptAuthError', code, status });
    expect(error.message).not.toContain(KEY); // never the server's text
  });

  it('keeps Retry-After and tells when a cap resets; leaves the response readable', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-05-31T20:00:00Z') });
    const response = json(envelope('rate_limit_error', 'daily_usd_limit_exceeded'), 429, { 'Retry-After': '14400' });
    const error = await apiError(response);
    expect(error.retryAfter).toBe(14400);
    expect(error.message).toBe("This app's spend cap on the key is reached. It resets at Mon, 01 Jun 2026 00:00:00 GMT.");
    expect(await response.json()).toMatchObject({ error: { code: 'daily_usd_limit_exceeded' } });
    const requests = await apiError(json(envelope('rate_limit_error', 'daily_rpd_limit_exceeded'), 429, { 'Retry-After': '60' }));
    expect(requests.message).toMatch(/daily request cap.*resets at Sun, 31 May 2026 20:01:00 GMT\.$/);
  });

  it('a cap without Retry-After, and a throughput limit, say no reset time', async () => {
    const cap = await apiError(json(envelope('rate_limit_error', 'monthly_usd_limit_exceeded'), 429));
    expect(cap.retryAfter).toBeUndefined();
    expect(cap.message).toBe("This app's spend cap on the key is reached.");
    const slow = await apiError(json(envelope('rate_limit_error', 'rate_limit_exceeded'), 429, { 'Retry-After': '1' }));
    expect(slow).toMatchObject({ retryAfter: 1, message: 'Rate limited. Retry later.' });
  });

  it('an empty balance says to add funds', async () => {
    expect((await apiError(json({ error: 'Insufficient balance' }, 402))).message).toMatch(/Add funds/);
  });
});

describe('auth.fetch reads both envelopes', () => {
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, '', '/');
  });

  async function signedIn(...api: Parameters<typeof fakeFetch>) {
    const auth = createNanoGptAuth({ issuer: ISSUER, redirectUri: PAGE, fetch: fakeFetch(() => okKey(), ...api) });
    const state = new URL(await auth.createSignInUrl()).searchParams.get('state')!;
    await auth.handleRedirectCallback(`${PAGE}?code=c0de&state=${state}`);
    return auth;
  }

  it('402, spend cap, request cap and rate limit are typed errors; the key stays', async () => {
    const auth = await signedIn(
      () => json({ error: 'Insufficient balance', status: 402 }, 402),
      () => json(envelope('rate_limit_error', 'daily_usd_limit_exceeded'), 429, { 'Retry-After': '3600' }),
      () => json(envelope('rate_limit_error', 'daily_rpd_limit_exceeded'), 429, { 'Retry-After': '7200' }),
      () => json(envelope('rate_limit_error', 'rate_limit_exceeded'), 429),
    );
    const chat = () => auth.fetch('/api/v1/chat/completions', { method: 'POST' });
    expect((await rejectsWith(chat(), 'insufficient_balance')).status).toBe(402);
    expect((await rejectsWith(chat(), 'spend_limit_reached')).retryAfter).toBe(3600);
    expect((await rejectsWith(chat(), 'request_limit_reached')).retryAfter).toBe(7200);
    expect((await rejectsWith(chat(), 'rate_limited')).retryAfter).toBeUndefined();
    expect(auth.getKey()).toBe(KEY);
  });

  it('403 origin refusal in the OpenAI envelope is origin_not_allowed; a 401 envelope drops the key', async () => {
    const auth = await signedIn(
      () => json(envelope('permission_error', 'api_key_origin_not_allowed'), 403),
      () => json(envelope('authentication_error', 'invalid_api_key'), 401),
    );
    await rejectsWith(auth.fetch('/api/v1/models'), 'origin_not_allowed');
    expect(auth.getKey()).toBe(KEY);
    await rejectsWith(auth.fetch('/api/v1/models'), 'session_expired');
    expect(auth.getKey()).toBeNull();
  });

  it('other failures are returned, readable, for apiError', async () => {
    const auth = await signedIn(() => json(envelope('not_found_error', 'model_not_found'), 404));
    const response = await auth.fetch('/api/v1/chat/completions', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await apiError(response)).toMatchObject({ code: 'invalid_request', status: 404 });
  });
});
