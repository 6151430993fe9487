import { describe, expect, it } from 'vitest';
import { followConsent } from '../src/index.js';
import { apiError, chat, codeFrom, dashboardKey, hello, json, pkce, postJson, shortcutUrl, start } from './helpers.js';

// Wednesday 2030-01-02 12:00 UTC: a day, a week (from Monday) and a month (from the 1st) are all under way.
const NOW = Date.UTC(2030, 0, 2, 12);
const PRICED = 'anthropic/claude-opus-4.6'; // $15 / $75 per million tokens
const FREE = 'nano-mock-echo';

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

async function answered(res: Response): Promise<Usage> {
  expect(res.status).toBe(200);
  return (await json(res)).usage as Usage;
}

describe('accounting: every answered completion is costed (spec §2)', () => {
  it('a priced completion costs price × tokens: it lands in the key’s usage and comes off the balance', async () => {
    const server = await start({ now: () => NOW, account: { balanceUsd: 10 } });
    const { key } = await server.controls.createKey();
    const usage = await answered(await chat(server, key, hello(PRICED)));
    const cost = (usage.prompt_tokens * 15 + usage.completion_tokens * 75) / 1e6;
    expect(cost).toBeGreaterThan(0);
    const report = await server.controls.keyUsage(key);
    expect(report.totals.requests).toBe(1);
    expect(report.totals.costUsd).toBeCloseTo(cost, 12);
    expect(report.byModel).toEqual([expect.objectContaining({ model: 'Claude Opus 4.6', requests: 1, inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens })]);
    expect(await server.controls.balance()).toBeCloseTo(10 - cost, 9);
    // the same report as the key gets from the API
    const fromApi = await json(await fetch(`${server.url}/api/v1/usage`, { headers: { authorization: `Bearer ${key}` } }));
    expect(fromApi).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('a model outside the catalogue is priced at the default rate ($1 / $4 per million tokens)', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey();
    const usage = await answered(await chat(server, key, hello('some-lab/next-year-model')));
    expect((await server.controls.keyUsage(key)).totals.costUsd).toBeCloseTo((usage.prompt_tokens * 1 + usage.completion_tokens * 4) / 1e6, 12);
  });

  it('a free model costs nothing but still counts as a request', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey();
    await answered(await chat(server, key, hello(FREE)));
    expect((await server.controls.keyUsage(key)).totals).toMatchObject({ requests: 1, costUsd: 0 });
    expect(await server.controls.balance()).toBe(25);
  });

  it('refused requests are neither billed nor counted', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey({ restrictions: { limit: 0 } });
    expect((await chat(server, key, hello(PRICED))).status).toBe(429);
    expect((await chat(server, key, { model: PRICED })).status).toBe(400);
    expect((await server.controls.keyUsage(key)).totals.requests).toBe(0);
    expect(await server.controls.balance()).toBe(25);
  });
});

describe('balance (spec §2: 402)', () => {
  it('a zero balance answers 402 with NanoGPT’s published balance error for priced models; free models keep working', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey();
    await server.controls.setBalance(0);
    expect(await server.controls.balance()).toBe(0);
    const refused = await chat(server, key, hello(PRICED));
    expect(refused.status).toBe(402);
    expect(await json(refused)).toEqual({ error: 'Insufficient balance', requiredBalance: expect.any(Number), status: 402 });
    await answered(await chat(server, key, hello(FREE)));
    await server.controls.setBalance(5);
    await answered(await chat(server, key, hello(PRICED)));
  });

  it('a balance below the request’s cost is refused with that cost as requiredBalance; reset restores the configured balance', async () => {
    const server = await start({ now: () => NOW, account: { balanceUsd: 3 } });
    const { key } = await server.controls.createKey();
    const usage = await answered(await chat(server, key, hello(PRICED)));
    const cost = (usage.prompt_tokens * 15 + usage.completion_tokens * 75) / 1e6;
    await server.controls.setBalance(cost / 2);
    const refused = await chat(server, key, hello(PRICED));
    expect(refused.status).toBe(402);
    expect(((await json(refused)).requiredBalance as number)).toBeCloseTo(cost, 12);
    await server.controls.reset();
    expect(await server.controls.balance()).toBe(3);
  });

  it('the balance control refuses what is not a non-negative amount', async () => {
    const server = await start();
    for (const balanceUsd of [-1, '5', null]) {
      const res = await postJson(`${server.url}/__mock/balance`, { balanceUsd });
      expect(res.status, String(balanceUsd)).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
  });

  it('the consent page shows the live balance', async () => {
    const server = await start();
    await server.controls.setBalance(1.5);
    const page = await (await fetch(shortcutUrl(server, { callback_url: 'http://127.0.0.1:5555/cb', code_challenge: pkce().challenge }))).text();
    expect(page).toContain('$1.50');
  });
});

