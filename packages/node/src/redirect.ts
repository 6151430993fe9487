import type { SignInResult } from '@nanogpt-signin/core';
import type { CallbackServer } from './callback-server.js';
import type { Deadline } from './deadline.js';
import { NanoGptNodeError, type NanoGptNodeErrorCode } from './errors.js';

/*
 * The receiving end of a loopback redirect, shared by the browser sign-in and the hand-off
 * receiver: wait for the one callback, read its code, redeem it while the browser waits, then
 * answer the browser with a page that says how it went.
 */

export interface Page {
  heading: string;
  detail: string;
}

export interface RedirectPages {
  success: Page;
  failure(error: NanoGptNodeError): Page;
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

/**
 * Waits under `deadline` for the callback `server` receives, redeems its code with `exchange`
 * and answers the browser; rejects with the typed error (after showing it on the failure page).
 */
export async function completeRedirect(
  server: CallbackServer,
  deadline: Deadline,
  exchange: (callbackUrl: URL, code: string) => Promise<SignInResult>,
  pages: RedirectPages,
): Promise<SignInResult> {
  const callback = await deadline.within(server.received);
  try {
    const refused = callbackError(callback.url);
    if (refused) throw refused;
    const result = await exchange(callback.url, callback.url.searchParams.get('code') ?? '');
    callback.respond('success', pages.success.heading, pages.success.detail);
    return result;
  } catch (error) {
    const typed = deadline.fail(error);
    const page = pages.failure(typed);
    callback.respond('failure', page.heading, page.detail);
    throw typed;
  }
}
