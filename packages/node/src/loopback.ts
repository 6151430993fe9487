import { createPkcePair, createState, DEFAULT_SCOPE, memoryStorage, shortcutFlow, type Flow, type SignInResult } from '@nanogpt-signin/core';
import { tryOpenBrowser, type BrowserOutcome, type OpenBrowser } from './browser.js';
import { startCallbackServer } from './callback-server.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_CLIENT_NAME, DEFAULT_LOOPBACK_TIMEOUT_MS, SIGN_IN_URL_PREFIX } from './defaults.js';
import { normalizeIssuer } from './issuer.js';
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

/** The core's flow object for the option; the standard flow (and oauth4webapi) loads only when asked for. */
async function loadFlow(flow: LoopbackSignInOptions['flow']): Promise<Flow> {
  return flow === 'standard' ? (await import('@nanogpt-signin/core/standard')).standardFlow : shortcutFlow;
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
      const { redirectUri } = server;
      const flow = await loadFlow(options.flow);
      // The standard flow's caches (metadata, the client registered for this redirect URI) live as long as this sign-in.
      const storage = memoryStorage();
      const { codeVerifier, codeChallenge } = await createPkcePair();
      const { url, clientId } = await deadline.within(
        flow.authorize({
          issuer,
          redirectUri,
          scope: options.scope ?? DEFAULT_SCOPE,
          state,
          codeChallenge,
          clientName: options.clientName ?? DEFAULT_CLIENT_NAME,
          clientId: options.clientId,
          storage,
          fetch: deadline.fetch,
        }),
      );
      (options.onUrl ?? ((signInUrl: string) => process.stderr.write(`${SIGN_IN_URL_PREFIX}${signInUrl}\n`)))(url.href);
      void tryOpenBrowser(url.href, options.openBrowser)
        // A launcher can take a while: once the sign-in is over, its outcome is news to nobody.
        .then((outcome) => settled || options.onBrowser?.(outcome))
        .catch(() => undefined);
      return await completeRedirect({
        server,
        deadline,
        issuer,
        exchange: (callbackUrl, code) =>
          flow.exchange({ issuer, redirectUri, callbackUrl, code, state, codeVerifier, clientId, storage, fetch: deadline.fetch }),
        pages: PAGES,
      });
    } finally {
      settled = true;
      await server.close();
    }
  });
}
