import { createPkcePair, createState, isLoopbackHost, type SignInResult } from '@nanogpt-signin/core';
import { startCallbackServer, type CallbackServer } from './callback-server.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_LOOPBACK_TIMEOUT_MS } from './defaults.js';
import { downstreamLimits, mintCode, redeemKeyCode, type DownstreamKeyCode, type DownstreamKeySettings } from './downstream.js';
import { NanoGptNodeError } from './errors.js';
import { normalizeIssuer } from './issuer.js';
import { completeRedirect, type RedirectPages } from './redirect.js';

/*
 * Hand-off mode of downstream keys: the key is created for another process, which listens on a
 * loopback redirect with its own PKCE pair and redeems the code itself, so the minting process
 * never holds the new key and the receiving process never holds the source key.
 */

/** What a receiving process hands to the minting process. No secret: the verifier stays behind. */
export interface DownstreamKeyRequest {
  issuer: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
}

export interface DownstreamKeyReceiver {
  /** Send this (e.g. as JSON) to the process that holds the source key. */
  readonly request: DownstreamKeyRequest;
  /** Resolves with the new key once a code arrived on the loopback redirect and was redeemed. */
  readonly result: Promise<SignInResult>;
  /** Stops listening; a `result` still waiting rejects with `aborted`. (Done automatically once the key arrived, failed or timed out.) */
  close(): Promise<void>;
}

export interface ReceiveDownstreamKeyOptions {
  issuer?: string;
  /** Port on 127.0.0.1; default 0 = any free port. */
  port?: number;
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

const PAGES: RedirectPages = {
  success: { heading: 'Key received', detail: 'The downstream key was redeemed.' },
  failure: (error) => ({ heading: 'Key not received', detail: error.message }),
};

/**
 * Hand-off mode, receiving side: listens on a loopback redirect with its own PKCE pair and state,
 * waits for one delivered code, and redeems it itself. The key never passes through the minter
 * after it is created, and the minter never sees the verifier.
 */
export async function receiveDownstreamKey(options: ReceiveDownstreamKeyOptions = {}): Promise<DownstreamKeyReceiver> {
  const issuer = normalizeIssuer(options.issuer);
  // close() ends the wait like an abort, so `result` settles and no timeout timer keeps the process alive.
  const closer = new AbortController();
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS,
    signal: options.signal ? AbortSignal.any([options.signal, closer.signal]) : closer.signal,
    what: 'a downstream key code',
    fetch: options.fetch,
  };
  // The receiver is handed out once the server listens; the wait for the code goes on in `result`.
  type Listening = { server: CallbackServer; request: DownstreamKeyRequest };
  let listening!: (started: Listening) => void;
  let notListening!: (error: unknown) => void;
  const started = new Promise<Listening>((resolve, reject) => {
    listening = resolve;
    notListening = reject;
  });
  const result = withDeadline(limits, async (deadline) => {
    const state = createState();
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const server = await startCallbackServer({ state, signal: deadline.signal, port: options.port });
    try {
      listening({ server, request: { issuer, redirectUri: server.redirectUri, codeChallenge, state } });
      return await completeRedirect({
        server,
        deadline,
        issuer,
        exchange: (_callbackUrl, code) => redeemKeyCode(issuer, code, codeVerifier, deadline.fetch),
        pages: PAGES,
      });
    } finally {
      await server.close();
    }
  });
  // Before the server listens, a failure fails the call; after, it is the receiver's `result`.
  result.catch(notListening);
  const { server, request } = await started;

  return {
    request,
    result,
    close: async () => {
      closer.abort();
      await server.close();
    },
  };
}

function assertLoopback(redirectUri: string): URL {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new NanoGptNodeError('invalid_redirect_uri', 'The receiver redirect URI is not a URL.');
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || !url.port || url.username || url.password || url.hash) {
    throw new NanoGptNodeError('invalid_redirect_uri', 'Codes are only handed off to a loopback redirect URI (http://127.0.0.1:<port>/...).');
  }
  return url;
}

/** Delivers a minted code to the receiver's loopback redirect, like a browser redirect would. */
export async function deliverDownstreamKeyCode(options: { redirectUri: string; code: string; state: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<void> {
  const url = assertLoopback(options.redirectUri);
  url.searchParams.set('code', options.code);
  url.searchParams.set('state', options.state);
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, { redirect: 'manual', signal: options.signal });
    await response.arrayBuffer();
  } catch (error) {
    throw new NanoGptNodeError('handoff_failed', 'Could not reach the receiving process on its loopback address.', { cause: error });
  }
  if (!response.ok) {
    throw new NanoGptNodeError('handoff_failed', `The receiving process did not accept the key code (HTTP ${response.status}).`, { status: response.status });
  }
}

/**
 * Hand-off mode, minting side: mints a code for the receiver's request with the source key and
 * delivers it to the receiver's loopback redirect. The source key is only sent to `issuer`
 * (this side's option, never the request's), and the request's issuer must match it.
 */
export async function handOffDownstreamKey(options: DownstreamKeySettings & { request: DownstreamKeyRequest }): Promise<Omit<DownstreamKeyCode, 'code'>> {
  const issuer = normalizeIssuer(options.issuer);
  if (normalizeIssuer(options.request.issuer) !== issuer) {
    throw new NanoGptNodeError('issuer_mismatch', 'The receiver expects another NanoGPT issuer than the one the source key belongs to.');
  }
  assertLoopback(options.request.redirectUri);
  return withDeadline(downstreamLimits(options, 'the key hand-off'), async (deadline) => {
    const { code, ...rest } = await mintCode(
      { ...options, redirectUri: options.request.redirectUri, codeChallenge: options.request.codeChallenge },
      issuer,
      deadline.fetch,
    );
    await deliverDownstreamKeyCode({ redirectUri: options.request.redirectUri, code, state: options.request.state, fetch: deadline.fetch });
    return rest;
  });
}
