/**
 * A Map that holds at most `maxEntries`: beyond that the oldest entry goes, oldest by insertion or
 * by the last `touch` (so a store that touches what it uses evicts the least recently used).
 * `onEvict` lets a store drop what it indexes next to the entry.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    private readonly maxEntries: number,
    private readonly onEvict: (key: K, value: V) => void = () => undefined,
  ) {}

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldestKey);
      this.onEvict(oldestKey, oldest);
    }
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** The entry, now counted as the most recently used. */
  touch(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Oldest first. */
  values(): IterableIterator<V> {
    return this.entries.values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries[Symbol.iterator]();
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
