import { calculatePKCECodeChallenge, generateRandomCodeVerifier, generateRandomState } from 'oauth4webapi';

/** A PKCE verifier/challenge pair (RFC 7636, S256). */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export const createCodeChallenge = (codeVerifier: string): Promise<string> => calculatePKCECodeChallenge(codeVerifier);

/** Creates a random 43-character verifier and its S256 challenge (Web Crypto). */
export async function createPkcePair(): Promise<PkcePair> {
  const codeVerifier = generateRandomCodeVerifier();
  return { codeVerifier, codeChallenge: await createCodeChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}

/** Creates a random, URL-safe `state` value (256 bits). */
export const createState = (): string => generateRandomState();
