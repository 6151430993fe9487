/**
 * `GET /api/v1/usage` [pub, NanoGPT's Usage page]: the calling key's aggregate spend, requests and
 * tokens over a UTC date range, grouped by day, model or both.
 */
import type { Usage, UsageCounters, UsageGroupBy } from '@nanogpt-signin/core';
import type { KeyRecord } from '../store/keys.js';
import type { LedgerCounters, UsageEntry, UsageLedger } from '../store/usage.js';
import { modelLabel } from './catalogue.js';
import { nanoToUsd } from './accounting.js';
import { addDays, dayStart, daysInRange, utcDay } from './periods.js';

/** The `scope` parameter: both values answer the calling key only [pub]. */
export type UsageScope = 'current_key' | 'api_key';

/** A validated request: the range (both ends included) and the grouping. */
export interface UsageQuery {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
}

export type UsageQueryResult = { ok: true; value: UsageQuery } | { ok: false; description: string; param: string };

/** Which days of the range came from daily roll-ups and which were read live [pub]. */
export interface UsageSource {
  rollupDays: string[];
  liveDays: string[];
  missingRollupDays: string[];
}

/**
 * The answer of `GET /api/v1/usage` (and of the `/__mock/keys/usage` control): core's `Usage`, so
 * the compiler proves the mock answers what the client reads, with `apiKey.id` a number as
 * production's docs show, plus the published `source`, which core does not read.
 */
export interface UsageReport extends Usage {
  apiKey: { id: number };
  source: UsageSource;
}

/** Core's `UsageCounters` under the mock's earlier name (kept so the mock's users do not break). */
export type UsageTotals = UsageCounters;

const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;
const GROUPINGS: Readonly<Record<string, UsageGroupBy>> = { day: 'day', model: 'model', 'day,model': 'day,model', 'model,day': 'day,model' };

/** Check `from`/`to`/`group_by` by the published rules; absent = the last 30 UTC days, by day and model. */
export function parseUsageQuery(input: { from?: string | undefined; to?: string | undefined; groupBy?: string | undefined }, now: number): UsageQueryResult {
  const fail = (description: string, param: string): UsageQueryResult => ({ ok: false, description, param });
  const today = utcDay(now);
  const groupBy = input.groupBy === undefined ? 'day,model' : GROUPINGS[input.groupBy];
  if (groupBy === undefined) return fail('group_by must be day, model or day,model.', 'group_by');
  if (input.from === undefined && input.to === undefined) {
    return { ok: true, value: { from: addDays(today, 1 - DEFAULT_RANGE_DAYS), to: today, groupBy } };
  }
  if (input.from === undefined || input.to === undefined) return fail('from and to must be provided together.', input.from === undefined ? 'from' : 'to');
  const { from, to } = input;
  if (Number.isNaN(dayStart(from))) return fail('from and to must use YYYY-MM-DD UTC dates.', 'from');
  if (Number.isNaN(dayStart(to))) return fail('from and to must use YYYY-MM-DD UTC dates.', 'to');
  if (to < from) return fail('to must be on or after from.', 'to');
  if (to > today) return fail('to cannot be in the future.', 'to');
  if (daysInRange(from, to) > MAX_RANGE_DAYS) return fail(`The date range is capped at ${MAX_RANGE_DAYS} days.`, 'from');
  return { ok: true, value: { from, to, groupBy } };
}

const emptyCounters = (): LedgerCounters => ({ requests: 0, costNanoUsd: 0, inputTokens: 0, outputTokens: 0 });

function add(into: LedgerCounters, entry: LedgerCounters): void {
  into.requests += entry.requests;
  into.costNanoUsd += entry.costNanoUsd;
  into.inputTokens += entry.inputTokens;
  into.outputTokens += entry.outputTokens;
}

/** No refunds and no reasoning tokens in the mock; totalTokens excludes reasoning tokens [pub]. */
function totals(counters: LedgerCounters): UsageCounters {
  const costUsd = nanoToUsd(counters.costNanoUsd);
  return {
    requests: counters.requests,
    costUsd,
    refundedUsd: 0,
    netCostUsd: costUsd,
    inputTokens: counters.inputTokens,
    outputTokens: counters.outputTokens,
    reasoningTokens: 0,
    totalTokens: counters.inputTokens + counters.outputTokens,
  };
}

/** Sum entries into groups named by `groupOf`, in first-seen order. */
function groups(entries: UsageEntry[], groupOf: (entry: UsageEntry) => string): Map<string, LedgerCounters> {
  const result = new Map<string, LedgerCounters>();
  for (const entry of entries) {
    const name = groupOf(entry);
    const counters = result.get(name) ?? emptyCounters();
    add(counters, entry);
    result.set(name, counters);
  }
  return result;
}

/** The report for `key` over `query`. Only days and models with usage get a row. */
export function usageReport(ledger: UsageLedger, key: KeyRecord, query: UsageQuery, scope: UsageScope, now: number): UsageReport {
  const entries = ledger.entries(key.id, query.from, query.to);
  const today = utcDay(now);
  const all = emptyCounters();
  for (const entry of entries) add(all, entry);
  const days = [...new Set(entries.map((entry) => entry.day))];
  const report: UsageReport = {
    object: 'usage',
    scope,
    apiKey: { id: key.numericId },
    from: query.from,
    to: query.to,
    timezone: 'UTC',
    groupBy: query.groupBy,
    asOf: new Date(now).toISOString(),
    source: { rollupDays: days.filter((day) => day < today), liveDays: query.to === today ? [today] : [], missingRollupDays: [] },
    totals: totals(all),
  };
  if (query.groupBy !== 'model') {
    report.byDay = [...groups(entries, (entry) => entry.day)].map(([date, counters]) => ({ date, ...totals(counters) }));
  }
  if (query.groupBy !== 'day') {
    const byModel = [...groups(entries, (entry) => modelLabel(entry.modelId))].map(([model, counters]) => ({ model, ...totals(counters) }));
    report.byModel = byModel.sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests || a.model.localeCompare(b.model));
  }
  if (query.groupBy === 'day,model') {
    report.byDayModel = [...groups(entries, (entry) => `${entry.day}\n${modelLabel(entry.modelId)}`)].map(([name, counters]) => {
      const [date = '', model = ''] = name.split('\n');
      return { date, model, ...totals(counters) };
    });
    report.byDayModel.sort((a, b) => a.date.localeCompare(b.date) || a.model.localeCompare(b.model));
  }
  return report;
}
