import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../src/index.js';
import { apiError, chat, dashboardKey, get, hello, json, start } from './helpers.js';

// A fixed clock: Friday 2030-05-31 12:00 UTC.
const NOW = Date.UTC(2030, 4, 31, 12);

const usage = (server: { url: string }, key: string, query = '') => get(`${server.url}/api/v1/usage${query}`, { authorization: `Bearer ${key}` });
const report = async (res: Response): Promise<UsageReport> => {
  expect(res.status).toBe(200);
  return (await res.json()) as UsageReport;
};

const ZERO = { requests: 0, costUsd: 0, refundedUsd: 0, netCostUsd: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0 };

describe('GET /api/v1/usage (spec §2, NanoGPT Usage page)', () => {
  it('answers the published shape for the calling key: the last 30 UTC days grouped by day and model', async () => {
    const server = await start({ now: () => NOW });
    const key = await dashboardKey(server);
    const res = await usage(server, key);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await report(res);
    expect(body).toEqual({
      object: 'usage',
      scope: 'current_key',
      apiKey: { id: expect.any(Number) },
      from: '2030-05-02',
      to: '2030-05-31',
      timezone: 'UTC',
      groupBy: 'day,model',
      asOf: '2030-05-31T12:00:00.000Z',
      source: { rollupDays: [], liveDays: ['2030-05-31'], missingRollupDays: [] },
      totals: ZERO,
      byDay: [],
      byModel: [],
      byDayModel: [],
    });
  });

  it('aggregates the key’s completions per UTC day and model, with models named by their public label', async () => {
    let now = NOW;
    const server = await start({ now: () => now, streamChunkDelayMs: 0 });
    const key = await dashboardKey(server);
    const answered: Array<{ day: string; model: string; prompt: number; completion: number }> = [];
    const send = async (model: string, day: string) => {
      const body = await json(await chat(server, key, hello(model)));
      const { prompt_tokens, completion_tokens } = body.usage as { prompt_tokens: number; completion_tokens: number };
      answered.push({ day, model, prompt: prompt_tokens, completion: completion_tokens });
    };
    await send('gpt-4.1-nano', '2030-05-31');
    await send('gpt-4.1-nano', '2030-05-31');
    await send('nano-mock-echo', '2030-05-31');
    now += 86_400_000; // Saturday
    await send('gpt-4.1-nano', '2030-06-01');
    await send('some-lab/new-model', '2030-06-01');

    const cost = (row: { model: string; prompt: number; completion: number }) =>
      row.model === 'gpt-4.1-nano' ? (row.prompt * 0.1 + row.completion * 0.4) / 1e6 : row.model === 'some-lab/new-model' ? (row.prompt * 1 + row.completion * 4) / 1e6 : 0;
    const sum = (rows: typeof answered) => ({
      requests: rows.length,
      costUsd: rows.reduce((total, row) => total + cost(row), 0),
      inputTokens: rows.reduce((total, row) => total + row.prompt, 0),
      outputTokens: rows.reduce((total, row) => total + row.completion, 0),
    });
    const body = await report(await usage(server, key, '?from=2030-05-31&to=2030-06-01'));
    expect(body.source).toEqual({ rollupDays: ['2030-05-31'], liveDays: ['2030-06-01'], missingRollupDays: [] });
    const all = sum(answered);
    expect(body.totals.requests).toBe(5);
    expect(body.totals.costUsd).toBeCloseTo(all.costUsd, 12);
    expect(body.totals).toMatchObject({ inputTokens: all.inputTokens, outputTokens: all.outputTokens, refundedUsd: 0, reasoningTokens: 0 });
    expect(body.totals.netCostUsd).toBe(body.totals.costUsd);
    expect(body.totals.totalTokens).toBe(all.inputTokens + all.outputTokens);

    expect(body.byDay?.map((row) => [row.date, row.requests])).toEqual([['2030-05-31', 3], ['2030-06-01', 2]]);
    expect(body.byDay?.[0]?.costUsd).toBeCloseTo(sum(answered.slice(0, 3)).costUsd, 12);
    const byModel = Object.fromEntries((body.byModel ?? []).map((row) => [row.model, row.requests]));
    expect(byModel).toEqual({ 'GPT-4.1 nano': 3, 'Mock echo (free)': 1, 'some-lab/new-model': 1 });
    expect(body.byDayModel?.map((row) => [row.date, row.model, row.requests])).toEqual([
      ['2030-05-31', 'GPT-4.1 nano', 2],
      ['2030-05-31', 'Mock echo (free)', 1],
      ['2030-06-01', 'GPT-4.1 nano', 1],
      ['2030-06-01', 'some-lab/new-model', 1],
    ]);
    const free = body.byModel?.find((row) => row.model === 'Mock echo (free)');
    expect(free?.costUsd).toBe(0);

    // The default range ends today and includes both days.
    expect((await report(await usage(server, key))).totals.requests).toBe(5);
    // A range before the first request is empty.
    expect((await report(await usage(server, key, '?from=2030-05-01&to=2030-05-30'))).totals).toEqual(ZERO);
  });

  it('group_by picks the arrays: day, model, day,model (default) and its alias model,day', async () => {
    const server = await start({ now: () => NOW });
    const key = await dashboardKey(server);
    await chat(server, key, hello('gpt-4.1-nano'));
    const keys = (body: UsageReport) => ['byDay', 'byModel', 'byDayModel'].filter((name) => name in body);
    const day = await report(await usage(server, key, '?group_by=day'));
    expect([day.groupBy, keys(day)]).toEqual(['day', ['byDay']]);
    const model = await report(await usage(server, key, '?group_by=model'));
    expect([model.groupBy, keys(model)]).toEqual(['model', ['byModel']]);
    for (const groupBy of ['day,model', 'model,day', 'day%2Cmodel']) {
      const both = await report(await usage(server, key, `?group_by=${groupBy}`));
      expect([both.groupBy, keys(both)]).toEqual(['day,model', ['byDay', 'byModel', 'byDayModel']]);
    }
  });

  it('is scoped to the calling key: other keys’ usage never shows, and api_key_id must be the caller’s', async () => {
    const server = await start({ now: () => NOW });
    const mine = await dashboardKey(server);
    const other = await dashboardKey(server);
    await chat(server, other, hello('gpt-4.1-nano'));
    const body = await report(await usage(server, mine));
    expect(body.totals.requests).toBe(0);
    const theirs = await report(await usage(server, other));
    expect(theirs.totals.requests).toBe(1);
    expect(theirs.apiKey.id).not.toBe(body.apiKey.id);
    const scoped = await report(await usage(server, mine, `?scope=api_key&api_key_id=${body.apiKey.id}`));
    expect(scoped.scope).toBe('api_key');
    const refused = await usage(server, mine, `?api_key_id=${theirs.apiKey.id}`);
    expect(refused.status).toBe(400);
    expect(await apiError(refused)).toMatchObject({ type: 'invalid_request_error', param: 'api_key_id' });
  });

  it.each([
    ['from without to', '?from=2030-05-01', 'to'],
    ['to without from', '?to=2030-05-01', 'from'],
    ['not YYYY-MM-DD', '?from=2030-5-1&to=2030-05-02', 'from'],
    ['not a real date', '?from=2030-02-01&to=2030-02-31', 'to'],
    ['to before from', '?from=2030-05-10&to=2030-05-09', 'to'],
    ['to in the future', '?from=2030-05-31&to=2030-06-01', 'to'],
    ['over 366 days', '?from=2029-05-30&to=2030-05-31', 'from'],
    ['bad group_by', '?group_by=week', 'group_by'],
    ['bad scope', '?scope=account', 'scope'],
    ['legacy duration', '?duration=7d', 'duration'],
    ['legacy page', '?page=2', 'page'],
    ['legacy sort', '?sort=date', 'sort'],
    ['legacy tz', '?tz=Europe/Paris', 'tz'],
    ['unknown parameter', '?foo=1', 'foo'],
    ['repeated parameter', '?group_by=day&group_by=model', 'group_by'],
  ])('400 invalid_request_error for %s, naming the parameter', async (_name, query, param) => {
    const server = await start({ now: () => NOW });
    const res = await usage(server, await dashboardKey(server), query);
    expect(res.status).toBe(400);
    expect(await apiError(res)).toEqual({ message: expect.any(String), type: 'invalid_request_error', code: 'invalid_parameter_value', param });
  });

  it('accepts a range of exactly 366 days ending today', async () => {
    const server = await start({ now: () => NOW });
    const body = await report(await usage(server, await dashboardKey(server), '?from=2029-05-31&to=2030-05-31'));
    expect([body.from, body.to]).toEqual(['2029-05-31', '2030-05-31']);
  });

  it('the message names the rule, as the published example does', async () => {
    const server = await start({ now: () => NOW });
    const res = await usage(server, await dashboardKey(server), '?from=05/01/2030&to=2030-05-02');
    expect((await apiError(res)).message).toBe('from and to must use YYYY-MM-DD UTC dates.');
  });
});
