import type { SignInResult } from './http.js';
import { isNanoGptKey } from './key.js';
import { readStoredJson, STORAGE_PREFIX, type StorageLike } from './storage.js';

/** The signed-in state of one client: the key and scope in storage, and who wants to hear of changes. @internal */
export interface Session {
  /** The stored key and scope; null when there is none, or it is corrupt or not a NanoGPT key. */
  get(): SignInResult | null;
  /** Stores the key and scope (`null`: forgets them) and tells the listeners. */
  set(result: SignInResult | null): void;
  /** Calls `listener` with the new key (or null) on every `set`; returns an unsubscribe function. */
  onChange(listener: (key: string | null) => void): () => void;
}

/** The {@link Session} of `issuer` in `storage` (listeners are this session's own). @internal */
export function createSession(storage: StorageLike, issuer: string): Session {
  const storageKey = STORAGE_PREFIX + 'key:' + issuer;
  const listeners = new Set<(key: string | null) => void>();
  return {
    get() {
      const stored = readStoredJson(storage, storageKey) as SignInResult | null;
      return stored && isNanoGptKey(stored.key) ? stored : null;
    },
    set(result) {
      if (result) storage.setItem(storageKey, JSON.stringify({ key: result.key, scope: result.scope }));
      else storage.removeItem(storageKey);
      for (const listener of listeners) listener(result && result.key);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
