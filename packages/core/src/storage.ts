/** Prefix of every storage entry of this library (key, pending sign-ins, standard-flow caches). @internal */
export const STORAGE_PREFIX = 'nanogpt-signin:';

/** The subset of the Web Storage API the library uses (`sessionStorage` satisfies it). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** An in-memory {@link StorageLike} (for Node, tests, or when `sessionStorage` is unavailable). */
export function memoryStorage(): StorageLike {
  const entries = new Map<string, string>();
  return {
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, String(value)),
    removeItem: (key) => void entries.delete(key),
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

/** Reads a JSON value stored under `key`; null when missing or corrupt. @internal */
export function readStoredJson(storage: StorageLike, key: string): unknown {
  try {
    return JSON.parse(storage.getItem(key) as string);
  } catch {
    return null;
  }
}
