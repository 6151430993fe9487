// Integration: the built package (dist) against the real mock speaking NanoGPT's v2 API (spec §2):
// usage as the key check, the OpenAI error envelope read into typed errors, caps and balance.
import { followConsent, startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, createNanoGptAuth, fetchUsage, memoryStorage, type NanoGptAuth, type UsageLimitType } from '../dist/index.js';
import { rejectsWith } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:5173/callback';
const PRICED = 'gpt-4o-mini';
const FREE = 'nano-mock-echo';
let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.controls.reset());

/** A client signed in through the consent page, with the spend cap the user chose there. */
async function signedIn(consent: { limit?: number; usageLimitType?: UsageLimitType } = {}): Promise<NanoGptAuth> {
  const auth = createNanoGptAuth({ issuer: mock.url, redirectUri: REDIRECT, clientName: 'Core v2', storage: memoryStorage() });
  await auth.handleRedirectCallback(await followConsent(await auth.createSignInUrl(), { decision: 'approve', ...consent }));
  return auth;
}

const chat = (auth: NanoGptAuth, model: string) =>
  auth.fetch('/api/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello there' }] }),
  });

describe('v2 API against the mock', () => {
  it("auth.usage reads the key's usage, which grows with a priced chat exactly as the mock accounts it", async () => {
    const auth = await signedIn();
    const before = await auth.usage();
    expect(before).toMatchObject({ object: 'usage', timezone: 'UTC', groupBy: 'day,model', totals: { requests: 0, costUsd: 0 } });
    expect((await chat(auth, PRICED)).status).toBe(200);
    const after = await auth.usage({ groupBy: 'model' });
    expect(after.totals.requests).toBe(1);
    expect(after.totals.costUsd).toBeGreaterThan(0);
    expect(after.byModel?.length).toBe(1);
    expect(after.byDay).toBeUndefined();
    expect(after.totals).toEqual((await mock.controls.keyUsage(auth.getKey()!, { groupBy: 'model' })).totals);
  });

  it('a revoked key: the public model list still answers 200, auth.usage says session_expired and signs out', async () => {
    const auth = await signedIn();
    await mock.controls.revokeKey(auth.getKey()!);
    expect((await auth.fetch('/api/v1/models')).status).toBe(200);
    expect(auth.isSignedIn()).toBe(true);
    await rejectsWith(auth.usage(), 'session_expired');
    expect(auth.isSignedIn()).toBe(false);
  });

  it('fetchUsage: a bad date range is invalid_request, an unknown key session_expired', async () => {
    const { key } = await mock.controls.createKey();
    await rejectsWith(fetchUsage({ issuer: mock.url, key, from: '2026-05-02' }), 'invalid_request');
    await rejectsWith(fetchUsage({ issuer: mock.url, key, from: '2026-05-02', to: '2026-05-01' }), 'invalid_request');
    expect((await fetchUsage({ issuer: mock.url, key, groupBy: 'day' })).byDay).toBeDefined();
    await rejectsWith(fetchUsage({ issuer: mock.url, key: 'sk-nano-00000000-0000-4000-8000-000000000000' }), 'session_expired');
  });

  it('a $0 cap set on the consent page: a priced model is spend_limit_reached, a free model answers', async () => {
    const auth = await signedIn({ limit: 0, usageLimitType: 'daily' });
    const error = await rejectsWith(chat(auth, PRICED), 'spend_limit_reached');
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.message).toMatch(/spend cap.*It resets at /);
    expect((await chat(auth, FREE)).status).toBe(200);
    expect(auth.isSignedIn()).toBe(true);
  });

  it('weekly and monthly caps are spend_limit_reached too', async () => {
    for (const usageLimitType of ['weekly', 'monthly'] as const) {
      const auth = await signedIn({ limit: 0, usageLimitType });
      await rejectsWith(chat(auth, PRICED), 'spend_limit_reached');
    }
  });

  it('an empty balance is insufficient_balance (402) for a priced model; a free model still answers', async () => {
    const auth = await signedIn();
    await mock.controls.setBalance(0);
    expect((await rejectsWith(chat(auth, PRICED), 'insufficient_balance')).status).toBe(402);
    expect((await chat(auth, FREE)).status).toBe(200);
  });

  it("a key's daily request cap is request_limit_reached, until 00:00 UTC", async () => {
    const { key } = await mock.controls.createKey({ restrictions: { requestLimit: 1 } });
    const send = () =>
      fetch(mock.url + '/api/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' },
        body: JSON.stringify({ model: FREE, messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await send()).status).toBe(200);
    const error = await apiError(await send());
    expect(error.code).toBe('request_limit_reached');
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.retryAfter).toBeLessThanOrEqual(86_400);
  });

  it('throughput limits stay rate_limited; other failures come back for apiError', async () => {
    const auth = await signedIn();
    await mock.controls.setCatalogueOnly(true);
    const unknown = await chat(auth, 'acme/no-such-model');
    expect(unknown.status).toBe(404);
    expect(await apiError(unknown)).toMatchObject({ code: 'invalid_request', status: 404 });
    await mock.controls.setRateLimit(0);
    await rejectsWith(chat(auth, FREE), 'rate_limited');
    await rejectsWith(auth.usage(), 'rate_limited');
  });
});
