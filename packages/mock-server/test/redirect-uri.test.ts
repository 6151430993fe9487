import { describe, expect, it } from 'vitest';
import { validateRedirectUri } from '../src/oauth/redirect-uri.js';
import { normaliseScope } from '../src/oauth/scopes.js';
import { checkChallenge, isValidVerifier, s256 } from '../src/oauth/pkce.js';

describe('redirect URI rules (spec §5)', () => {
  it.each([
    ['https://app.example.com/cb', 'https://app.example.com/cb', ['https://app.example.com']],
    ['https://app.example.com:8443/cb?x=1', 'https://app.example.com:8443/cb?x=1', ['https://app.example.com:8443']],
    ['http://127.0.0.1:5173/', 'http://127.0.0.1:5173/', ['http://127.0.0.1:5173', 'http://localhost:5173', 'http://[::1]:5173']],
    ['http://localhost:8080/callback', 'http://127.0.0.1:8080/callback', ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080']],
    ['http://[::1]:9000/cb', 'http://127.0.0.1:9000/cb', ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000']],
    ['http://LOCALHOST:80/cb', 'http://127.0.0.1:80/cb', ['http://127.0.0.1', 'http://localhost', 'http://[::1]']],
  ])('accepts %s', (uri, canonical, origins) => {
    const v = validateRedirectUri(uri);
    expect(v).toEqual({ ok: true, value: { uri, canonical, loopback: uri.startsWith('http:'), origins } });
  });

  it.each([
    ['http://example.com/cb', 'plain http to a non-loopback host'],
    ['http://127.0.0.1/cb', 'loopback without port'],
    ['http://localhost/cb', 'loopback without port'],
    ['http://[::1]/cb', 'loopback without port'],
    ['http://127.0.0.1:/cb', 'empty port'],
    ['http://127.0.0.1:0/cb', 'port 0'],
    ['http://127.0.0.1:70000/cb', 'port out of range'],
    ['http://127.0.0.2:5000/cb', 'other 127/8 address'],
    ['https://app.example.com/cb#', 'empty fragment'],
    ['https://app.example.com/cb#x', 'fragment'],
    ['https://user@app.example.com/cb', 'userinfo'],
    ['https://user:pw@app.example.com/cb', 'credentials'],
    ['https://*.example.com/cb', 'wildcard host'],
    ['https://app.example.com/*', 'wildcard path'],
    ['myapp://callback', 'custom scheme'],
    ['ftp://app.example.com/cb', 'other scheme'],
    ['/relative/cb', 'relative'],
    ['', 'empty'],
    ['https://app.example.com/c b', 'whitespace'],
    ['https://app.example.com/日本', 'non-ASCII path'],
    ['https://app.example.com/cb?x=€', 'non-ASCII query'],
    ['https://app.example.com/é', 'Latin-1 path'],
    ['https://日本.example/cb', 'IDN host not in punycode'],
    [`https://app.example.com/${'a'.repeat(2100)}`, 'too long'],
  ])('rejects %s (%s)', (uri) => {
    expect(validateRedirectUri(uri).ok).toBe(false);
  });
});

describe('scope normalisation (spec §3)', () => {
  it.each([
    [undefined, 'models.read api.use'],
    ['api.use models.read', 'models.read api.use'],
    ['models.read api.use', 'models.read api.use'],
    ['api.use', 'api.use'],
    ['api.use  api.use', 'api.use'],
  ])('%s -> %s', (input, scope) => {
    expect(normaliseScope(input)).toEqual({ ok: true, scope });
  });
  it.each(['', 'models.read', 'api.use admin', 'API.USE', 'openid'])('rejects %j', (input) => {
    expect(normaliseScope(input).ok).toBe(false);
  });
});

describe('PKCE (spec §4, RFC 7636)', () => {
  it('computes the RFC 7636 appendix B example', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('checks verifier charset and length', () => {
    expect(isValidVerifier('a'.repeat(43))).toBe(true);
    expect(isValidVerifier('a'.repeat(128))).toBe(true);
    expect(isValidVerifier('a'.repeat(42))).toBe(false);
    expect(isValidVerifier('a'.repeat(129))).toBe(false);
    expect(isValidVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isValidVerifier(`${'a'.repeat(42)}=`)).toBe(false);
  });
  it('requires S256, optionally implied', () => {
    const c = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(checkChallenge(c, 'S256', true)).toBeNull();
    expect(checkChallenge(c, undefined, false)).toBeNull();
    expect(checkChallenge(c, undefined, true)).not.toBeNull();
    expect(checkChallenge(c, 'plain', false)).not.toBeNull();
    expect(checkChallenge(c, 's256', false)).not.toBeNull();
    expect(checkChallenge(`${c}=`, 'S256', false)).not.toBeNull();
    expect(checkChallenge(undefined, 'S256', false)).not.toBeNull();
  });
});
