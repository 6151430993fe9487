import { NanoGptAuthError } from './errors.js';

// The default entry does its own RFC 7636 primitives with Web Crypto: importing even the smallest
// oauth4webapi function costs ~910 B min+gzip of module-level code esbuild cannot drop (user-agent
// sniffing, base64 decoders, WWW-Authenticate regexes). Tests check these against oauth4webapi and
// RFC 7636 Appendix B; the standard flow entry uses oauth4webapi throughout.

/** A PKCE verifier/challenge pair (RFC 7636, S256). */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

const base64url = (bytes: ArrayBuffer | Uint8Array): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=/g, '');

/** 32 random bytes, base64url: 43 characters, 256 bits. */
const randomBase64url = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/**
 * The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))), no padding.
 * Throws `invalid_request` unless the verifier is 43–128 characters of `A-Z a-z 0-9 - . _ ~`.
 */
export async function createCodeChallenge(codeVerifier: string): Promise<string> {
  if (!/^[\w.~-]{43,128}$/.test(codeVerifier))
    throw new NanoGptAuthError('invalid_request', 'A PKCE verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~');
  return s256(codeVerifier);
}

// Unchecked: for verifiers made by randomBase64url(), always valid (and the sign-in bundle skips the check's message).
const s256 = async (codeVerifier: string): Promise<string> =>
  base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier)));

/** Creates a random 43-character verifier (256 bits) and its S256 challenge (Web Crypto). */
export async function createPkcePair(): Promise<PkcePair> {
  const codeVerifier = randomBase64url();
  return { codeVerifier, codeChallenge: await s256(codeVerifier), codeChallengeMethod: 'S256' };
}

/** Creates a random, URL-safe `state` value (256 bits). */
export const createState = (): string => randomBase64url();
