import { describe, expect, it } from 'vitest';
import { buildShortcutAuthorizationUrl, DEFAULT_SCOPE, isLoopbackHost } from '../src/index.js';
import { buildAuthorizationUrl } from '../src/standard.js';
import { ISSUER, REDIRECT } from './helpers.js';

describe('buildShortcutAuthorizationUrl', () => {
  it('builds /auth with callback_url, S256 challenge, scope, state and client_name', () => {
    const url = buildShortcutAuthorizationUrl({
      issuer: ISSUER,
      redirectUri: REDIRECT + '?x=1',
      codeChallenge: 'c'.repeat(43),
      state: 's1',
      clientName: 'My App & Co',
    });
    expect(url.origin + url.pathname).toBe(ISSUER + '/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      callback_url: REDIRECT + '?x=1',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
      scope: 'api.use models.read',
      state: 's1',
      client_name: 'My App & Co',
    });
    expect(DEFAULT_SCOPE).toBe('api.use models.read');
  });

  it('honours a custom scope and omits an absent client name', () => {
    const url = buildShortcutAuthorizationUrl({ issuer: ISSUER + '/', redirectUri: REDIRECT, codeChallenge: 'c', state: 's', scope: 'api.use' });
    expect(url.pathname).toBe('/auth');
    expect(url.searchParams.get('scope')).toBe('api.use');
    expect(url.searchParams.has('client_name')).toBe(false);
  });
});

describe('buildAuthorizationUrl (standard)', () => {
  const metadata = { issuer: ISSUER, authorization_endpoint: ISSUER + '/oauth/authorize', token_endpoint: ISSUER + '/oauth/token' };
  it('builds /oauth/authorize with every required parameter', async () => {
    const url = await buildAuthorizationUrl({
      issuer: ISSUER,
      clientId: 'ngpt_1',
      redirectUri: REDIRECT,
      codeChallenge: 'ch',
      state: 'st',
      metadata,
    });
    expect(url.origin + url.pathname).toBe(ISSUER + '/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'ngpt_1',
      redirect_uri: REDIRECT,
      scope: 'api.use models.read',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('adds prompt=consent on request', async () => {
    const url = await buildAuthorizationUrl({ issuer: ISSUER, clientId: 'c', redirectUri: REDIRECT, codeChallenge: 'x', state: 'y', prompt: 'consent', metadata });
    expect(url.searchParams.get('prompt')).toBe('consent');
  });
});

describe('isLoopbackHost', () => {
  it('accepts the loopback hostnames as URL spells them, nothing else', () => {
    for (const h of ['127.0.0.1', 'localhost', '[::1]']) expect(isLoopbackHost(new URL(`http://${h}:8080/`).hostname)).toBe(true);
    for (const h of ['127.0.0.2', 'localhost.example', 'nano-gpt.com', '::1', '0.0.0.0', '']) expect(isLoopbackHost(h)).toBe(false);
  });
});
