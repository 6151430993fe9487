/**
 * Popup sign-in: NanoGPT's consent opens in a popup; the popup's callback page hands the callback
 * URL back to the page that opened it over a same-origin `BroadcastChannel` named after the
 * sign-in's state (never through `window.opener`, which a cross-origin-opener-policy severs). The
 * verifier never leaves the opening page, which exchanges the code, once. Import from
 * `@nanogpt-signin/core/popup`; apps that don't, don't ship this code.
 * @packageDocumentation
 */
import { POPUP_STATE_PREFIX, type NanoGptAuth, type SignInOptions } from './client.js';
import { NanoGptAuthError } from './errors.js';
import type { SignInResult } from './http.js';
import { PENDING_FLOW_TTL_MS } from './pending-flows.js';

/** Options of {@link signInWithPopup}. */
export interface PopupSignInOptions extends Omit<SignInOptions, 'popup'> {
  /** `window.open` features. Default `popup,width=480,height=720`. */
  features?: string;
}

const channelName = (state: string) => 'nanogpt-signin:popup:' + state;
/** How often the opener looks whether the popup is still open (a closed one is reported within a second). */
const POLL_MS = 400;
const CLOSE = 'close';

/**
 * Signs in through a popup. Call it from a click handler (it opens the popup at once, before any
 * await, so that browsers allow it). Resolves the key and scope, like `handleRedirectCallback`.
 * Rejects with `popup_blocked` (no popup could be opened: fall back to `auth.signIn()`),
 * `popup_closed` (the user closed it), `flow_expired` (left open over 10 minutes), or any error of
 * the callback (`access_denied`, …). The page at the redirect URI must call
 * {@link handlePopupCallback} on load (the `<nanogpt-signin-button>` element does).
 */
export function signInWithPopup(auth: NanoGptAuth, options: PopupSignInOptions = {}): Promise<SignInResult> {
  const popup = typeof open === 'function' ? open('', 'nanogpt-signin', options.features || 'popup,width=480,height=720') : null;
  if (!popup) return Promise.reject(new NanoGptAuthError('popup_blocked', 'The browser blocked the sign-in popup.'));
  const startedAt = Date.now();
  return new Promise<SignInResult>((resolve, reject) => {
    let channel: BroadcastChannel | undefined;
    let closedSeen = false;
    const settle = (outcome: Promise<SignInResult | null>) => {
      clearInterval(timer);
      channel?.close();
      outcome.then((result) => result || Promise.reject(new NanoGptAuthError('no_pending_flow'))).then(resolve, reject);
    };
    const fail = (error: NanoGptAuthError) => {
      popup.close();
      settle(Promise.reject(error));
    };
    const timer = setInterval(() => {
      if (Date.now() - startedAt >= PENDING_FLOW_TTL_MS) fail(new NanoGptAuthError('flow_expired'));
      // `closed` also reads true once a cross-origin-opener-policy on NanoGPT's pages has severed
      // the popup from us, while it is still open and in front. Only a closed popup gives this
      // page its focus back, so "closed" counts only while we have the focus; one more look after
      // the first lets a callback posted just before the popup closed still arrive.
      else if (popup.closed && document.hasFocus()) closedSeen ? fail(new NanoGptAuthError('popup_closed', 'The sign-in popup was closed.')) : (closedSeen = true);
    }, POLL_MS);
    auth.createSignInUrl({ ...options, popup: true }).then(
      (url) => {
        const state = new URL(url).searchParams.get('state') as string;
        channel = new BroadcastChannel(channelName(state));
        channel.onmessage = ({ data }: MessageEvent<unknown>) => {
          if (typeof data !== 'string' || new URL(data).searchParams.get('state') !== state) return;
          channel?.postMessage(CLOSE); // the popup closes itself (we may not be able to: COOP)
          popup.close();
          settle(auth.handleRedirectCallback(data));
        };
        popup.location.href = url;
      },
      (error: unknown) => {
        popup.close();
        settle(Promise.reject(error));
      },
    );
  });
}

/**
 * On the page at the redirect URI, in the popup: when this URL is the callback of a popup sign-in,
 * hands it to the opening page, removes it from the address bar, and closes the window once the
 * opener has it (showing a one-line message meanwhile, and if the window cannot close). Returns
 * true when it did; false (doing nothing) on any other page, and where there is no DOM. Call it
 * before `auth.init()`.
 */
export function handlePopupCallback(): boolean {
  if (typeof location === 'undefined' || typeof BroadcastChannel === 'undefined') return false;
  const url = new URL(location.href);
  const state = url.searchParams.get('state');
  if (!state?.startsWith(POPUP_STATE_PREFIX) || !(url.searchParams.has('code') || url.searchParams.has('error'))) return false;
  const channel = new BroadcastChannel(channelName(state));
  const say = (text: string) => {
    const line = document.createElement('p');
    line.textContent = text;
    line.style.cssText = 'font: 16px system-ui, sans-serif; margin: 2em; text-align: center';
    document.body.replaceChildren(line);
  };
  channel.onmessage = ({ data }: MessageEvent<unknown>) => {
    if (data !== CLOSE) return;
    channel.close();
    close();
    if (!closed) say('Signed in. You can close this window.');
  };
  channel.postMessage(url.href);
  history.replaceState(history.state, '', location.pathname);
  addEventListener('DOMContentLoaded', () => !closed && say('Finishing sign-in…'));
  if (document.readyState !== 'loading') say('Finishing sign-in…');
  return true;
}
