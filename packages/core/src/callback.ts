import { errorCodeFromOAuth, NanoGptAuthError } from './errors.js';

/**
 * Reads an authorization response (the redirect back from NanoGPT) and returns its `code`.
 * Throws `issuer_mismatch` when `iss` is present and is not `expected.issuer` (RFC 9207), the
 * mapped code of an `error` parameter (see {@link errorCodeFromOAuth}), else `missing_code`.
 * Matching `state` to a sign-in is the caller's job (it knows where its pending sign-ins are).
 * Messages never carry the server's text beyond a short, sanitized `error` value.
 */
export function readCallback(url: URL, expected: { issuer: string }): string {
  const params = url.searchParams;
  const iss = params.get('iss');
  if (iss !== null && iss !== expected.issuer) throw new NanoGptAuthError('issuer_mismatch');
  const error = params.get('error');
  if (error !== null) {
    const code = errorCodeFromOAuth(error);
    const refused = new NanoGptAuthError(code);
    // Name an OAuth error our code does not spell (e.g. temporarily_unavailable), as a bare token only.
    const shown = error.replace(/[^\w.-]/g, '').slice(0, 40);
    if (code !== error && shown) refused.message += ' (' + shown + ')';
    throw refused;
  }
  const code = params.get('code');
  if (!code) throw new NanoGptAuthError('missing_code');
  return code;
}
