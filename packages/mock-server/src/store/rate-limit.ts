import { BoundedMap } from './bounded.js';

/**
 * Fixed-window counters: at most `limit` hits per `windowMs` per subject. `limit` 0 refuses
 * everything. Returns null when allowed, otherwise the seconds to wait (for Retry-After).
 * At most `maxSubjects` windows are held (the oldest goes first), so many subjects cannot grow it.
 */
export class RateLimiter {
  private readonly windows: BoundedMap<string, { start: number; count: number }>;
  constructor(
    private readonly windowMs: number,
    maxSubjects: number,
  ) {
    this.windows = new BoundedMap(maxSubjects);
  }

  hit(subject: string, limit: number, now: number): number | null {
    const start = now - (now % this.windowMs);
    let window = this.windows.get(subject);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(subject, window);
    }
    if (window.count >= limit) {
      return Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
    }
    window.count++;
    return null;
  }

  sweep(now: number): void {
    for (const [subject, window] of this.windows) {
      if (window.start + this.windowMs <= now) this.windows.delete(subject);
    }
  }

  get size(): number {
    return this.windows.size;
  }

  clear(): void {
    this.windows.clear();
  }
}
