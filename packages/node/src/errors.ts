import { NanoGptAuthError, type NanoGptAuthErrorCode, type NanoGptAuthErrorOptions } from '@nanogpt-signin/core';

/** Codes added by this package on top of the core's codes. */
export type NanoGptNodeOwnErrorCode =
  | 'timeout'
  | 'aborted'
  | 'port_in_use'
  | 'device_code_expired'
  | 'device_code_consumed'
  | 'device_code_invalid'
  | 'device_key_revoked'
  | 'device_login_failed'
  | 'issuer_unavailable'
  | 'replace_declined'
  | 'env_file_tracked'
  | 'command_failed'
  | 'source_key_oauth'
  | 'source_key_restricted'
  | 'source_key_invalid'
  | 'invalid_redirect_uri'
  | 'handoff_failed'
  | 'credentials_invalid'
  | 'insecure_permissions'
  | 'untrusted_verification_uri'
  | 'unexpected_response'
  | 'internal_error';

/** Every code a function of `@nanogpt-signin/node` can reject with. */
export type NanoGptNodeErrorCode = NanoGptAuthErrorCode | NanoGptNodeOwnErrorCode;

/** The core's error details (`status`, `retryAfter`, `cause`): a node error carries the same. */
export type NanoGptNodeErrorOptions = NanoGptAuthErrorOptions;

/**
 * The one error type this package rejects with. `code` is stable; `message` is for people and
 * never contains a key, an authorization code, a PKCE verifier, a state or a device code.
 */
export class NanoGptNodeError extends Error {
  override readonly name = 'NanoGptNodeError';
  readonly code: NanoGptNodeErrorCode;
  readonly status?: number;
  readonly retryAfter?: number;

  constructor(code: NanoGptNodeErrorCode, message: string, options: NanoGptNodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }
}

export function isNanoGptNodeError(value: unknown): value is NanoGptNodeError {
  return value instanceof NanoGptNodeError;
}

/**
 * Turns anything thrown below us into a NanoGptNodeError: our own errors pass through, the
 * core's NanoGptAuthError keeps its code, a failed fetch becomes `network_error`, anything else
 * `internal_error`.
 */
export function toNodeError(error: unknown): NanoGptNodeError {
  if (error instanceof NanoGptNodeError) return error;
  if (error instanceof NanoGptAuthError) {
    const options: NanoGptNodeErrorOptions = { cause: error };
    if (error.status !== undefined) options.status = error.status;
    if (error.retryAfter !== undefined) options.retryAfter = error.retryAfter;
    return new NanoGptNodeError(error.code, error.message, options);
  }
  if (isFetchFailure(error)) {
    return new NanoGptNodeError('network_error', 'Could not reach the NanoGPT server.', { cause: error });
  }
  // Anything else (a throwing callback, a local failure) is not a network problem: say so.
  return new NanoGptNodeError('internal_error', 'Unexpected failure; see the cause.', { cause: error });
}

/** fetch() rejects with a TypeError (undici: "fetch failed", cause ECONNREFUSED...). */
function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch|network/i.test(error.message);
}
