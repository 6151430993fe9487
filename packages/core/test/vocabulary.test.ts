// The shared vocabulary node and the mock import: the issuer rule, the OAuth error mapping, reading a callback.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ISSUER, DEFAULT_SCOPE, errorCodeFromOAuth, normalizeIssuer, readCallback } from '../src/index.js';
import { throwsWith } from './helpers.js';

describe('normalizeIssuer', () => {
  it('defaults to https://nano-gpt.com and returns origins without a trailing slash', () => {
    expect(DEFAULT_ISSUER).toBe('https://nano-gpt.com');
    expect(DEFAULT_SCOPE).toBe('api.use models.read');
    expect(normalizeIssuer()).toBe('https://nano-gpt.com');
    expect(normalizeIssuer(undefined)).toBe(DEFAULT_ISSUER);
    expect(normalizeIssuer('https://NANO-gpt.com:443')).toBe('https://nano-gpt.com');
    expect(normalizeIssuer('https://nano-gpt.com/')).toBe('https://nano-gpt.com');
    expect(normalizeIssuer('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
    expect(normalizeIssuer('http://localhost:4010')).toBe('http://localhost:4010');
    expect(normalizeIssuer('http://[::1]:4010')).toBe('http://[::1]:4010');
  });

  it('refuses plain http off loopback and other schemes, saying https', () => {
    for (const issuer of ['http://nano-gpt.com', 'http://127.0.0.1.example.com:4010', 'ftp://nano-gpt.com', 'javascript:alert(1)']) {
      const error = throwsWith(() => normalizeIssuer(issuer), 'invalid_request');
      expect(error.message, issuer).toBe('Issuer must be https; plain http only on 127.0.0.1, localhost or [::1].');
    }
  });

  it('refuses a malformed URL and anything beyond a plain origin', () => {
    for (const issuer of [
      '',
      'nano-gpt.com',
      'https://[',
      'https://nano-gpt.com/api/v1',
      'https://nano-gpt.com//',
      'https://user:secret@nano-gpt.com',
      'https://nano-gpt.com/?x=1',
      'https://nano-gpt.com/?',
      'https://nano-gpt.com/#top',
    ]) {
      const error = throwsWith(() => normalizeIssuer(issuer), 'invalid_request');
      expect(error.message, issuer).toBe(
        'Issuer must be a plain origin like https://nano-gpt.com.',
      );
      expect(error.message).not.toContain('secret');
    }
  });
});

describe('errorCodeFromOAuth', () => {
  it('passes our codes through and maps the rest', () => {
    const cases: Record<string, string> = {
      access_denied: 'access_denied',
      invalid_grant: 'invalid_grant',
      invalid_request: 'invalid_request',
      invalid_scope: 'invalid_scope',
      unsupported_response_type: 'invalid_request',
      server_error: 'server_error',
      temporarily_unavailable: 'server_error',
      invalid_client: 'server_error',
      weird: 'server_error',
    };
    for (const [error, code] of Object.entries(cases)) expect(errorCodeFromOAuth(error), error).toBe(code);
    for (const value of [undefined, null, 42, {}]) expect(errorCodeFromOAuth(value)).toBe('server_error');
  });
});

describe('readCallback', () => {
  const expected = { issuer: 'https://nano-gpt.com' };
  const read = (query: string) => readCallback(new URL('http://127.0.0.1:5000/callback?' + query), expected);

  it('returns the code (with or without a matching iss)', () => {
    expect(read('code=c0de&state=s')).toBe('c0de');
    expect(read('code=c0de&state=s&iss=' + encodeURIComponent(expected.issuer))).toBe('c0de');
  });

  it('refuses a different iss before anything else', () => {
    throwsWith(() => read('code=c0de&iss=https%3A%2F%2Fevil.example'), 'issuer_mismatch');
    throwsWith(() => read('error=access_denied&iss=https%3A%2F%2Fevil.example'), 'issuer_mismatch');
  });

  it('maps an error parameter, never echoing the server error value or description', () => {
    expect(throwsWith(() => read('error=access_denied&error_description=Nope'), 'access_denied').message).toBe('Sign-in was declined.');
    throwsWith(() => read('error=invalid_scope'), 'invalid_scope');
    throwsWith(() => read('error=invalid_request&code=c0de'), 'invalid_request');
    throwsWith(() => read('error=unsupported_response_type'), 'invalid_request');
    throwsWith(() => read('error=temporarily_unavailable'), 'server_error');
    const odd = throwsWith(() => read('error=%3Cb%3Eevil%3C%2Fb%3E&error_description=secret+text'), 'server_error');
    expect(odd.message).toBe('NanoGPT server error.');
    throwsWith(() => read('error='), 'server_error');
  });

  it('gives missing_code when there is neither code nor error', () => {
    expect(throwsWith(() => read('state=s'), 'missing_code').message).toMatch(/without a code/);
    throwsWith(() => read('code='), 'missing_code');
  });
});
