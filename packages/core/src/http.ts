/**
 * Talking to NanoGPT: sending requests, and reading its answers — the authorization response in
 * the redirect back, token responses, `Retry-After`.
 */
import { errorCodeFromOAuth, NanoGptAuthError } from './errors.js';
import { isNanoGptKey } from './key.js';

/** What a successful code exchange yields. */
export interface SignInResult {
  /** The app-specific NanoGPT API key (`sk-nano-<uuid>`). Treat it like a password. */
  key: string;
  /** Granted scopes, space-separated (e.g. `models.read api.use`). */
  scope: string;
}

/** fetch that turns transport failures into `network_error` (aborts pass through). @internal */
export async function send(fetchImpl: typeof fetch | undefined, url: string | URL, init?: RequestInit): Promise<Response> {
  try {
    return await (fetchImpl || fetch)(url, init);
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new NanoGptAuthError('network_error', '', { cause: error });
  }
}

/** `path` on `origin`, with the query parameters that have a value (empty ones are left out). @internal */
export function urlWithQuery(path: string, origin: string, query: Record<string, string | undefined>): URL {
  const url = new URL(path, origin);
  for (const [name, value] of Object.entries(query)) if (value) url.searchParams.set(name, value);
  return url;
}

/** A response's JSON body; null when it is not JSON. @internal */
export const readJsonBody = (response: Response): Promise<unknown> => response.json().catch(() => null);

/** Seconds to wait from a response's `Retry-After` (delta-seconds or HTTP date); undefined when absent or garbled. */
export function parseRetryAfter(response: Response, now = Date.now()): number | undefined {
  const header = response.headers.get('retry-after')?.trim();
  if (!header) return;
  // Only a day-name-led HTTP date goes to Date.parse: it reads '1.5' or '-1' as 2001, i.e. "retry now".
  const seconds = /^\d+$/.test(header)
    ? Number(header)
    : /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/.test(header)
      ? Math.ceil((Date.parse(header) - now) / 1000)
      : NaN;
  return seconds >= 0 ? seconds : seconds < 0 ? 0 : undefined;
}

/** @internal */
export const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * Validates a token endpoint success body strictly: a JSON object whose `access_token` and/or
 * `key` is a NanoGPT key (equal when both), `token_type` Bearer where present, `scope` a string.
 * @internal
 */
export function parseKeyBody(body: unknown): SignInResult & { userId?: string } {
  // Not an object (null, a string, an array): its fields are undefined, so the key check fails.
  const { access_token: accessToken, key = accessToken, token_type: tokenType, scope, user_id: userId } = (body ?? {}) as Record<string, unknown>;
  if (
    !isNanoGptKey(key) ||
    (accessToken !== undefined && accessToken !== key) ||
    (tokenType !== undefined && (!isString(tokenType) || tokenType.toLowerCase() !== 'bearer')) ||
    !isString(scope) ||
    (userId !== undefined && !isString(userId))
  )
    throw new NanoGptAuthError('invalid_token_response');
  return { key, scope, userId };
}

/**
 * Reads an authorization response (the redirect back from NanoGPT) and returns its `code`.
 * Throws `issuer_mismatch` when `iss` is present and is not `expected.issuer` (RFC 9207), the
 * mapped code of an `error` parameter (see {@link errorCodeFromOAuth}), else `missing_code`.
 * Matching `state` to a sign-in is the caller's job (it knows where its pending sign-ins are).
 * Messages are our own: they never carry the server's `error` value or description.
 */
export function readCallback(url: URL, expected: { issuer: string }): string {
  const params = url.searchParams;
  const iss = params.get('iss');
  if (iss !== null && iss !== expected.issuer) throw new NanoGptAuthError('issuer_mismatch');
  const error = params.get('error');
  if (error !== null) throw new NanoGptAuthError(errorCodeFromOAuth(error));
  const code = params.get('code');
  if (!code) throw new NanoGptAuthError('missing_code');
  return code;
}
