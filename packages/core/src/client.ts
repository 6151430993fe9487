import { fetchWithKey } from './api.js';
import { DEFAULT_SCOPE } from './defaults.js';
import { type NanoGptAuthError, throwAuthError } from './errors.js';
import type { Flow } from './flow.js';
import { readCallback, type SignInResult } from './http.js';
import { normalizeIssuer } from './issuer.js';
import { createPendingFlowStore } from './pending-flows.js';
import { createPkcePair, createState } from './pkce.js';
import { createSession, type Session } from './session.js';
import { shortcutFlow } from './shortcut.js';
import { defaultStorage, type StorageLike } from './storage.js';
import { readUsage, usageUrl, type Usage, type UsageOptions } from './usage.js';

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
  /**
   * Keeps the tabs of the app in step: `tabSync()` (from this package) signs every tab out when
   * one signs out; `tabSync({ shareAcrossTabs: true })` also hands the key to newly opened tabs.
   */
  tabs?: TabSync;
}

/** Connects a client's session to the other tabs of the app (see `tabSync`). */
export type TabSync = (session: Session, issuer: string) => void;

/** What {@link NanoGptAuth.getState} and {@link NanoGptAuth.subscribe} deliver. */
export interface AuthState {
  /** `signing-in` while a sign-in is being started or its callback exchanged. */
  readonly status: 'signed-out' | 'signing-in' | 'signed-in';
  /** The key (treat it like a password: show it only through `maskKey`), or null. */
  readonly key: string | null;
  /** The granted scopes, or null. */
  readonly scope: string | null;
  /** Why the last sign-in failed (callback, `signIn`, popup); null once a sign-in starts again or succeeds. */
  readonly error: NanoGptAuthError | null;
}

