/** Prefix of every storage entry of this library (key, pending sign-ins, standard-flow caches). @internal */
export const NS = 'nanogpt-signin:';

/** The subset of the Web Storage API the library uses (`sessionStorage` satisfies it). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** An in-memory {@link StorageLike} (for Node, tests, or when `sessionStorage` is unavailable). */
export function memoryStorage(): StorageLike {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
  };
}

/** `sessionStorage` when usable, else a fresh in-memory store. @internal */
export function defaultStorage(): StorageLike {
  try {
    // Throws in Node (not defined) and in some sandboxed iframes (SecurityError).
    if (sessionStorage) return sessionStorage;
  } catch {
    /* fall through */
  }
  return memoryStorage();
}

/** Reads a JSON value; null when missing or corrupt. @internal */
export function readJson(storage: StorageLike, key: string): unknown {
  try {
    return JSON.parse(storage.getItem(key) as string);
  } catch {
    return null;
  }
}
