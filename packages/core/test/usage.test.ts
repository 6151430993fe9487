// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createNanoGptAuth, fetchUsage, type Usage } from '../src/index.js';
import { fakeFetch, ISSUER, json, KEY, okKey, rejectsWith } from './helpers.js';

const PAGE = 'http://localhost:3000/callback';
const counters = { requests: 3, costUsd: 0.25, refundedUsd: 0, netCostUsd: 0.25, inputTokens: 30, outputTokens: 12, reasoningTokens: 0, totalTokens: 42 };

/** A `/api/v1/usage` answer in the shape of NanoGPT's Usage doc (apiKey.id is a number there). */
const usageBody = (extra: Record<string, unknown> = {}) => ({
  object: 'usage',
  scope: 'current_key',
  apiKey: { id: 123 },
  from: '2026-05-01',
  to: '2026-05-30',
  timezone: 'UTC',
  groupBy: 'day,model',
  asOf: '2026-05-30T12:00:00.000Z',
  source: { rollupDays: [], liveDays: ['2026-05-30'], missingRollupDays: [] },
  totals: counters,
  byDay: [{ date: '2026-05-30', ...counters }],
  byModel: [{ model: 'GPT-4.1 mini', ...counters }],
  byDayModel: [{ date: '2026-05-30', model: 'GPT-4.1 mini', ...counters }],
  ...extra,
});

describe('fetchUsage', () => {
  it('GETs /api/v1/usage with the key as Bearer and the options as the query', async () => {
    const fetchStub = fakeFetch(() => json(usageBody()));
    const usage: Usage = await fetchUsage({ issuer: ISSUER + '/', key: KEY, from: '2026-05-01', to: '2026-05-30', groupBy: 'model', fetch: fetchStub });
    expect(usage.totals.costUsd).toBe(0.25);
    expect(usage.byDayModel?.[0]?.model).toBe('GPT-4.1 mini');
    const { url, init } = fetchStub.calls[0]!;
    expect(url).toBe(ISSUER + '/api/v1/usage?from=2026-05-01&to=2026-05-30&group_by=model');
    expect(url).not.toContain(KEY);
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer ' + KEY);
  });

  it('asks for the default range without a query', async () => {
    const fetchStub = fakeFetch(() => json(usageBody({ byModel: undefined, byDayModel: undefined })));
    const usage = await fetchUsage({ issuer: ISSUER, key: KEY, fetch: fetchStub });
    expect(fetchStub.calls[0]!.url).toBe(ISSUER + '/api/v1/usage');
    expect(usage.byModel).toBeUndefined();
    expect(usage.apiKey.id).toBe(123);
  });

  it.each([
    [401, { error: { type: 'authentication_error', code: 'invalid_api_key', message: 'Invalid API key' } }, 'session_expired'],
    [400, { error: { type: 'invalid_request_error', message: 'from and to must use YYYY-MM-DD UTC dates.' } }, 'invalid_request'],
    [429, { error: { type: 'rate_limit_exceeded', message: 'Too many usage requests' } }, 'rate_limited'],
    [503, { error: { type: 'usage_not_ready', message: 'not ready' } }, 'server_error'],
  ] as const)('%i is %s', async (status, body, code) => {
    const error = await rejectsWith(fetchUsage({ issuer: ISSUER, key: KEY, fetch: fakeFetch(() => json(body, status)) }), code);
    expect(error.status).toBe(status);
  });

  it('refuses an issuer that is not a plain https origin', async () => {
    await rejectsWith(fetchUsage({ issuer: 'http://nano.example', key: KEY, fetch: fakeFetch(() => json(usageBody())) }), 'invalid_request');
  });

  it('a network failure is network_error', async () => {
    await rejectsWith(fetchUsage({ issuer: ISSUER, key: KEY, fetch: fakeFetch(() => Promise.reject(new TypeError('down'))) }), 'network_error');
  });

  it.each([
    ['not JSON', 'usage!'],
    ['null', null],
    ['an array', [usageBody()]],
    ['another object', usageBody({ object: 'list' })],
    ['no totals', usageBody({ totals: undefined })],
    ['a counter as a string', usageBody({ totals: { ...counters, costUsd: '0.25' } })],
    ['a counter missing', usageBody({ totals: { ...counters, requests: undefined } })],
    ['an infinite counter (1e999)', '{"object":"usage","totals":{"requests":1e999}}'],
    ['from not a string', usageBody({ from: 20260501 })],
    ['no apiKey', usageBody({ apiKey: undefined })],
    ['an apiKey id object', usageBody({ apiKey: { id: {} } })],
    ['byDay not an array', usageBody({ byDay: { date: '2026-05-30', ...counters } })],
    ['a byDay row without a date', usageBody({ byDay: [counters] })],
    ['a byModel row with markup as a count', usageBody({ byModel: [{ model: 'x', ...counters, requests: '<img src=x>' }] })],
    ['a byDayModel row that is null', usageBody({ byDayModel: [null] })],
  ])('a malformed answer (%s) is invalid_response', async (_, body) => {
    const error = await rejectsWith(fetchUsage({ issuer: ISSUER, key: KEY, fetch: fakeFetch(() => json(body)) }), 'invalid_response');
    expect(error.message).not.toContain(KEY);
  });
});

describe('auth.usage', () => {
  beforeEach(() => sessionStorage.clear());

  async function signedIn(...api: Parameters<typeof fakeFetch>) {
    const fetchStub = fakeFetch(() => okKey(), ...api);
    const auth = createNanoGptAuth({ issuer: ISSUER, redirectUri: PAGE, fetch: fetchStub });
    const state = new URL(await auth.createSignInUrl()).searchParams.get('state')!;
    await auth.handleRedirectCallback(`${PAGE}?code=c0de&state=${state}`);
    return { auth, fetchStub };
  }

  it("reads the signed-in key's usage", async () => {
    const { auth, fetchStub } = await signedIn(() => json(usageBody()));
    const usage = await auth.usage({ groupBy: 'day' });
    expect(usage.totals.requests).toBe(3);
    expect(fetchStub.calls[1]!.url).toBe(ISSUER + '/api/v1/usage?group_by=day');
    expect(new Headers(fetchStub.calls[1]!.init.headers).get('authorization')).toBe('Bearer ' + KEY);
  });

  it('a revoked key: session_expired, the key dropped, listeners told', async () => {
    const { auth } = await signedIn(() => json({ error: { type: 'authentication_error', code: 'invalid_api_key' } }, 401));
    const seen: Array<string | null> = [];
    auth.onChange((key) => seen.push(key));
    await rejectsWith(auth.usage(), 'session_expired');
    expect(auth.isSignedIn()).toBe(false);
    expect(seen).toEqual([null]);
  });

  it('a bad range and a malformed answer are typed errors; the key stays', async () => {
    const { auth } = await signedIn(
      () => json({ error: { type: 'invalid_request_error', message: 'to must be on or after from' } }, 400),
      () => json({ object: 'usage' }),
    );
    await rejectsWith(auth.usage({ from: '2026-05-02', to: '2026-05-01' }), 'invalid_request');
    await rejectsWith(auth.usage(), 'invalid_response');
    expect(auth.getKey()).toBe(KEY);
  });

  it('refuses when not signed in, without a request', async () => {
    const fetchStub = fakeFetch(() => json(usageBody()));
    await rejectsWith(createNanoGptAuth({ issuer: ISSUER, redirectUri: PAGE, fetch: fetchStub }).usage(), 'not_signed_in');
    expect(fetchStub).not.toHaveBeenCalled();
  });
});
