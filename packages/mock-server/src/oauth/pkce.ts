/**
 * The server's PKCE checks (RFC 7636), written here rather than taken from core's pkce.ts: a
 * server that trusted the client's code could not catch the client's mistakes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43-128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is base64url (no padding) of a 32-byte SHA-256 digest: 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isValidVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

export function isValidS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Constant-time check that `verifier` hashes to `challenge`. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  const actual = Buffer.from(s256(verifier));
  const expected = Buffer.from(challenge);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Check a challenge and its method. `methodRequired` is true on /oauth/authorize, false on
 * /auth and /api/v1/auth/keys/code (where a missing method means S256). Returns an error
 * description, or null when valid.
 */
export function checkChallenge(challenge: string | undefined, method: string | undefined, methodRequired: boolean): string | null {
  if (method === undefined && methodRequired) return 'code_challenge_method is required and must be S256';
  if (method !== undefined && method !== 'S256') return 'code_challenge_method must be S256 (plain is not supported)';
  if (challenge === undefined) return 'code_challenge is required';
  if (!isValidS256Challenge(challenge)) return 'code_challenge must be the base64url SHA-256 of the code_verifier (43 characters)';
  return null;
}
