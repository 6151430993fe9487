import { NanoGptAuthError, type UsageCounters } from '@nanogpt-signin/core';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
// A chat with a small model costs fractions of a cent: show them rather than "$0.00".
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });

/** What the key spent, for the "Spent (30 days)" line: `$0.0123 · 5 requests`, `$0.0000045 · 1 request`. */
export function describeUsage(totals: UsageCounters): string {
  const cost = totals.netCostUsd > 0 && totals.netCostUsd < 0.01 ? cents : usd;
  return `${cost.format(totals.netCostUsd)} · ${totals.requests} ${totals.requests === 1 ? 'request' : 'requests'}`;
}

/** " It resets at <local date and time>." when the server said when (Retry-After), else nothing. */
function resetsAt(retryAfter: number | undefined): string {
  if (retryAfter === undefined) return '';
  const when = new Date(Date.now() + retryAfter * 1000);
  return ` It resets at ${when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.`;
}

/** A sentence a person can act on. Never the raw error: no stack, no secret. */
export function describeError(error: unknown): string {
  if (!(error instanceof NanoGptAuthError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'access_denied':
      return 'You declined the sign-in on NanoGPT, so no key was created.';
    case 'state_mismatch':
    case 'issuer_mismatch':
      return 'The sign-in response did not match the request this page sent, so it was rejected for your safety.';
    case 'no_pending_flow':
      return 'This sign-in link was already used or was not started in this tab. Start a new sign-in.';
    case 'flow_expired':
    case 'invalid_grant':
      return 'The sign-in expired or was already used. Please sign in again.';
    case 'missing_code':
      return 'NanoGPT sent you back without a sign-in code. Please sign in again.';
    case 'session_expired':
      return 'Your NanoGPT key is no longer valid (revoked or expired). You have been signed out.';
    case 'origin_not_allowed':
      return `NanoGPT does not allow this key to be used from ${location.origin}. Sign in again from this site.`;
    case 'insufficient_balance':
      return 'Your NanoGPT balance is too low for this request. Add funds on NanoGPT, then try again.';
    case 'spend_limit_reached':
      return `This app has reached the spend cap you set for it on NanoGPT.${resetsAt(error.retryAfter)} To keep going now, raise the cap in your NanoGPT settings (or sign in again with a new one).`;
    case 'request_limit_reached':
      return `This key has used its daily request cap.${resetsAt(error.retryAfter)}`;
    case 'rate_limited':
      return error.retryAfter === undefined
        ? 'Too many requests right now. Wait a moment and try again.'
        : `Too many requests right now. Try again in ${error.retryAfter} s.`;
    case 'network_error':
      return 'Could not reach NanoGPT. Check your connection and try again.';
    case 'invalid_response':
      return 'NanoGPT sent an answer this page could not read. Please try again.';
    case 'invalid_scope':
    case 'invalid_request':
    case 'invalid_token_response':
      return 'NanoGPT could not complete the sign-in request. Please try again.';
    case 'not_signed_in':
      return 'You are not signed in.';
    case 'popup_closed':
      return 'The sign-in window was closed before you finished. Try again when you are ready.';
    case 'popup_blocked':
      return 'The browser blocked the sign-in window. Allow popups for this site, or turn the popup option off.';
    default:
      return 'NanoGPT had a problem. Please try again.';
  }
}
