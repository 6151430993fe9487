import { readCallback, type SignInResult } from '@nanogpt-signin/core';
import type { CallbackServer } from './callback-server.js';
import type { Deadline } from './deadline.js';
import type { NanoGptNodeError } from './errors.js';

/*
 * The receiving end of a loopback redirect, shared by the browser sign-in and the hand-off
 * receiver: wait for the one callback, read it with the core's readCallback (its error mapping,
 * `iss` check and missing code), redeem the code while the browser waits, then answer the
 * browser with a page that says how it went.
 */

export interface Page {
  heading: string;
  detail: string;
}

export interface RedirectPages {
  success: Page;
  failure(error: NanoGptNodeError): Page;
}

export interface RedirectCompletion {
  /** Receives the callback (it has already checked the state). */
  server: CallbackServer;
  deadline: Deadline;
  /** The issuer the callback must come from (`iss`, when present). */
  issuer: string;
  /** Redeems the callback's code; runs while the browser waits for its page. */
  exchange(callbackUrl: URL, code: string): Promise<SignInResult>;
  pages: RedirectPages;
}

/** Waits for the callback, redeems it and answers the browser; rejects with the typed error (after showing it). */
export async function completeRedirect({ server, deadline, issuer, exchange, pages }: RedirectCompletion): Promise<SignInResult> {
  const callback = await deadline.within(server.received);
  try {
    const result = await exchange(callback.url, readCallback(callback.url, { issuer }));
    callback.respond('success', pages.success.heading, pages.success.detail);
    return result;
  } catch (error) {
    const typed = deadline.fail(error);
    const page = pages.failure(typed);
    callback.respond('failure', page.heading, page.detail);
    throw typed;
  }
}
