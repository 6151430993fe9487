import type { UsageLimitType } from '@nanogpt-signin/core';
import type { SpendCap } from '../store/keys.js';

const USAGE_LIMIT_TYPES: readonly string[] = ['daily', 'weekly', 'monthly'] satisfies UsageLimitType[];

export type SpendCapResult = { ok: true; value: SpendCap } | { ok: false; description: string };

const isUsageLimitType = (value: unknown): value is UsageLimitType => typeof value === 'string' && USAGE_LIMIT_TYPES.includes(value);

/**
 * A key's spend cap from a USD limit (absent = no cap) and its period (absent or empty = monthly).
 * The period is checked even without a limit, so a wrong one is never silently dropped;
 * `periodName` is how the caller's input calls it, for the error description.
 */
export function parseSpendCap(limit: number | null | undefined, period: unknown, periodName: string): SpendCapResult {
  const absent = period === undefined || period === null || period === '';
  if (!absent && !isUsageLimitType(period)) return { ok: false, description: `${periodName} must be daily, weekly or monthly` };
  if (limit === undefined || limit === null) return { ok: true, value: { limit: null, usageLimitType: null } };
  return { ok: true, value: { limit, usageLimitType: isUsageLimitType(period) ? period : 'monthly' } };
}
