import {
  buildShortcutAuthorizationUrl,
  createPkcePair,
  createState,
  exchangeShortcutCode,
} from '@nanogpt-signin/core';
import { tryOpenBrowser, type BrowserOutcome, type OpenBrowser } from './browser.js';
import { startCallbackServer } from './callback-server.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_CLIENT_NAME, DEFAULT_LOOPBACK_TIMEOUT_MS, SIGN_IN_URL_PREFIX } from './defaults.js';
import { NanoGptNodeError } from './errors.js';
import { DEFAULT_SCOPE, normalizeIssuer } from './issuer.js';
import { completeRedirect, type RedirectPages } from './redirect.js';

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

const PAGES: RedirectPages = {
  success: { heading: 'Signed in to NanoGPT', detail: 'You can close this tab and return to your terminal.' },
  failure: (error) =>
    error.code === 'access_denied'
      ? { heading: 'Sign-in cancelled', detail: 'You denied access. You can close this tab.' }
      : { heading: 'Sign-in failed', detail: `${error.message} You can close this tab and try again from your terminal.` },
};

/**
 * Signs in through the user's browser with an RFC 8252 loopback redirect and returns the
 * app-specific NanoGPT key. Rejects with NanoGptNodeError (`timeout`, `aborted`,
 * `access_denied`, `port_in_use`, or one of the core's codes).
 */
export async function signInWithLoopback(options: LoopbackSignInOptions = {}): Promise<SignInResult> {
  const issuer = normalizeIssuer(options.issuer);
  let settled = false;
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS, signal: options.signal, what: 'the browser sign-in', fetch: options.fetch };
  return withDeadline(limits, async (deadline) => {
    const state = createState();
    const server = await startCallbackServer({ state, signal: deadline.signal, port: options.port });
    try {
      const flow = await deadline.within(prepareFlow(options, issuer, server.redirectUri, state, deadline.fetch));
      (options.onUrl ?? ((url: string) => process.stderr.write(`${SIGN_IN_URL_PREFIX}${url}\n`)))(flow.url);
      void tryOpenBrowser(flow.url, options.openBrowser)
        // A launcher can take a while: once the sign-in is over, its outcome is news to nobody.
        .then((outcome) => settled || options.onBrowser?.(outcome))
        .catch(() => undefined);
      return await completeRedirect(server, deadline, (callbackUrl) => flow.exchange(callbackUrl), PAGES);
    } finally {
      settled = true;
      await server.close();
    }
  });
}