describe('spend caps (spec §2)', () => {
  it.each([
    ['daily', 'daily_usd_limit_exceeded', 12 * 3600],
    ['weekly', 'weekly_usd_limit_exceeded', (4 * 24 + 12) * 3600],
    ['monthly', 'monthly_usd_limit_exceeded', (29 * 24 + 12) * 3600],
  ] as const)('a $0 %s cap refuses priced models with 429 %s and Retry-After to the reset; free models still answer', async (period, code, retryAfter) => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey({ restrictions: { limit: 0, usageLimitType: period } });
    const refused = await chat(server, key, hello(PRICED));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
    expect(await apiError(refused)).toEqual({ message: expect.any(String), type: 'rate_limit_error', code, param: null });
    await answered(await chat(server, key, hello(FREE)));
  });

  it('a $0 cap set on the consent page blocks paid spend for that app', async () => {
    const server = await start({ now: () => NOW });
    const pair = pkce();
    const location = await followConsent(shortcutUrl(server, { callback_url: 'http://127.0.0.1:5555/cb', code_challenge: pair.challenge }), { limit: 0, usageLimitType: 'daily' });
    const key = (await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }))).key as string;
    expect((await apiError(await chat(server, key, hello('gpt-4.1-nano')))).code).toBe('daily_usd_limit_exceeded');
    await answered(await chat(server, key, hello(FREE)));
  });

  it('a cap lets requests through until the next one would pass it; a daily cap resets at 00:00 UTC', async () => {
    let now = NOW;
    const server = await start({ now: () => now });
    const probe = await dashboardKey(server);
    const usage = await answered(await chat(server, probe, hello(PRICED)));
    const cost = (usage.prompt_tokens * 15 + usage.completion_tokens * 75) / 1e6;
    const { key } = await server.controls.createKey({ restrictions: { limit: cost * 2.5, usageLimitType: 'daily' } });
    await answered(await chat(server, key, hello(PRICED)));
    await answered(await chat(server, key, hello(PRICED)));
    expect((await apiError(await chat(server, key, hello(PRICED)))).code).toBe('daily_usd_limit_exceeded');
    now += 12 * 3600 * 1000; // 00:00 UTC the next day
    await answered(await chat(server, key, hello(PRICED)));
  });

  it('a cap without a period is monthly', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey({ restrictions: { limit: 0 } });
    expect((await apiError(await chat(server, key, hello(PRICED)))).code).toBe('monthly_usd_limit_exceeded');
  });
});

describe('per-key daily request caps (spec §2)', () => {
  it('429 daily_rpd_limit_exceeded once a key reaches restrictions.requestLimit, free models included, until the next UTC day', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey({ restrictions: { requestLimit: 2 } });
    await answered(await chat(server, key, hello(FREE)));
    await answered(await chat(server, key, hello(PRICED)));
    const capped = await chat(server, key, hello(FREE));
    expect(capped.status).toBe(429);
    expect(capped.headers.get('retry-after')).toBe(String(12 * 3600));
    expect(await apiError(capped)).toEqual({ message: expect.stringContaining('Daily request limit exceeded (2/2)'), type: 'rate_limit_error', code: 'daily_rpd_limit_exceeded', param: null });
    // the cap is the key's own: other keys are not affected
    await answered(await chat(server, await dashboardKey(server), hello(FREE)));
    await server.controls.advanceClock(12 * 3600);
    await answered(await chat(server, key, hello(FREE)));
  });

  it('the request cap is checked before the spend cap and the balance', async () => {
    const server = await start({ now: () => NOW });
    const { key } = await server.controls.createKey({ restrictions: { requestLimit: 1, limit: 0 } });
    await answered(await chat(server, key, hello(FREE)));
    await server.controls.setBalance(0);
    expect((await apiError(await chat(server, key, hello(PRICED)))).code).toBe('daily_rpd_limit_exceeded');
  });

  it('the spend cap is checked before the balance', async () => {
    const server = await start({ now: () => NOW, account: { balanceUsd: 0 } });
    const { key } = await server.controls.createKey({ restrictions: { limit: 0, usageLimitType: 'weekly' } });
    expect((await apiError(await chat(server, key, hello(PRICED)))).code).toBe('weekly_usd_limit_exceeded');
  });
});
