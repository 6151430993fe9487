import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createCodeChallenge, createPkcePair, createState } from '../src/index.js';
import { rejectsWith } from './helpers.js';

describe('PKCE', () => {
  it('matches RFC 7636 Appendix B', async () => {
    expect(await createCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates 43-char unreserved verifiers whose challenge equals oauth4webapi', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const pair = await createPkcePair();
      expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pair.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pair.codeChallengeMethod).toBe('S256');
      expect(pair.codeChallenge).toBe(await calculatePKCECodeChallenge(pair.codeVerifier));
      seen.add(pair.codeVerifier);
    }
    expect(seen.size).toBe(20);
  });

  it('accepts every allowed verifier character and 128 chars', async () => {
    const v = 'AZaz09-._~'.repeat(12) + 'abcdefgh';
    expect(v).toHaveLength(128);
    expect(await createCodeChallenge(v)).toBe(await calculatePKCECodeChallenge(v));
  });

  it.each(['short', 'a'.repeat(129), 'a'.repeat(42) + '+', 'a'.repeat(42) + ' '])('rejects bad verifier %#', async (v) => {
    const error = await rejectsWith(createCodeChallenge(v), 'invalid_request');
    expect(error.message).not.toContain(v);
  });

  it('creates unique 256-bit states', () => {
    const a = createState();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createState()).not.toBe(a);
  });
});
