import type { UsageLimitType } from '@nanogpt-signin/core';

const DAY_MS = 86_400_000;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export const utcDay = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** Epoch ms of 00:00 UTC on `day`, or NaN when `day` is not a real `YYYY-MM-DD` date. */
export function dayStart(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return NaN;
  const epochMs = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2030-02-31 over to March: a real date reads back unchanged.
  return Number.isNaN(epochMs) || utcDay(epochMs) !== day ? NaN : epochMs;
}

export const addDays = (day: string, days: number): string => utcDay(dayStart(day) + days * DAY_MS);

/** Days from `from` to `to`, both included. */
export const daysInRange = (from: string, to: string): number => Math.round((dayStart(to) - dayStart(from)) / DAY_MS) + 1;

/** Whole seconds from `now` until `at`, at least 1 (a `Retry-After` value). */
export const secondsUntil = (at: number, now: number): number => Math.max(1, Math.ceil((at - now) / 1000));

/** Next 00:00 UTC: when per-key daily limits reset [pub]. */
export const nextUtcMidnight = (now: number): number => dayStart(utcDay(now)) + DAY_MS;

/**
 * The current period of a spend cap: its first day and when it resets. Days reset at 00:00 UTC
 * [pub]; weeks start on Monday and months on the 1st, 00:00 UTC [mock].
 */
export function capPeriod(type: UsageLimitType, now: number): { firstDay: string; resetsAt: number } {
  const today = dayStart(utcDay(now));
  const date = new Date(now);
  if (type === 'daily') return { firstDay: utcDay(today), resetsAt: today + DAY_MS };
  if (type === 'weekly') {
    const monday = today - ((date.getUTCDay() + 6) % 7) * DAY_MS;
    return { firstDay: utcDay(monday), resetsAt: monday + 7 * DAY_MS };
  }
  return {
    firstDay: utcDay(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1)),
    resetsAt: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  };
}
