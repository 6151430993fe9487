import { normalizeIssuer as coreNormalizeIssuer } from '@nanogpt-signin/core';
import { toNodeError } from './errors.js';

/** The core's issuer rule (an https origin; plain http only on loopback), rejecting with NanoGptNodeError. */
export function normalizeIssuer(issuer?: string): string {
  try {
    return coreNormalizeIssuer(issuer);
  } catch (error) {
    throw toNodeError(error);
  }
}

/** Resolves an issuer-relative path (or an absolute URL from the server) against the issuer. */
export function issuerUrl(issuer: string, pathOrUrl: string): URL {
  return new URL(pathOrUrl, `${issuer}/`);
}
