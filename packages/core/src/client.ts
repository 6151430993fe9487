import { readCallback } from './callback.js';
import { DEFAULT_SCOPE } from './defaults.js';
import { NanoGptAuthError } from './errors.js';
import type { Flow } from './flow.js';
import { rateLimited, send, type SignInResult } from './http.js';
import { normalizeIssuer } from './issuer.js';
import { isNanoGptKey } from './key.js';
import { createPkcePair, createState } from './pkce.js';
import { shortcutFlow } from './shortcut.js';
import { defaultStorage, NS, readJson, type StorageLike } from './storage.js';

/** Options of {@link createNanoGptAuth}. */
export interface NanoGptAuthOptions {
  /** NanoGPT origin. Default `https://nano-gpt.com`. */
  issuer?: string;
  /** Where NanoGPT sends the user back. Default: the current page without query and hash. */
  redirectUri?: string;
  /** Requested scopes. Default `api.use models.read` (must include `api.use`). */
  scope?: string;
  /** App name shown on the consent screen. */
  clientName?: string;
  /** Sign-in protocol. Default: the shortcut flow; or `standardFlow` from `@nanogpt-signin/core/standard`. */
  flow?: Flow;
  /** Standard flow: a pre-registered client_id (skips dynamic registration). */
  clientId?: string;
  /** Where the key and pending sign-ins live. Default `sessionStorage`, else in memory. Never use `localStorage`. */
  storage?: StorageLike;
  /** fetch implementation (tests, proxies). Default: global `fetch`. */
  fetch?: typeof fetch;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** Per-call options of `signIn` / `createSignInUrl`. */
export interface SignInOptions {
  scope?: string;
  redirectUri?: string;
}

/** A NanoGPT sign-in client (see {@link createNanoGptAuth}). */
export interface NanoGptAuth {
  /** Starts sign-in: stores the pending flow and navigates to NanoGPT (`location.assign`). */
  signIn(options?: SignInOptions): Promise<void>;
  /** Like `signIn` but returns the URL, for apps that navigate themselves (popups, shells, Node). */
  createSignInUrl(options?: SignInOptions): Promise<string>;
  /**
   * Completes sign-in from the callback URL (default `location.href`). Resolves `null` when the URL
   * holds no callback for a pending flow, so it is safe on every page load. Exchanges a code at most once.
   */
  handleRedirectCallback(url?: string): Promise<SignInResult | null>;
  /** The stored key, or null. */
  getKey(): string | null;
  /** The granted scopes, or null. */
  getScope(): string | null;
  /** True when a key is stored. */
  isSignedIn(): boolean;
  /** Forgets the key (it stays valid at NanoGPT until the user revokes it there). */
  signOut(): void;
  /** Calls `listener` with the new key (or null) on sign-in and sign-out; returns an unsubscribe function. */
  onChange(listener: (key: string | null) => void): () => void;
  /**
   * Calls NanoGPT's API with `Authorization: Bearer <key>`. Relative paths resolve against the issuer;
   * other origins are refused. Throws `session_expired` (401, key dropped), `origin_not_allowed`,
   * `rate_limited`, `network_error`, `not_signed_in`; otherwise returns the Response.
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
}

/** A sign-in in progress, stored under `nanogpt-signin:p:<state>`. @internal */
interface Pending {
  codeVerifier: string;
  state: string;
  redirectUri: string;
  issuer: string;
  flow: string;
  createdAt: number;
  clientId?: string;
}

const INDEX = NS + 'pending';
/** Pending flows expire after 10 minutes. */
const TTL = 6e5;
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'];
// One exchange per state across all clients of the page: later calls share the promise.
const inflight = new Map<string, Promise<SignInResult>>();

const fail = (code: NanoGptAuthError['code'], message?: string): never => {
  throw new NanoGptAuthError(code, message);
};
const hasLocation = () => typeof location != 'undefined';

/**
 * Creates a NanoGPT sign-in client. Works in browsers and in Node >= 20 (pass `redirectUri`,
 * `storage: memoryStorage()` is the default there).
 */
export function createNanoGptAuth(options: NanoGptAuthOptions = {}): NanoGptAuth {
  const issuer = normalizeIssuer(options.issuer);
  const flow = options.flow || shortcutFlow;
  const storage = options.storage || defaultStorage();
  const f = options.fetch;
  const now = options.now || Date.now;
  const listeners = new Set<(key: string | null) => void>();
  const sessionKey = NS + 'key:' + issuer;

  const session = (): SignInResult | null => {
    const s = readJson(storage, sessionKey) as SignInResult | null;
    return s && isNanoGptKey(s.key) ? s : null;
  };
  const setSession = (s: SignInResult | null) => {
    if (s) storage.setItem(sessionKey, JSON.stringify({ key: s.key, scope: s.scope }));
    else storage.removeItem(sessionKey);
    listeners.forEach((l) => l(s && s.key));
  };
  const index = (): string[] => {
    const v = readJson(storage, INDEX);
    return Array.isArray(v) ? v : [];
  };
  const setIndex = (states: string[]) =>
    states.length ? storage.setItem(INDEX, JSON.stringify(states)) : storage.removeItem(INDEX);
  const pending = (state: string) => readJson(storage, NS + 'p:' + state) as Pending | null;
  const drop = (state: string) => {
    storage.removeItem(NS + 'p:' + state);
    setIndex(index().filter((s) => s != state));
  };

  const createSignInUrl = async (o: SignInOptions = {}): Promise<string> => {
    const redirectUri =
      o.redirectUri ||
      options.redirectUri ||
      (hasLocation() ? location.origin + location.pathname : fail('invalid_request', 'redirectUri is required outside a browser.'));
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const state = createState();
    const { url, clientId } = await flow.authorize({
      issuer,
      redirectUri,
      scope: o.scope || options.scope || DEFAULT_SCOPE,
      state,
      codeChallenge,
      clientName: options.clientName,
      clientId: options.clientId,
      storage,
      fetch: f,
    });
    const p: Pending = { codeVerifier, state, redirectUri, issuer, flow: flow.id, createdAt: now(), clientId };
    // Forget abandoned sign-ins of this storage, then add this one (keyed by state: tabs don't clobber).
    const live = index().filter((s) => now() - (pending(s)?.createdAt ?? 0) < TTL || void drop(s));
    storage.setItem(NS + 'p:' + state, JSON.stringify(p));
    setIndex([...live, state]);
    return url.href;
  };

  const complete = async (u: URL, p: Pending): Promise<SignInResult> => {
    drop(p.state);
    if (now() - p.createdAt >= TTL) fail('flow_expired');
    const code = readCallback(u, { issuer });
    const result = await flow.exchange({
      issuer,
      redirectUri: p.redirectUri,
      callbackUrl: u,
      code,
      state: p.state,
      codeVerifier: p.codeVerifier,
      clientId: p.clientId,
      storage,
      fetch: f,
    });
    setSession(result);
    return result;
  };

  return {
    createSignInUrl,
    async signIn(o) {
      if (!hasLocation()) fail('invalid_request', 'signIn needs a browser; use createSignInUrl.');
      location.assign(await createSignInUrl(o));
    },
    async handleRedirectCallback(url) {
      const href = url ?? (hasLocation() ? location.href : fail('invalid_request', 'Pass the callback URL outside a browser.'));
      const u = new URL(href);
      const q = u.searchParams;
      const state = q.get('state');
      const known = state && inflight.get(state);
      if (known) return known;
      // The code must not linger in the address bar (or the history) once we have acted on it.
      const cleanAddressBar = () => {
        if (hasLocation() && href == location.href && typeof history != 'undefined') {
          CALLBACK_PARAMS.forEach((k) => q.delete(k));
          history.replaceState(history.state, '', u.href);
        }
      };
      const p = state ? pending(state) : null;
      if (!p) {
        // A response (code or error) we cannot match: tampered/foreign if sign-ins are pending here,
        // otherwise already handled (or not ours at all when it has no state).
        if (!q.has('code') && !q.has('error')) return null;
        if (!index().length && !state) return null;
        cleanAddressBar();
        return fail(index().length ? 'state_mismatch' : 'no_pending_flow');
      }
      if (p.issuer != issuer || p.flow != flow.id) return null; // another client's sign-in
      const run = complete(new URL(u), p);
      cleanAddressBar();
      inflight.set(p.state, run);
      return run;
    },
    getKey: () => session()?.key ?? null,
    getScope: () => session()?.scope ?? null,
    isSignedIn: () => !!session(),
    signOut() {
      inflight.clear();
      setSession(null);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async fetch(input, init = {}) {
      const s = session() || fail('not_signed_in');
      const url = new URL(input, issuer);
      if (url.origin != issuer) fail('invalid_request', 'Refusing to send the NanoGPT key to another origin.');
      const headers = new Headers(init.headers);
      headers.set('authorization', 'Bearer ' + s.key);
      const res = await send(f, url, { ...init, headers });
      const status = res.status;
      if (status == 401) {
        if (session()?.key == s.key) setSession(null);
        throw new NanoGptAuthError('session_expired', '', { status });
      }
      if (status == 403 && (await res.clone().json().catch(() => null))?.error == 'api_key_origin_not_allowed')
        throw new NanoGptAuthError('origin_not_allowed', '', { status });
      if (status == 429) throw rateLimited(res);
      return res;
    },
  };
}
