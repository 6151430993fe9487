import type { Clock } from '../clock.js';

/**
 * A map whose entries carry an expiry (epoch ms on the mock clock). Expired entries are
 * invisible to `get` and are dropped by `sweep`, so memory stays flat however many flows run.
 */
export class ExpiringMap<K, V extends { expiresAt: number }> {
  private readonly entries = new Map<K, V>();
  /** Extra time an expired entry is kept (so it can still be reported as expired). */
  constructor(private readonly graceMs = 0) {}

  set(key: K, value: V): void {
    this.entries.set(key, value);
  }

  /** The entry, even when expired but still within the grace period. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  get(key: K, now: number): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (value.expiresAt <= now) {
      if (value.expiresAt + this.graceMs <= now) this.entries.delete(key);
      return undefined;
    }
    return value;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Live entries, oldest first. */
  values(now: number): V[] {
    return [...this.entries.values()].filter((value) => value.expiresAt > now);
  }

  /** Every entry still held, including expired ones within the grace period. */
  held(): V[] {
    return [...this.entries.values()];
  }

  sweep(now: number): number {
    let removed = 0;
    for (const [key, value] of this.entries) {
      if (value.expiresAt + this.graceMs <= now) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The base of the stores whose records expire `ttlMs` after they are made (codes, consents,
 * device logins): an `ExpiringMap` read on the mock clock, swept, counted and cleared alike.
 */
export abstract class ExpiringStore<V extends { expiresAt: number }> {
  protected readonly entries: ExpiringMap<string, V>;

  constructor(
    protected readonly clock: Clock,
    protected readonly ttlMs: number,
    graceMs = 0,
  ) {
    this.entries = new ExpiringMap<string, V>(graceMs);
  }

  sweep(): void {
    this.entries.sweep(this.clock.now());
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
