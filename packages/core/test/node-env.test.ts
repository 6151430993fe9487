import { describe, expect, it } from 'vitest';
import { createNanoGptAuth } from '../src/index.js';
import { fakeFetch, ISSUER, KEY, okKey, rejectsWith, throwsWith } from './helpers.js';

describe('in Node (no DOM)', () => {
  it('has no sessionStorage/location here', () => {
    expect(typeof sessionStorage).toBe('undefined');
    expect(typeof location).toBe('undefined');
  });

  it('requires redirectUri and an explicit callback URL', async () => {
    const auth = createNanoGptAuth({ issuer: ISSUER });
    await rejectsWith(auth.createSignInUrl(), 'invalid_request');
    await rejectsWith(auth.handleRedirectCallback(), 'invalid_request');
    await rejectsWith(createNanoGptAuth({ issuer: ISSUER, redirectUri: 'http://127.0.0.1:5000/cb' }).signIn(), 'invalid_request');
  });

  it('signs in with the default in-memory storage, per client', async () => {
    const auth = createNanoGptAuth({ issuer: ISSUER + '/', redirectUri: 'http://127.0.0.1:5000/cb', fetch: fakeFetch(() => okKey()) });
    const url = new URL(await auth.createSignInUrl());
    const cb = `http://127.0.0.1:5000/cb?code=x&state=${url.searchParams.get('state')}`;
    expect(await auth.handleRedirectCallback(cb)).toEqual({ key: KEY, scope: 'models.read api.use' });
    expect(auth.getKey()).toBe(KEY);
    expect(createNanoGptAuth({ issuer: ISSUER }).getKey()).toBeNull();
  });

  it('refuses an issuer that would carry codes and keys over plain http (or is no URL)', () => {
    for (const issuer of ['http://nano.example', 'http://127.0.0.1.nip.io:4010', 'ftp://nano.example', 'nano-gpt.com', 'https://[']) {
      const error = throwsWith(() => createNanoGptAuth({ issuer }), 'invalid_request');
      expect(error.message, issuer).toMatch(/https/);
    }
    for (const issuer of ['https://nano.example', 'http://127.0.0.1:4010', 'http://localhost:4010/', 'http://[::1]:4010'])
      expect(createNanoGptAuth({ issuer }).getKey(), issuer).toBeNull();
  });

  it('defaults the issuer to https://nano-gpt.com', async () => {
    const url = new URL(await createNanoGptAuth({ redirectUri: 'http://127.0.0.1:5000/cb' }).createSignInUrl());
    expect(url.origin + url.pathname).toBe('https://nano-gpt.com/auth');
  });
});
