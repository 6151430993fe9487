import { createPkcePair, createState, exchangeShortcutCode, isLoopbackHost } from '@nanogpt-signin/core';
import { startCallbackServer, type CallbackServer } from './callback-server.js';
import { createDeadline, fetchWithDeadline } from './deadline.js';
import { deadlineFor, mintCode, type DownstreamKeyCode, type DownstreamKeySettings } from './downstream.js';
import { NanoGptNodeError, toNodeError } from './errors.js';
import { normalizeIssuer } from './issuer.js';
import { callbackError, type SignInResult } from './loopback.js';

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

/**
 * Hand-off mode, receiving side: listens on a loopback redirect with its own PKCE pair and state,
 * waits for one delivered code, and redeems it itself. The key never passes through the minter
 * after it is created, and the minter never sees the verifier.
 */
export async function receiveDownstreamKey(options: ReceiveDownstreamKeyOptions = {}): Promise<DownstreamKeyReceiver> {
  const issuer = normalizeIssuer(options.issuer);
  // close() ends the wait like an abort, so `result` settles and no timeout timer keeps the process alive.
  const closer = new AbortController();
  const deadline = createDeadline({
    timeoutMs: options.timeoutMs ?? 5 * 60 * 1000,
    signal: options.signal ? AbortSignal.any([options.signal, closer.signal]) : closer.signal,
    what: 'a downstream key code',
  });
  const doFetch = fetchWithDeadline(options.fetch ?? globalThis.fetch, deadline);
  const state = createState();
  let server: CallbackServer;
  let codeVerifier: string;
  let codeChallenge: string;
  try {
    ({ codeVerifier, codeChallenge } = await createPkcePair());
    server = await startCallbackServer({ state, signal: deadline.signal, ...(options.port !== undefined ? { port: options.port } : {}) });
  } catch (error) {
    deadline.dispose();
    throw deadline.signal.aborted ? deadline.reason() : toNodeError(error);
  }

  const run = async (): Promise<SignInResult> => {
    const callback = await Promise.race([server.received, deadline.expired]);
    try {
      const refused = callbackError(callback.url);
      if (refused) throw refused;
      const code = callback.url.searchParams.get('code') ?? '';
      const result = await exchangeShortcutCode({ issuer, code, codeVerifier, fetch: doFetch });
      callback.respond('success', 'Key received', 'The downstream key was redeemed.');
      return { key: result.key, scope: result.scope };
    } catch (error) {
      const typed = deadline.signal.aborted ? deadline.reason() : toNodeError(error);
      callback.respond('failure', 'Key not received', typed.message);
      throw typed;
    }
  };
  const result = run()
    .catch((error: unknown) => {
      throw deadline.signal.aborted ? deadline.reason() : toNodeError(error);
    })
    .finally(async () => {
      deadline.dispose();
      await server.close();
    });
  result.catch(() => undefined);

  return {
    request: { issuer, redirectUri: server.redirectUri, codeChallenge, state },
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
    response = await (options.fetch ?? globalThis.fetch)(url, { redirect: 'manual', ...(options.signal ? { signal: options.signal } : {}) });
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
  const deadline = deadlineFor(options, 'the key hand-off');
  const doFetch = fetchWithDeadline(options.fetch ?? globalThis.fetch, deadline);
  try {
    const { code, ...rest } = await mintCode(
      { ...options, redirectUri: options.request.redirectUri, codeChallenge: options.request.codeChallenge },
      issuer,
      doFetch,
    );
    await deliverDownstreamKeyCode({ redirectUri: options.request.redirectUri, code, state: options.request.state, fetch: doFetch });
    return rest;
  } catch (error) {
    throw deadline.signal.aborted ? deadline.reason() : toNodeError(error);
  } finally {
    deadline.dispose();
  }
}