/** Per-call options of `signIn` / `createSignInUrl`. */
export interface SignInOptions {
  scope?: string;
  redirectUri?: string;
  /** Marks a popup sign-in (`signInWithPopup` from `@nanogpt-signin/core/popup` sets it): its state starts with `popup.`. */
  popup?: boolean;
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
   * The current {@link AuthState}: the same object until something changes (a store snapshot, as
   * React's `useSyncExternalStore` expects).
   */
  getState(): AuthState;
  /**
   * Calls `listener` with the current state at once, then with every new state; returns an
   * unsubscribe function (the store contract of `useSyncExternalStore`, Svelte stores, Vue refs).
   */
  subscribe(listener: (state: AuthState) => void): () => void;
  /**
   * Call once on every page load: finishes a sign-in when this URL is NanoGPT's redirect back
   * (like `handleRedirectCallback`), then resolves the state. Never rejects: a failed sign-in is `state.error`.
   */
  init(): Promise<AuthState>;
  /**
   * Calls NanoGPT's API with `Authorization: Bearer <key>`. Relative paths resolve against the issuer;
   * other origins are refused. Throws `session_expired` (401, key dropped), `insufficient_balance`
   * (402), `origin_not_allowed` (403), `spend_limit_reached`, `request_limit_reached`,
   * `rate_limited` (429), `network_error`, `not_signed_in`; otherwise returns the Response (also
   * other failures: read them with `apiError`).
   */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /**
   * The signed-in key's usage (`GET /api/v1/usage`; default the last 30 UTC days, by day and model),
   * validated. The cheap way to learn whether the key still works: a revoked or expired key is
   * `session_expired`, and the key is dropped (listeners told). Errors as `fetch`, plus
   * `invalid_request` (bad range) and `invalid_response` (malformed answer).
   */
  usage(options?: UsageOptions): Promise<Usage>;
}

/** The parameters a callback carries; none may linger in the address bar once acted on. */
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'];

// Exchanges in flight, by state, across all clients of the page: a component mounted twice (two
// clients) shares one exchange. Each leaves the map when it settles (auth0-spa-js's singlePromise).
const exchangesInFlight = new Map<string, Promise<SignInResult>>();

function trackInFlight(state: string, exchange: Promise<SignInResult>): Promise<SignInResult> {
  exchangesInFlight.set(state, exchange);
  const forget = () => exchangesInFlight.delete(state);
  exchange.then(forget, forget);
  return exchange;
}

const hasLocation = () => typeof location !== 'undefined';

// One message for each call that needs a page: createSignInUrl, handleRedirectCallback, signIn.
const OUTSIDE_BROWSER = 'No browser: pass redirectUri and the callback URL.';

/** Starts the state of a popup sign-in: the popup's page hands such a callback to its opener instead of exchanging it. */
export const POPUP_STATE_PREFIX = 'popup.';

/** Removes the callback parameters from the address bar and its history entry, if `href` is the current page. */
function cleanAddressBar(href: string): void {
  if (!hasLocation() || href !== location.href || typeof history === 'undefined') return;
  const cleaned = new URL(href);
  for (const name of CALLBACK_PARAMS) cleaned.searchParams.delete(name);
  history.replaceState(history.state, '', cleaned.href);
}

/**
 * Creates a NanoGPT sign-in client. Works in browsers and in Node >= 20 (pass `redirectUri`,
 * `storage: memoryStorage()` is the default there).
 */
export function createNanoGptAuth(options: NanoGptAuthOptions = {}): NanoGptAuth {
  const issuer = normalizeIssuer(options.issuer);
  const flow = options.flow || shortcutFlow;
  const storage = options.storage || defaultStorage();
  const fetchImpl = options.fetch;
  const session = createSession(storage, issuer);
  const pendingFlows = createPendingFlowStore(storage, options.now || Date.now);
  options.tabs?.(session, issuer);
  // This client's latest callback: asking again after it settled gets the same answer (until signOut).
  let lastCallback: { state: string; result: Promise<SignInResult> } | undefined;

  const createSignInUrl = async (signInOptions: SignInOptions = {}): Promise<string> => {
    const redirectUri =
      signInOptions.redirectUri ||
      options.redirectUri ||
      (hasLocation() ? location.origin + location.pathname : throwAuthError('invalid_request', OUTSIDE_BROWSER));
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const state = (signInOptions.popup ? POPUP_STATE_PREFIX : '') + createState();
    const { url, clientId } = await flow.authorize({
      issuer,
      redirectUri,
      scope: signInOptions.scope || options.scope || DEFAULT_SCOPE,
      state,
      codeChallenge,
      clientName: options.clientName,
      clientId: options.clientId,
      storage,
      fetch: fetchImpl,
    });
    pendingFlows.add({ codeVerifier, state, redirectUri, issuer, flow: flow.id, clientId });
    return url.href;
  };

  const completeSignIn = async (callbackUrl: URL, state: string): Promise<SignInResult> => {
    // Taken before the exchange, so that no later callback can redeem the code again.
    const pending = pendingFlows.take(state);
    const code = readCallback(callbackUrl, { issuer });
    // The pending flow holds the rest of what the exchange needs: redirectUri, codeVerifier, clientId.
    const result = await flow.exchange({ ...pending, callbackUrl, code, storage, fetch: fetchImpl });
    session.set(result);
    return result;
  };

  const handleRedirectCallback = async (url?: string): Promise<SignInResult | null> => {
    const href = url ?? (hasLocation() ? location.href : throwAuthError('invalid_request', OUTSIDE_BROWSER));
    const callbackUrl = new URL(href);
    const params = callbackUrl.searchParams;
    const state = params.get('state');
    const earlier = state ? (lastCallback?.state === state ? lastCallback.result : exchangesInFlight.get(state)) : undefined;
    if (earlier) return earlier;
    const pending = state ? pendingFlows.find(state) : null;
    if (!pending) {
      // A popup's callback without its pending sign-in is the opener's to exchange (core/popup hands it over).
      if ((!params.has('code') && !params.has('error')) || state?.startsWith(POPUP_STATE_PREFIX)) return null;
      // A response no sign-in here matches: forged or from another browser while sign-ins are
      // pending, else already handled (or, without a state, not ours at all).
      const anyPending = pendingFlows.hasAny();
      if (!anyPending && !state) return null;
      cleanAddressBar(href);
      return throwAuthError(anyPending ? 'state_mismatch' : 'no_pending_flow');
    }
    if (pending.issuer !== issuer || pending.flow !== flow.id) return null; // another client's sign-in
    const result = trackInFlight(pending.state, session.track(completeSignIn(callbackUrl, pending.state), true));
    lastCallback = { state: pending.state, result };
    cleanAddressBar(href);
    return result;
  };

  // Every failure of a callback becomes state.error too (rendered rather than caught).
  const handleTracked = (url?: string) => session.track(handleRedirectCallback(url));

  return {
    createSignInUrl,
    async signIn(signInOptions) {
      if (!hasLocation()) throwAuthError('invalid_request', OUTSIDE_BROWSER);
      location.assign(await createSignInUrl(signInOptions));
    },
    handleRedirectCallback: handleTracked,
    // Also waits for exchanges other calls started (StrictMode's second effect, another client).
    init: () =>
      handleTracked()
        .then(() => Promise.all(exchangesInFlight.values()))
        .then(session.state, session.state),
    getState: session.state,
    subscribe: session.subscribe,
    getKey: () => session.state().key,
    getScope: () => session.state().scope,
    isSignedIn: () => !!session.state().key,
    signOut() {
      lastCallback = undefined;
      session.set(null);
    },
    onChange: session.onChange,
    fetch: (input, init) => fetchWithKey(session, issuer, fetchImpl, input, init),
    usage: async (usageOptions) => readUsage(await fetchWithKey(session, issuer, fetchImpl, usageUrl(issuer, usageOptions))),
  };
}
