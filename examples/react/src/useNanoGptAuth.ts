import type { AuthState, NanoGptAuth } from '@nanogpt-signin/core';
import { useEffect, useSyncExternalStore } from 'react';

/**
 * The sign-in state of `auth`, re-rendering on every change. `auth.subscribe` delivers the
 * current state at once and `auth.getState()` returns the same object until something changes:
 * exactly the store contract of `useSyncExternalStore`. It also finishes a sign-in coming back
 * from NanoGPT (`auth.init()`); under StrictMode the effect runs twice and the code is still
 * exchanged once (the client shares one exchange per callback).
 */
export function useNanoGptAuth(auth: NanoGptAuth): AuthState {
  useEffect(() => void auth.init(), [auth]);
  return useSyncExternalStore(auth.subscribe, auth.getState);
}
