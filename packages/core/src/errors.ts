/**
 * Stable error codes of {@link NanoGptAuthError}. Switch on these, never on messages.
 */
export type NanoGptAuthErrorCode =
  | 'access_denied'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'invalid_grant'
  | 'flow_expired'
  | 'no_pending_flow'
  | 'missing_code'
  | 'invalid_token_response'
  | 'network_error'
  | 'session_expired'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'invalid_request'
  | 'invalid_scope'
  | 'server_error'
  | 'not_signed_in';

/** Extra details of a {@link NanoGptAuthError}. */
export interface NanoGptAuthErrorOptions {
  /** HTTP status of the response that caused the error, if any. */
  status?: number;
  /** Seconds to wait before retrying (`rate_limited` only, when the server said so). */
  retryAfter?: number;
  /** The underlying error (e.g. the `TypeError` of a failed `fetch`). */
  cause?: unknown;
}

// Default messages: clear, actionable, and never containing keys, codes, verifiers or states.
const MESSAGES: Record<NanoGptAuthErrorCode, string> = {
  access_denied: 'Sign-in was cancelled: access to NanoGPT was declined.',
  state_mismatch: 'This sign-in response does not match a sign-in started here (state mismatch). Start sign-in again.',
  issuer_mismatch: 'This sign-in response came from an unexpected issuer.',
  invalid_grant: 'NanoGPT rejected the authorization code (expired, already used or PKCE mismatch). Start sign-in again.',
  flow_expired: 'The sign-in took longer than 10 minutes and expired. Start sign-in again.',
  no_pending_flow: 'No sign-in is pending for this response: it was already handled, or started in another tab or browser.',
  missing_code:
    'NanoGPT sent you back without an authorization code or error: the consent page was closed or did not redirect. Start sign-in again.',
  invalid_token_response: 'NanoGPT answered the code exchange without a valid NanoGPT key.',
  network_error: 'Could not reach NanoGPT. Check the connection and try again.',
  session_expired: 'The NanoGPT key is no longer valid (revoked or expired). Sign in again.',
  origin_not_allowed: "The NanoGPT key is not allowed from this site's origin. Sign in again from this origin.",
  rate_limited: 'NanoGPT is rate limiting requests. Wait and try again.',
  invalid_request: 'NanoGPT rejected the request as invalid.',
  invalid_scope: 'The requested scope is invalid; it must include api.use.',
  server_error: 'NanoGPT returned an unexpected error.',
  not_signed_in: 'Not signed in to NanoGPT.',
};

/**
 * The only error type thrown by this library. `code` is stable; `message` is for humans and
 * never contains a key, authorization code, verifier or state.
 */
export class NanoGptAuthError extends Error {
  /** Stable machine-readable code. */
  readonly code: NanoGptAuthErrorCode;
  /** HTTP status of the response that caused the error, if any. */
  readonly status?: number;
  /** Seconds to wait before retrying, for `rate_limited` when the server sent `Retry-After`. */
  readonly retryAfter?: number;

  /**
   * @param code stable error code
   * @param message human-readable message; defaults to a standard message for `code`
   * @param options status, retryAfter, cause
   */
  constructor(code: NanoGptAuthErrorCode, message?: string, options: NanoGptAuthErrorOptions = {}) {
    super(message || MESSAGES[code] || MESSAGES.server_error, options);
    this.name = 'NanoGptAuthError';
    this.code = code;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
  }
}

/** Maps an OAuth `error` value to our code (unknown values become `server_error`). @internal */
export const oauthCode = (error: unknown): NanoGptAuthErrorCode =>
  error === 'access_denied' || error === 'invalid_grant' || error === 'invalid_request' || error === 'invalid_scope'
    ? error
    : 'server_error';
