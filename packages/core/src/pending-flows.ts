import { NanoGptAuthError } from './errors.js';
import { readStoredJson, STORAGE_PREFIX, type StorageLike } from './storage.js';

/** A sign-in in progress: what its callback needs to finish it. @internal */
export interface PendingFlow {
  codeVerifier: string;
  state: string;
  redirectUri: string;
  issuer: string;
  /** `id` of the Flow that started it. */
  flow: string;
  /** When it started (ms, the client's clock). */
  createdAt: number;
  /** The client_id the flow used, if any (standard flow). */
  clientId?: string;
}

/** A sign-in must come back within 10 minutes. */
export const PENDING_FLOW_TTL_MS = 10 * 60 * 1000;

// One entry per sign-in, keyed by state, so parallel sign-ins (tabs) sharing a storage don't
// clobber each other; plus an index of those states, to find abandoned ones.
const INDEX_KEY = STORAGE_PREFIX + 'pending';
const entryKey = (state: string) => STORAGE_PREFIX + 'p:' + state;

/** The pending sign-ins of a storage. Modelled on oidc-client-ts's `StateStore`. @internal */
export interface PendingFlowStore {
  /** Stores a new sign-in, stamped with the current time, after forgetting the expired ones. */
  add(pending: Omit<PendingFlow, 'createdAt'>): void;
  /** The sign-in started with `state`, left in place; null when there is none. */
  find(state: string): PendingFlow | null;
  /**
   * Removes the sign-in started with `state` and returns it: the only way to get one to finish,
   * so each is finished (its code redeemed) at most once. Throws `no_pending_flow` when there is
   * none and `flow_expired` when it is older than {@link PENDING_FLOW_TTL_MS}.
   */
  take(state: string): PendingFlow;
  /** True when any sign-in is pending in this storage (of any client). */
  hasAny(): boolean;
}

/** The {@link PendingFlowStore} of `storage`, with `now` as its clock. @internal */
export function createPendingFlowStore(storage: StorageLike, now: () => number): PendingFlowStore {
  const readIndex = (): string[] => {
    const states = readStoredJson(storage, INDEX_KEY);
    return Array.isArray(states) ? states : [];
  };
  const writeIndex = (states: string[]) => {
    if (states.length) storage.setItem(INDEX_KEY, JSON.stringify(states));
    else storage.removeItem(INDEX_KEY);
  };
  const find = (state: string) => readStoredJson(storage, entryKey(state)) as PendingFlow | null;
  const isExpired = (pending: PendingFlow | null) => !pending || now() - pending.createdAt >= PENDING_FLOW_TTL_MS;

  return {
    add(pending) {
      const live: string[] = [];
      for (const state of readIndex()) {
        if (isExpired(find(state))) storage.removeItem(entryKey(state));
        else live.push(state);
      }
      storage.setItem(entryKey(pending.state), JSON.stringify({ ...pending, createdAt: now() }));
      writeIndex([...live, pending.state]);
    },
    find,
    take(state) {
      const pending = find(state);
      storage.removeItem(entryKey(state));
      writeIndex(readIndex().filter((indexed) => indexed !== state));
      if (!pending) throw new NanoGptAuthError('no_pending_flow');
      if (isExpired(pending)) throw new NanoGptAuthError('flow_expired');
      return pending;
    },
    hasAny: () => readIndex().length > 0,
  };
}

/**
 * The sign-ins pending in `storage` (of any client, expired ones included): those that left for
 * the authorization endpoint and have not come back. @internal
 */
export function listPendingFlows(storage: StorageLike): PendingFlow[] {
  const states = readStoredJson(storage, INDEX_KEY);
  return (Array.isArray(states) ? states : []).map((state) => readStoredJson(storage, entryKey(state)) as PendingFlow).filter(Boolean);
}
