import { NanoGptAuthError, errorCodeFromOAuth } from './errors.js';
import { isNanoGptKey } from './key.js';

/** What a successful code exchange yields. */
export interface SignInResult {
  /** The app-specific NanoGPT API key (`sk-nano-<uuid>`). Treat it like a password. */
  key: string;
  /** Granted scopes, space-separated (e.g. `models.read api.use`). */
  scope: string;
}

/** fetch that turns transport failures into `network_error` (aborts pass through). @internal */
export async function send(f: typeof fetch | undefined, url: string | URL, init?: RequestInit): Promise<Response> {
  try {
    return await (f || fetch)(url, init);
  } catch (e) {
    if ((e as Error)?.name == 'AbortError') throw e;
    throw new NanoGptAuthError('network_error', '', { cause: e });
  }
}

/** Seconds to wait from a response's `Retry-After` (delta-seconds or HTTP date); undefined when absent or garbled. */
export function parseRetryAfter(res: Response, now = Date.now()): number | undefined {
  const h = res.headers.get('retry-after')?.trim();
  if (!h) return;
  // Only a day-name-led HTTP date goes to Date.parse: it reads '1.5' or '-1' as 2001, i.e. "retry now".
  const s = /^\d+$/.test(h) ? +h : /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/.test(h) ? Math.ceil((Date.parse(h) - now) / 1e3) : NaN;
  return s >= 0 ? s : s < 0 ? 0 : undefined;
}

/** `rate_limited` error for a 429 response. @internal */
export const rateLimited = (res: Response): NanoGptAuthError =>
  new NanoGptAuthError('rate_limited', '', { status: 429, retryAfter: parseRetryAfter(res) });

const body = (res: Response): Promise<unknown> => res.json().catch(() => null);

const str = (v: unknown): v is string => typeof v == 'string';

/**
 * Validates a token endpoint success body strictly: a JSON object whose `access_token` and/or
 * `key` is a NanoGPT key (equal when both), `token_type` Bearer where present, `scope` a string.
 * @internal
 */
export function parseKeyBody(b: unknown): SignInResult & { userId?: string } {
  const o = (b && typeof b == 'object' && !Array.isArray(b) ? b : {}) as Record<string, unknown>;
  const { access_token: at, key = at, token_type: tt, scope, user_id: userId } = o;
  if (
    !isNanoGptKey(key) ||
    (at !== undefined && at !== key) ||
    (tt !== undefined && (!str(tt) || tt.toLowerCase() != 'bearer')) ||
    !str(scope) ||
    (userId !== undefined && !str(userId))
  )
    throw new NanoGptAuthError('invalid_token_response');
  return userId === undefined ? { key, scope } : { key, scope, userId };
}

/**
 * POSTs to a token endpoint and returns the validated key, mapping every failure to a
 * {@link NanoGptAuthError}. @internal
 */
export async function postForKey(
  f: typeof fetch | undefined,
  url: string | URL,
  params: Record<string, string>,
  json?: boolean,
): Promise<SignInResult & { userId?: string }> {
  const res = await send(f, url, {
    method: 'POST',
    redirect: 'manual', // never carry the code and verifier elsewhere
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: json ? JSON.stringify(params) : new URLSearchParams(params),
  });
  if (res.status == 429) throw rateLimited(res);
  const b = await body(res);
  if (!res.ok) throw new NanoGptAuthError(errorCodeFromOAuth((b as { error?: unknown } | null)?.error), '', { status: res.status });
  return parseKeyBody(b);
}
