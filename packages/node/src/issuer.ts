import { isLoopbackHost } from '@nanogpt-signin/core';
import { NanoGptNodeError } from './errors.js';

export { DEFAULT_SCOPE } from '@nanogpt-signin/core';
export const DEFAULT_ISSUER = 'https://nano-gpt.com';

/** Validates an issuer (an origin) and returns it without a trailing slash. */
export function normalizeIssuer(issuer: string | undefined): string {
  const raw = issuer ?? DEFAULT_ISSUER;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NanoGptNodeError('invalid_request', `Invalid issuer URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new NanoGptNodeError('invalid_request', `The issuer must be an http(s) URL: ${raw}`);
  }
  // Keys, codes and verifiers cross this origin: plain http only to this machine (a local mock),
  // the same rule as the core's createNanoGptAuth.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new NanoGptNodeError('invalid_request', `The issuer must use https (plain http only on 127.0.0.1, localhost or [::1]): ${url.origin}`);
  }
  // The issuer is an origin (spec §2); endpoint URLs would drop or mangle a path, so refuse one.
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw new NanoGptNodeError('invalid_request', 'The issuer must be a plain origin like https://nano-gpt.com (no path, credentials, query or fragment).');
  }
  return url.origin;
}

/** Resolves an issuer-relative path (or an absolute URL from the server) against the issuer. */
export function issuerUrl(issuer: string, pathOrUrl: string): URL {
  return new URL(pathOrUrl, `${issuer}/`);
}
