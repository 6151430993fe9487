/**
 * Reading NanoGPT's error answers: the code in any of its error bodies, and the typed error an
 * API failure means for an app (a revoked key, an empty balance, a spend or request cap, a rate limit).
 */
import { NanoGptAuthError, type NanoGptAuthErrorCode } from './errors.js';
import { parseRetryAfter, readJsonBody } from './http.js';

/**
 * The error code of a NanoGPT error body, whichever shape it has: the OpenAI envelope of the API
 * (`{"error":{"code","type","message"}}`: its `code`, else its `type`), Anthropic's
 * (`{"type":"error","error":{"type"}}`) or the flat OAuth shape (`{"error":"<code>"}`).
 * Undefined when the body holds none.
 */
export function readApiErrorCode(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return error;
  const { code, type } = (error || {}) as { code?: unknown; type?: unknown };
  return typeof code === 'string' ? code : typeof type === 'string' ? type : undefined;
}

/**
 * The {@link NanoGptAuthError} a failed NanoGPT API response means (its body is read from a
 * clone, so `response` stays readable): 401 `session_expired`, 402 `insufficient_balance`, 403
 * `api_key_origin_not_allowed` `origin_not_allowed`, 429 `spend_limit_reached` (any
 * `*_usd_limit_exceeded`), `request_limit_reached` (`daily_rpd_limit_exceeded`) or `rate_limited`
 * (throughput), with `retryAfter` when the server sent `Retry-After`; any other 4xx
 * `invalid_request`, 5xx `server_error`. `status` is the response's.
 */
export async function apiError(response: Response): Promise<NanoGptAuthError> {
  const status = response.status;
  const code = readApiErrorCode(await readJsonBody(response.clone())) || '';
  const retryAfter = parseRetryAfter(response);
  const ours: NanoGptAuthErrorCode =
    status === 401
      ? 'session_expired'
      : status === 402
        ? 'insufficient_balance'
        : status === 403 && code === 'api_key_origin_not_allowed'
          ? 'origin_not_allowed'
          : status === 429
            ? /_usd_limit_exceeded$/.test(code)
              ? 'spend_limit_reached'
              : code === 'daily_rpd_limit_exceeded'
                ? 'request_limit_reached'
                : 'rate_limited'
            : status < 500
              ? 'invalid_request'
              : 'server_error';
  const error = new NanoGptAuthError(ours, '', { status, retryAfter });
  // A cap says when it lifts: the message tells the user when (never anything from the body).
  if (ours.endsWith('_reached') && retryAfter !== undefined)
    error.message += ' It resets at ' + new Date(Date.now() + retryAfter * 1000).toUTCString() + '.';
  return error;
}
