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
  | 'insufficient_balance'
  | 'spend_limit_reached'
  | 'request_limit_reached'
  | 'invalid_response'
  | 'invalid_request'
  | 'invalid_scope'
  | 'server_error'
  | 'not_signed_in'
  | 'popup_blocked'
  | 'popup_closed';

/** Extra details of a {@link NanoGptAuthError}. */
export interface NanoGptAuthErrorOptions {
  /** HTTP status of the response that caused the error, if any. */
  status?: number;
  /** Seconds to wait before retrying, or until a cap resets, when the server said so (`Retry-After`). */
  retryAfter?: number;
  /** The underlying error (e.g. the `TypeError` of a failed `fetch`). */
  cause?: unknown;
}

// Default messages: terse (they ship in every bundle), actionable, and never containing keys,
// codes, verifiers or states. Codes only an optional entry throws (popup) get their message there.
const MESSAGES: Partial<Record<NanoGptAuthErrorCode, string>> = {
  access_denied: 'Sign-in was declined.',
  state_mismatch: 'Unknown sign-in response. Sign in again.',
  issuer_mismatch: 'Response from an unexpected issuer.',
  invalid_grant: 'Code rejected. Sign in again.',
  flow_expired: 'Sign-in expired. Sign in again.',
  no_pending_flow: 'No pending sign-in.',
  missing_code: 'Returned without a code.',
  invalid_token_response: 'No valid key in the answer.',
  network_error: 'Could not reach NanoGPT.',
  session_expired: 'Key revoked or expired. Sign in again.',
  origin_not_allowed: 'Key not allowed from this origin.',
  rate_limited: 'Rate limited. Retry later.',
  insufficient_balance: 'Balance too low. Add funds.',
  spend_limit_reached: "This app's spend cap on the key is reached.",
  request_limit_reached: "The key's daily request cap is reached.",
  invalid_response: 'Unexpected answer from NanoGPT.',
  invalid_request: 'Invalid request.',
  invalid_scope: 'Scope must include api.use.',
  server_error: 'NanoGPT server error.',
  not_signed_in: 'Not signed in.',
};

/**
 * The only error type thrown by this library. `code` is stable; `message` is for humans and
 * never contains a key, authorization code, verifier or state.
 */
export class NanoGptAuthError extends Error {
  /** Stable machine-readable code. */
  declare readonly code: NanoGptAuthErrorCode;
  /** HTTP status of the response that caused the error, if any. */
  declare readonly status?: number;
  /**
   * Seconds to wait before retrying (`rate_limited`) or until the cap resets (`spend_limit_reached`,
   * `request_limit_reached`), when the server sent `Retry-After`.
   */
  declare readonly retryAfter?: number;

  /**
   * @param code stable error code
   * @param message human-readable message; defaults to a standard message for `code`
   * @param options status, retryAfter, cause
   */
  constructor(code: NanoGptAuthErrorCode, message?: string, options: NanoGptAuthErrorOptions = {}) {
    super(message || MESSAGES[code] || code, options);
    Object.assign(this, { name: 'NanoGptAuthError', code, status: options.status, retryAfter: options.retryAfter });
  }
}

/**
 * Maps an OAuth `error` value (of a callback or a token response) to our code: `access_denied`,
 * `invalid_grant`, `invalid_request` and `invalid_scope` pass through, `unsupported_response_type`
 * is an `invalid_request`; `server_error`, `temporarily_unavailable` and anything unknown become
 * `server_error`.
 */
export const errorCodeFromOAuth = (error: unknown): NanoGptAuthErrorCode =>
  error === 'access_denied' || error === 'invalid_grant' || error === 'invalid_request' || error === 'invalid_scope'
    ? error
    : error === 'unsupported_response_type'
      ? 'invalid_request'
      : 'server_error';

/** Throws a {@link NanoGptAuthError}; an expression, for `value || throwAuthError(...)`. @internal */
export const throwAuthError = (code: NanoGptAuthErrorCode, message?: string): never => {
  throw new NanoGptAuthError(code, message);
};
