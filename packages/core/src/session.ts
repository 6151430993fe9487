import type { AuthState } from './client.js';
import type { NanoGptAuthError } from './errors.js';
import type { SignInResult } from './http.js';
import { isNanoGptKey } from './key.js';
import { readStoredJson, STORAGE_PREFIX, type StorageLike } from './storage.js';

/**
 * The signed-in state of one client: the key and scope in storage, whether a sign-in is under
 * way, how the last one failed, and who wants to hear of changes. @internal
 */
export interface Session {
  /** The stored key and scope; null when there is none, or it is corrupt or not a NanoGPT key. */
  get(): SignInResult | null;
  /** Stores the key and scope (`null`: forgets them) and tells the listeners. */
  set(result: SignInResult | null): void;
  /** The current {@link AuthState}; the same object until something changes. */
  state(): AuthState;
  /** Calls `listener` with the state now and on every change; returns an unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void;
  /** Calls `listener` with the new key (or null) whenever the key changes; returns an unsubscribe function. */
  onChange(listener: (key: string | null) => void): () => void;
  /**
   * Follows `work`: a `busy` one makes the state `signing-in` until it settles (and clears the last
   * error as it starts); a failure becomes `state.error`. Resolves and rejects like `work`.
   */
  track<T>(work: Promise<T>, busy?: boolean): Promise<T>;
}

/** The {@link Session} of `issuer` in `storage` (listeners are this session's own). @internal */
export function createSession(storage: StorageLike, issuer: string): Session {
  const storageKey = STORAGE_PREFIX + 'key:' + issuer;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  let working = 0;
  let error: NanoGptAuthError | null = null;
  let current: AuthState | undefined;
  const get = () => {
    const stored = readStoredJson(storage, storageKey) as SignInResult | null;
    return stored && isNanoGptKey(stored.key) ? stored : null;
  };
  const state = (): AuthState => {
    const signedIn = get();
    const key = signedIn ? signedIn.key : null;
    const status = working ? 'signing-in' : key ? 'signed-in' : 'signed-out';
    // A new object only when something changed (the key is read from storage each time).
    if (current?.key !== key || current.status !== status || current.error !== error)
      current = { status, key, scope: signedIn && signedIn.scope, error };
    return current;
  };
  /** Adds a listener that hears `read()` whenever it changes, starting from `last`. */
  const listen = <T>(read: () => T, listener: (value: T) => void, last?: T) => {
    const hear = () => read() !== last && listener((last = read()));
    listeners.add(hear);
    return () => void listeners.delete(hear);
  };
  return {
    get,
    set(result) {
      if (result) storage.setItem(storageKey, JSON.stringify({ key: result.key, scope: result.scope }));
      else storage.removeItem(storageKey);
      notify();
    },
    state,
    subscribe(listener) {
      listener(state());
      return listen(state, listener, state());
    },
    onChange: (listener) => listen(() => state().key, listener, state().key),
    async track(work, busy) {
      if (busy) {
        working++;
        error = null;
        notify();
      }
      try {
        return await work;
      } catch (failure) {
        error = failure as NanoGptAuthError;
        throw failure;
      } finally {
        if (busy) working--;
        notify();
      }
    },
  };
}
