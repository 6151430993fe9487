import { BoundedMap } from './bounded.js';

/** What one bucket of usage adds up: requests, cost (integer nano-USD, so sums never drift) and tokens. */
export interface LedgerCounters {
  requests: number;
  costNanoUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** A key's usage of one model on one UTC day (`YYYY-MM-DD`). */
export interface UsageEntry extends LedgerCounters {
  keyId: string;
  day: string;
  modelId: string;
}

export type UsageCost = Omit<LedgerCounters, 'requests'>;

/**
 * Every completed API request's cost and tokens, per key, UTC day and model: what `/api/v1/usage`
 * reports and what spend caps and request caps are checked against. Days compare as strings.
 * Chat accepts any well-formed model id, so both maps are bounded (`maxEntries`, oldest first).
 */
export class UsageLedger {
  private readonly buckets: BoundedMap<string, UsageEntry>;
  /** Requests per model over all keys (for `sort=favorites|mostused`). */
  private readonly byModel: BoundedMap<string, number>;

  constructor(maxEntries: number) {
    this.buckets = new BoundedMap(maxEntries);
    this.byModel = new BoundedMap(maxEntries);
  }

  record(keyId: string, day: string, modelId: string, cost: UsageCost): void {
    const id = `${keyId}\n${day}\n${modelId}`;
    let entry = this.buckets.get(id);
    if (entry === undefined) {
      entry = { keyId, day, modelId, requests: 0, costNanoUsd: 0, inputTokens: 0, outputTokens: 0 };
      this.buckets.set(id, entry);
    }
    entry.requests++;
    entry.costNanoUsd += cost.costNanoUsd;
    entry.inputTokens += cost.inputTokens;
    entry.outputTokens += cost.outputTokens;
    this.byModel.set(modelId, (this.byModel.get(modelId) ?? 0) + 1);
  }

  /** A key's entries from `from` to `to` (inclusive), oldest day first. */
  entries(keyId: string, from: string, to: string): UsageEntry[] {
    return [...this.buckets.values()]
      .filter((entry) => entry.keyId === keyId && entry.day >= from && entry.day <= to)
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }

  requestsOn(keyId: string, day: string): number {
    return this.entries(keyId, day, day).reduce((sum, entry) => sum + entry.requests, 0);
  }

  costBetween(keyId: string, from: string, to: string): number {
    return this.entries(keyId, from, to).reduce((sum, entry) => sum + entry.costNanoUsd, 0);
  }

  /** How often each model was used, over every key. */
  requestsPerModel(): ReadonlyMap<string, number> {
    return new Map(this.byModel);
  }

  /** Drop days before `oldestDay` (older than any range the API answers). */
  sweep(oldestDay: string): void {
    for (const [id, entry] of this.buckets) if (entry.day < oldestDay) this.buckets.delete(id);
  }

  get size(): number {
    return this.buckets.size;
  }

  clear(): void {
    this.buckets.clear();
    this.byModel.clear();
  }
}
