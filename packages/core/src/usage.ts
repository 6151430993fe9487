/**
 * What a key has spent: `GET /api/v1/usage`, NanoGPT's authenticated per-key usage endpoint, read
 * into a validated {@link Usage}. Also the cheap call that tells whether a key still works (the
 * model list is public and cannot).
 */
import { apiError } from './api-errors.js';
import { throwAuthError } from './errors.js';
import { isString, readJsonBody, send, urlWithQuery } from './http.js';
import { normalizeIssuer } from './issuer.js';

/** Which breakdowns `/api/v1/usage` returns: `byDay`, `byModel`, or all three arrays (`day,model`, the default). */
export type UsageGroupBy = 'day' | 'model' | 'day,model';

/** Options of `auth.usage` and {@link fetchUsage}. */
export interface UsageOptions {
  /** First UTC day, `YYYY-MM-DD`; give `from` and `to` together. Default: the last 30 UTC days. */
  from?: string;
  /** Last UTC day (inclusive), `YYYY-MM-DD`. */
  to?: string;
  /** Default `day,model`. */
  groupBy?: UsageGroupBy;
}

/** The counters of one aggregate bucket (or of the totals). */
export interface UsageCounters {
  /** Billable requests. */
  requests: number;
  /** Gross USD cost before refunds. */
  costUsd: number;
  refundedUsd: number;
  /** `max(0, costUsd - refundedUsd)`. */
  netCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** `inputTokens + outputTokens` (reasoning tokens are not added). */
  totalTokens: number;
}

/** One UTC day's counters. */
export interface UsageByDay extends UsageCounters {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
}

/** One model's counters (`model` is the public model label). */
export interface UsageByModel extends UsageCounters {
  model: string;
}

/** One model's counters on one UTC day. */
export interface UsageByDayModel extends UsageCounters {
  date: string;
  model: string;
}

/** The answer of `GET /api/v1/usage`: the calling key's aggregate usage over a UTC date range. */
export interface Usage {
  object: 'usage';
  /** `current_key` (or `api_key`): always the calling key's usage only. */
  scope: string;
  /** The key's id at NanoGPT (a number in production's docs). */
  apiKey: { id: string | number };
  /** First UTC day, `YYYY-MM-DD`. */
  from: string;
  /** Last UTC day, inclusive. */
  to: string;
  /** Always `UTC`. */
  timezone: string;
  /** The effective grouping. */
  groupBy: string;
  /** When the aggregate was made (ISO time; may be up to 60 s old). */
  asOf: string;
  totals: UsageCounters;
  /** With `groupBy` `day` or `day,model`. */
  byDay?: UsageByDay[];
  /** With `groupBy` `model` or `day,model`. */
  byModel?: UsageByModel[];
  /** With `groupBy` `day,model`. */
  byDayModel?: UsageByDayModel[];
}

/** Parameters of {@link fetchUsage}. */
export interface FetchUsageParams extends UsageOptions {
  /** NanoGPT origin, e.g. `https://nano-gpt.com`. */
  issuer: string;
  /** The API key whose usage to read (sent only as `Authorization: Bearer`). */
  key: string;
  fetch?: typeof fetch;
}

const COUNTERS = 'requests costUsd refundedUsd netCostUsd inputTokens outputTokens reasoningTokens totalTokens';
const TEXTS = 'scope from to timezone groupBy asOf';
// The optional breakdowns: each row has the counters and these labels.
const BREAKDOWNS = { byDay: 'date', byModel: 'model', byDayModel: 'date model' };

/** True when `value` has every field of the space-separated `names`, each passing `test`. */
const has = (value: unknown, names: string, test: (field: unknown) => boolean): boolean =>
  names.split(' ').every((name) => test((value as Record<string, unknown> | null)?.[name]));
/** A bucket: every counter a finite number, its `labels` (`date`, `model`) strings. */
const isBucket = (value: unknown, labels = '') => has(value, COUNTERS, Number.isFinite) && (!labels || has(value, labels, isString));

/**
 * Validates a `/api/v1/usage` body: `object` `usage`, the documented texts strings, `apiKey.id` a
 * string or number, every counter of the totals and of each breakdown row present (`byDay`,
 * `byModel`, `byDayModel` may be absent) a finite number, each row's `date`/`model` a string.
 * Anything else (not JSON, hostile or mistyped fields) is `invalid_response`. @internal
 */
export function parseUsage(body: unknown): Usage {
  const usage = body as Record<string, unknown> | null;
  return usage?.object === 'usage' &&
    has(usage, TEXTS, isString) &&
    has(usage.apiKey, 'id', (id) => isString(id) || Number.isFinite(id)) &&
    isBucket(usage.totals) &&
    Object.entries(BREAKDOWNS).every(([name, labels]) => {
      const rows = usage[name];
      return rows === undefined || (Array.isArray(rows) && rows.every((row) => isBucket(row, labels)));
    })
    ? (usage as unknown as Usage)
    : throwAuthError('invalid_response');
}

/** `<issuer>/api/v1/usage` with the options as its query (`from`, `to`, `group_by`). @internal */
export const usageUrl = (issuer: string, options: UsageOptions = {}): URL =>
  urlWithQuery('/api/v1/usage', issuer, { from: options.from, to: options.to, group_by: options.groupBy });

/** A usage answer: the validated {@link Usage}, or the typed error of a failure (see {@link apiError}). @internal */
export async function readUsage(response: Response): Promise<Usage> {
  if (!response.ok) throw await apiError(response);
  return parseUsage(await readJsonBody(response));
}

/**
 * Reads a key's usage at `GET <issuer>/api/v1/usage` (the last 30 UTC days unless `from` and `to`
 * say otherwise). Also the way to learn whether a key still works: a revoked, expired or unknown
 * key is `session_expired`. Errors: `session_expired` (401), `invalid_request` (a bad date range or
 * grouping, 400), `rate_limited`, `invalid_response` (a malformed answer), `network_error`,
 * `server_error`.
 */
export async function fetchUsage(params: FetchUsageParams): Promise<Usage> {
  const url = usageUrl(normalizeIssuer(params.issuer), params);
  return readUsage(await send(params.fetch, url, { headers: { authorization: 'Bearer ' + params.key, accept: 'application/json' } }));
}
