import { HttpError, tooManyRequests } from '../http/errors.js';
import type { MockState } from '../state.js';
import type { KeyRecord } from '../store/keys.js';
import { priceOf } from './catalogue.js';
import { capPeriod, nextUtcMidnight, secondsUntil, utcDay } from './periods.js';

const NANO = 1e9;

/** What one chat completion costs: the model's price per million tokens times its token counts. */
export interface Charge {
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  /** Integer nano-USD. */
  costNanoUsd: number;
}

export function chargeFor(modelId: string, inputTokens: number, outputTokens: number): Charge {
  const price = priceOf(modelId);
  // USD per million tokens is nano-USD per thousandth of a token: × 1000 per token.
  const costNanoUsd = Math.round(inputTokens * price.prompt * 1000 + outputTokens * price.completion * 1000);
  return { modelId, inputTokens, outputTokens, costNanoUsd };
}

export const nanoToUsd = (nano: number): number => nano / NANO;
export const usdToNano = (usd: number): number => Math.round(usd * NANO);

const usd = (amount: number): string => `$${amount.toFixed(2)}`;

const RESET_TEXT = { daily: 'at 00:00 UTC', weekly: 'on Monday 00:00 UTC', monthly: 'on the 1st at 00:00 UTC' } as const;

/**
 * Refuse a request the key's caps or the account's balance do not allow (spec §2), before any
 * answer is sent: the daily request cap first (free models count too), then, for priced models
 * only, the key's USD cap (a request that would take the period's spend past it) and the balance.
 */
export function admit(state: MockState, key: KeyRecord, charge: Charge): void {
  const now = state.now();
  const today = utcDay(now);
  const requestLimit = key.restrictions.requestLimit;
  if (requestLimit !== null && state.usage.requestsOn(key.id, today) >= requestLimit) {
    const message = `Daily request limit exceeded (${requestLimit}/${requestLimit}). Resets at midnight UTC.`;
    throw tooManyRequests(message, secondsUntil(nextUtcMidnight(now), now), 'daily_rpd_limit_exceeded');
  }
  if (charge.costNanoUsd === 0) return;
  if (key.limit !== null) {
    const period = key.usageLimitType ?? 'monthly';
    const { firstDay, resetsAt } = capPeriod(period, now);
    const spent = state.usage.costBetween(key.id, firstDay, today);
    if (spent + charge.costNanoUsd > usdToNano(key.limit)) {
      const message = `This API key's ${period} spend limit of ${usd(key.limit)} is reached. Resets ${RESET_TEXT[period]}.`;
      throw tooManyRequests(message, secondsUntil(resetsAt, now), `${period}_usd_limit_exceeded`);
    }
  }
  if (usdToNano(state.account.balanceUsd) < charge.costNanoUsd) {
    // NanoGPT's published authenticated balance error, not the OpenAI envelope [pub].
    const requiredBalance = nanoToUsd(charge.costNanoUsd);
    throw new HttpError(402, 'insufficient_balance', 'Insufficient balance', {
      body: { error: 'Insufficient balance', requiredBalance, status: 402 },
    });
  }
}

/** Book an answered request: into the key's usage for today and the model, and off the balance. */
export function record(state: MockState, key: KeyRecord, charge: Charge): void {
  const { modelId, ...cost } = charge;
  state.usage.record(key.id, utcDay(state.now()), modelId, cost);
  state.account.balanceUsd = nanoToUsd(usdToNano(state.account.balanceUsd) - charge.costNanoUsd);
}
