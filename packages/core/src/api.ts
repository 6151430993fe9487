import { NanoGptAuthError, throwAuthError } from './errors.js';
import { rateLimited, readJsonBody, send } from './http.js';
import type { Session } from './session.js';

/**
 * `NanoGptAuth#fetch`: calls NanoGPT's API (`issuer`'s origin only) with the session's key, and
 * turns the answers that concern the key into errors. @internal
 */
export async function fetchWithKey(
  session: Session,
  issuer: string,
  fetchImpl: typeof fetch | undefined,
  input: string | URL,
  init: RequestInit = {},
): Promise<Response> {
  const signedIn = session.get() || throwAuthError('not_signed_in');
  const url = new URL(input, issuer);
  if (url.origin !== issuer) throwAuthError('invalid_request', 'Refusing to send the NanoGPT key to another origin.');
  const headers = new Headers(init.headers);
  headers.set('authorization', 'Bearer ' + signedIn.key);
  const response = await send(fetchImpl, url, { ...init, headers });
  const status = response.status;
  if (status === 401) {
    // Revoked or expired: forget it (unless a sign-in meanwhile stored another key).
    if (session.get()?.key === signedIn.key) session.set(null);
    throw new NanoGptAuthError('session_expired', '', { status });
  }
  if (status === 403 && ((await readJsonBody(response.clone())) as { error?: unknown } | null)?.error === 'api_key_origin_not_allowed')
    throw new NanoGptAuthError('origin_not_allowed', '', { status });
  if (status === 429) throw rateLimited(response);
  return response;
}
