import { fetchUsage, NanoGptAuthError, type Usage } from '@nanogpt-signin/core';
import { NanoGptNodeError, toNodeError } from './errors.js';
import { normalizeIssuer } from './issuer.js';

export type KeyCheck =
  | { ok: true; usage: Usage }
  | { ok: false; code: 'invalid_api_key' | 'origin_not_allowed' | 'rate_limited' | 'server_error' | 'unexpected_response'; status: number; message: string };

/** The check's name for each core error a usage request can end in (401 is the spec's `invalid_api_key`). */
function failureCode(error: NanoGptAuthError): Exclude<KeyCheck, { ok: true }>['code'] {
  switch (error.code) {
    case 'session_expired':
      return 'invalid_api_key';
    case 'origin_not_allowed':
      return 'origin_not_allowed';
    case 'rate_limited':
    case 'spend_limit_reached':
    case 'request_limit_reached':
      return 'rate_limited';
    case 'server_error':
      return 'server_error';
    default:
      return 'unexpected_response';
  }
}

/**
 * Asks `GET /api/v1/usage` (the core's `fetchUsage`: the key's own spend over the last 30 days)
 * whether `key` still works; never the model list, which is public and answers 200 for a revoked
 * key too. Network failures throw `network_error`.
 */
export async function checkKey(options: { key: string; issuer?: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<KeyCheck> {
  const base = options.fetch ?? globalThis.fetch;
  const issuer = normalizeIssuer(options.issuer);
  const signal = options.signal;
  const withSignal: typeof fetch = signal ? (input, init) => base(input, { ...init, signal }) : base;
  try {
    return { ok: true, usage: await fetchUsage({ issuer, key: options.key, fetch: withSignal }) };
  } catch (error) {
    if (error instanceof NanoGptAuthError && error.code === 'network_error') {
      throw new NanoGptNodeError('network_error', `Could not reach ${issuer}.`, { cause: error });
    }
    if (!(error instanceof NanoGptAuthError)) throw toNodeError(error);
    const message = error.code === 'session_expired' ? 'The key is unknown, revoked or expired; sign in again.' : error.message;
    return { ok: false, code: failureCode(error), status: error.status ?? 0, message };
  }
}
