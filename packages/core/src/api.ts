import { apiError } from './api-errors.js';
import { throwAuthError } from './errors.js';
import { send } from './http.js';
import type { Session } from './session.js';

/**
 * `NanoGptAuth#fetch`: calls NanoGPT's API (`issuer`'s origin only) with the session's key, and
 * turns the answers that concern the key or its limits (401, 402, 403 origin refusal, 429) into
 * errors (see {@link apiError}). @internal
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
  if (url.origin !== issuer) throwAuthError('invalid_request', 'The key goes to the issuer only.');
  const headers = new Headers(init.headers);
  headers.set('authorization', 'Bearer ' + signedIn.key);
  const response = await send(fetchImpl, url, { ...init, headers });
  const status = response.status;
  // Revoked or expired: forget it (unless a sign-in meanwhile stored another key).
  if (status === 401 && session.get()?.key === signedIn.key) session.set(null);
  if ((status > 400 && status < 404) || status === 429) {
    const error = await apiError(response);
    if (error.code !== 'invalid_request') throw error; // other 403s (e.g. a model not allowed) are the caller's
  }
  return response;
}
