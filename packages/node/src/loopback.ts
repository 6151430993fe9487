import {
  buildShortcutAuthorizationUrl,
  createPkcePair,
  createState,
  exchangeShortcutCode,
} from '@nanogpt-signin/core';
import { tryOpenBrowser, type BrowserOutcome, type OpenBrowser } from './browser.js';
import { startCallbackServer, type CallbackServer, type ReceivedCallback } from './callback-server.js';
import { createDeadline, fetchWithDeadline, type Deadline } from './deadline.js';
import { NanoGptNodeError, toNodeError, type NanoGptNodeErrorCode } from './errors.js';
import { DEFAULT_SCOPE, normalizeIssuer } from './issuer.js';

export const DEFAULT_LOOPBACK_TIMEOUT_MS = 5 * 60 * 1000;
export const DEFAULT_CLIENT_NAME = 'nanogpt-login';

export interface LoopbackSignInOptions {
  /** NanoGPT origin; default `https://nano-gpt.com`. */
  issuer?: string;
  /** Default `api.use models.read` (must include `api.use`). */
  scope?: string;
  /** Shown on the consent screen and in the key's name. */
  clientName?: string;
  /** `shortcut` (default, NanoGPT's `/auth` hand-off) or `standard` (OAuth 2.0 with dynamic registration). */
  flow?: 'shortcut' | 'standard';
  /** Standard flow only: a client registered beforehand for exactly this redirect URI (needs a fixed `port`). */
  clientId?: string;
  /** Port on 127.0.0.1; default 0 = any free port. */
  port?: number;
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * How to open the browser: default the `open` package (skipped where no browser can exist:
   * CI, no DISPLAY); `false` never opens one. Failures never end the sign-in.
   */
  openBrowser?: OpenBrowser | false;
  /** Always called with the sign-in URL before any browser is opened. Default: prints it on stderr. */
  onUrl?: (url: string) => void;
  /** Told whether the browser was opened (and why not); not called once the sign-in has ended. */
  onBrowser?: (outcome: BrowserOutcome) => void;
  fetch?: typeof fetch;
}

export interface SignInResult {
  key: string;
  scope: string;
}

interface PreparedFlow {
  url: string;
  exchange(callbackUrl: URL): Promise<SignInResult>;
}

async function prepareFlow(
  options: LoopbackSignInOptions,
  issuer: string,
  redirectUri: string,
  state: string,
  doFetch: typeof fetch,
): Promise<PreparedFlow> {
  const { codeVerifier, codeChallenge } = await createPkcePair();
  const scope = options.scope ?? DEFAULT_SCOPE;
  const clientName = options.clientName ?? DEFAULT_CLIENT_NAME;

  if (options.flow === 'standard') {
    const standard = await import('@nanogpt-signin/core/standard');
    const metadata = await standard.discover(issuer, { fetch: doFetch });
    const clientId =
      options.clientId ??
      (await standard.registerClient({ issuer, clientName, redirectUris: [redirectUri], fetch: doFetch, metadata })).clientId;
    const url = await standard.buildAuthorizationUrl({ issuer, clientId, redirectUri, codeChallenge, state, scope, metadata });
    return {
      url: url.href,
      exchange: (callbackUrl) =>
        standard.exchangeAuthorizationCode({ issuer, clientId, redirectUri, callbackUrl, state, codeVerifier, fetch: doFetch, metadata }),
    };
  }

  const url = buildShortcutAuthorizationUrl({ issuer, redirectUri, codeChallenge, state, scope, clientName });
  return {
    url: url.href,
    async exchange(callbackUrl) {
      const code = callbackUrl.searchParams.get('code');
      if (!code) throw new NanoGptNodeError('missing_code', 'The redirect came back without an authorization code.');
      const result = await exchangeShortcutCode({ issuer, code, codeVerifier, fetch: doFetch });
      return { key: result.key, scope: result.scope };
    },
  };
}

const CALLBACK_ERRORS: Readonly<Record<string, NanoGptNodeErrorCode>> = {
  access_denied: 'access_denied',
  invalid_scope: 'invalid_scope',
  invalid_request: 'invalid_request',
  unsupported_response_type: 'invalid_request',
  server_error: 'server_error',
  temporarily_unavailable: 'server_error',
};

/** The error a callback carries (`?error=...`), or one for a callback that has neither code nor error. */
export function callbackError(url: URL): NanoGptNodeError | null {
  const error = url.searchParams.get('error');
  if (error !== null) {
    const code = CALLBACK_ERRORS[error] ?? 'server_error';
    if (code === 'access_denied') return new NanoGptNodeError('access_denied', 'Sign-in was denied in the browser.');
    return new NanoGptNodeError(code, `The authorization server answered with an error (${error.slice(0, 64)}).`);
  }
  if (!url.searchParams.get('code')) {
    return new NanoGptNodeError(
      'missing_code',
      'The browser came back without an authorization code; start the sign-in again.',
    );
  }
  return null;
}

function failurePage(callback: ReceivedCallback, error: NanoGptNodeError): void {
  const heading = error.code === 'access_denied' ? 'Sign-in cancelled' : 'Sign-in failed';
  const detail =
    error.code === 'access_denied'
      ? 'You denied access. You can close this tab.'
      : `${error.message} You can close this tab and try again from your terminal.`;
  callback.respond('failure', heading, detail);
}

async function waitAndExchange(server: CallbackServer, flow: PreparedFlow, deadline: Deadline): Promise<SignInResult> {
  const callback = await Promise.race([server.received, deadline.expired]);
  try {
    const refused = callbackError(callback.url);
    if (refused) throw refused;
    const result = await flow.exchange(callback.url);
    callback.respond('success', 'Signed in to NanoGPT', 'You can close this tab and return to your terminal.');
    return result;
  } catch (error) {
    const typed = deadline.signal.aborted ? deadline.reason() : toNodeError(error);
    failurePage(callback, typed);
    throw typed;
  }
}

/**
 * Signs in through the user's browser with an RFC 8252 loopback redirect and returns the
 * app-specific NanoGPT key. Rejects with NanoGptNodeError (`timeout`, `aborted`,
 * `access_denied`, `port_in_use`, or one of the core's codes).
 */
export async function signInWithLoopback(options: LoopbackSignInOptions = {}): Promise<SignInResult> {
  const issuer = normalizeIssuer(options.issuer);
  const deadline = createDeadline({
    timeoutMs: options.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    what: 'the browser sign-in',
  });
  const doFetch = fetchWithDeadline(options.fetch ?? globalThis.fetch, deadline);
  let server: CallbackServer | null = null;
  let settled = false;
  try {
    const state = createState();
    server = await startCallbackServer({ state, signal: deadline.signal, ...(options.port !== undefined ? { port: options.port } : {}) });
    const flow = await Promise.race([prepareFlow(options, issuer, server.redirectUri, state, doFetch), deadline.expired]);
    (options.onUrl ?? ((url: string) => process.stderr.write(`Open this URL to sign in: ${url}\n`)))(flow.url);
    void tryOpenBrowser(flow.url, options.openBrowser)
      // A launcher can take a while: once the sign-in is over, its outcome is news to nobody.
      .then((outcome) => settled || options.onBrowser?.(outcome))
      .catch(() => undefined);
    return await waitAndExchange(server, flow, deadline);
  } catch (error) {
    throw deadline.signal.aborted ? deadline.reason() : toNodeError(error);
  } finally {
    settled = true;
    deadline.dispose();
    await server?.close();
  }
}
