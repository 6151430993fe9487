import type { Clock } from '../clock.js';
import { BoundedMap } from './bounded.js';

/**
 * A map whose entries carry an expiry (epoch ms on the mock clock). Expired entries are
 * invisible to `get` and are dropped by `sweep`, so memory stays flat however many flows run;
 * beyond `maxEntries` the oldest entry is dropped at once, so a flood cannot outgrow it between sweeps.
 */
export class ExpiringMap<K, V extends { expiresAt: number }> {
  private readonly entries: BoundedMap<K, V>;

  /** `graceMs`: extra time an expired entry is kept (so it can still be reported as expired). */
  constructor(
    maxEntries: number,
    private readonly graceMs = 0,
    onEvict?: (key: K, value: V) => void,
  ) {
    this.entries = new BoundedMap<K, V>(maxEntries, onEvict);
  }

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
 * device logins): an `ExpiringMap` of at most `maxEntries` read on the mock clock, swept, counted
 * and cleared alike.
 */
export abstract class ExpiringStore<V extends { expiresAt: number }> {
  protected readonly entries: ExpiringMap<string, V>;

  constructor(
    protected readonly clock: Clock,
    protected readonly ttlMs: number,
    maxEntries: number,
    graceMs = 0,
  ) {
    this.entries = new ExpiringMap<string, V>(maxEntries, graceMs, (_key, value) => this.evicted(value));
  }

  /** Called for an entry dropped because the store was full (to clean up what indexes it). */
  protected evicted(_value: V): void {}

  /** Every record still held, expired ones within the grace period included, oldest first. */
  held(): V[] {
    return this.entries.held();
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
