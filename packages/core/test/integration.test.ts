// Integration: the built package (dist) in Node against the real mock NanoGPT server.
import { followConsent, startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createNanoGptAuth,
  createPkcePair,
  createState,
  exchangeShortcutCode,
  isNanoGptKey,
  maskKey,
  memoryStorage,
  readCallback,
  shortcutFlow,
  type Flow,
  type NanoGptAuth,
  type StorageLike,
} from '../dist/index.js';
import { standardFlow } from '../dist/standard.js';
import { rejectsWith } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:5173/callback';
let mock: MockServer;

const counters = () => mock.controls.counters();

/** A fetch that records the paths it was asked for. */
function recordingFetch() {
  const paths: string[] = [];
  const recording: typeof fetch = (input, init) => {
    paths.push(new URL(String(input)).pathname);
    return fetch(input, init);
  };
  return { recording, paths };
}

/** Registers a client for REDIRECT the way a developer pre-registers one (RFC 7591). */
async function registerAtMock(clientName: string): Promise<string> {
  const res = await fetch(mock.url + '/oauth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: clientName, redirect_uris: [REDIRECT] }),
  });
  return ((await res.json()) as { client_id: string }).client_id;
}

beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.controls.reset());

for (const flowName of ['shortcut', 'standard'] as const) {
  describe(`${flowName} flow against the mock`, () => {
    let storage: StorageLike;
    const client = (o = {}): NanoGptAuth =>
      createNanoGptAuth({
        issuer: mock.url,
        redirectUri: REDIRECT,
        clientName: 'Core integration',
        storage,
        flow: flowName === 'standard' ? standardFlow : undefined,
        ...o,
      });
    beforeEach(() => {
      storage = memoryStorage();
    });

    it('signs in end to end and the key works against /api/v1/models', async () => {
      const auth = client();
      const url = await auth.createSignInUrl();
      expect(new URL(url).pathname).toBe(flowName === 'standard' ? '/oauth/authorize' : '/auth');
      const location = await followConsent(url);
      expect(new URL(location).searchParams.has('code')).toBe(true);
      const changes: Array<string | null> = [];
      auth.onChange((k) => changes.push(k));
      const result = await auth.handleRedirectCallback(location);
      expect(result).not.toBeNull();
      expect(isNanoGptKey(result!.key)).toBe(true);
      expect(result!.key).toMatch(/^sk-nano-/);
      expect(maskKey(result!.key)).toBe('sk-nano-…' + result!.key.slice(-4));
      expect(result!.scope).toBe('models.read api.use');
      expect(auth.getKey()).toBe(result!.key);
      expect(changes).toEqual([result!.key]);
      const res = await auth.fetch('/api/v1/models');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { object: string; data: unknown[] };
      expect(body.object).toBe('list');
      expect(body.data.length).toBeGreaterThan(0);
      const inspect = await mock.controls.inspectKey(result!.key);
      expect(inspect.name).toBe('OAuth: Core integration');
      expect((await counters()).tokenRequests).toBe(1);
    });

    it('deny -> access_denied, nothing stored', async () => {
      const auth = client();
      const location = await followConsent(await auth.createSignInUrl(), { decision: 'deny' });
      await rejectsWith(auth.handleRedirectCallback(location), 'access_denied');
      expect(auth.isSignedIn()).toBe(false);
      expect((await counters()).tokenRequests).toBe(0);
    });

    it('double and replayed callbacks exchange once; a fresh client gets no_pending_flow', async () => {
      const auth = client();
      const location = await followConsent(await auth.createSignInUrl());
      const [a, b] = await Promise.all([auth.handleRedirectCallback(location), auth.handleRedirectCallback(location)]);
      expect(b).toBe(a);
      expect(await auth.handleRedirectCallback(location)).toBe(a);
      auth.signOut(); // also forgets this client's earlier answer; a fresh client never had it
      await rejectsWith(client().handleRedirectCallback(location), 'no_pending_flow');
      expect((await counters()).tokenRequests).toBe(1);
    });

    it('tampered state -> state_mismatch without an exchange; the genuine callback still works', async () => {
      const auth = client();
      const location = new URL(await followConsent(await auth.createSignInUrl()));
      const forged = new URL(location);
      forged.searchParams.set('state', 'forged-state');
      await rejectsWith(auth.handleRedirectCallback(forged.href), 'state_mismatch');
      expect((await counters()).tokenRequests).toBe(0);
      expect(await auth.handleRedirectCallback(location.href)).not.toBeNull();
    });

    it('an expired authorization code -> invalid_grant', async () => {
      const auth = client();
      const location = await followConsent(await auth.createSignInUrl());
      await mock.controls.advanceClock(120);
      const error = await rejectsWith(auth.handleRedirectCallback(location), 'invalid_grant');
      expect(error.status).toBe(400);
      expect(error.message).not.toContain(new URL(location).searchParams.get('code')!);
    });

    it('a scope without api.use -> invalid_scope', async () => {
      const auth = client();
      const url = await auth.createSignInUrl({ scope: 'models.read' });
      const location = await followConsent(url);
      await rejectsWith(auth.handleRedirectCallback(location), 'invalid_scope');
    });

    it('revoked key -> session_expired, key dropped, onChange(null)', async () => {
      const auth = client();
      const { key } = (await auth.handleRedirectCallback(await followConsent(await auth.createSignInUrl())))!;
      await mock.controls.revokeKey(key);
      const changes: Array<string | null> = [];
      auth.onChange((k) => changes.push(k));
      // /api/v1/models is public (spec v2 §2): an authenticated endpoint tells that the key is dead.
      const error = await rejectsWith(auth.fetch('/api/v1/usage'), 'session_expired');
      expect(error.status).toBe(401);
      expect(auth.getKey()).toBeNull();
      expect(changes).toEqual([null]);
      await rejectsWith(auth.fetch('/api/v1/usage'), 'not_signed_in');
    });

    it('rate limit -> rate_limited with retryAfter', async () => {
      const auth = client();
      await auth.handleRedirectCallback(await followConsent(await auth.createSignInUrl()));
      await mock.controls.setRateLimit(0);
      const error = await rejectsWith(auth.fetch('/api/v1/usage'), 'rate_limited');
      expect(error.status).toBe(429);
      expect(typeof error.retryAfter).toBe('number');
      expect(auth.isSignedIn()).toBe(true);
    });

    it('origin binding: loopback origins of the callback port pass, others -> origin_not_allowed', async () => {
      const auth = client();
      await auth.handleRedirectCallback(await followConsent(await auth.createSignInUrl()));
      for (const origin of ['http://127.0.0.1:5173', 'http://localhost:5173'])
        expect((await auth.fetch('/api/v1/usage', { headers: { origin } })).status).toBe(200);
      for (const origin of ['https://evil.example', 'http://127.0.0.1:9999'])
        expect((await rejectsWith(auth.fetch('/api/v1/usage', { headers: { origin } }), 'origin_not_allowed')).status).toBe(403);
      expect(auth.isSignedIn()).toBe(true);
    });

    it('refuses to send the key to another origin', async () => {
      const auth = client();
      await auth.handleRedirectCallback(await followConsent(await auth.createSignInUrl()));
      await rejectsWith(auth.fetch('http://127.0.0.1:1/api/v1/models'), 'invalid_request');
    });
  });
}

describe('shortcut low level against the mock', () => {
  it('a replayed code is refused with invalid_grant', async () => {
    const storage = memoryStorage();
    const auth = createNanoGptAuth({ issuer: mock.url, redirectUri: REDIRECT, storage });
    const url = new URL(await auth.createSignInUrl());
    const state = url.searchParams.get('state')!;
    const { codeVerifier } = JSON.parse(storage.getItem('nanogpt-signin:p:' + state)!) as { codeVerifier: string };
    const code = new URL(await followConsent(url.href)).searchParams.get('code')!;
    const first = await exchangeShortcutCode({ issuer: mock.url, code, codeVerifier });
    expect(isNanoGptKey(first.key)).toBe(true);
    expect(first.userId).toEqual(expect.any(String));
    await rejectsWith(exchangeShortcutCode({ issuer: mock.url, code, codeVerifier }), 'invalid_grant');
  });

  it('a wrong verifier is refused with invalid_grant', async () => {
    const auth = createNanoGptAuth({ issuer: mock.url, redirectUri: REDIRECT, storage: memoryStorage() });
    const code = new URL(await followConsent(await auth.createSignInUrl())).searchParams.get('code')!;
    await rejectsWith(exchangeShortcutCode({ issuer: mock.url, code, codeVerifier: 'x'.repeat(43) }), 'invalid_grant');
  });

  it('network failure -> network_error', async () => {
    await rejectsWith(exchangeShortcutCode({ issuer: 'http://127.0.0.1:1', code: 'c', codeVerifier: 'v'.repeat(43) }), 'network_error');
  });
});

describe('standard flow specifics against the mock', () => {
  it('registers once per issuer + redirect URI, then reuses the cached client_id and metadata', async () => {
    const storage = memoryStorage();
    const { recording, paths } = recordingFetch();
    const auth = createNanoGptAuth({ issuer: mock.url, redirectUri: REDIRECT, storage, flow: standardFlow, clientName: 'Std', fetch: recording });
    const u1 = new URL(await auth.createSignInUrl());
    await auth.handleRedirectCallback(await followConsent(u1.href));
    const u2 = new URL(await auth.createSignInUrl());
    expect(u2.searchParams.get('client_id')).toBe(u1.searchParams.get('client_id'));
    expect(u1.searchParams.get('client_id')).toMatch(/^ngpt_/);
    expect(paths.filter((path) => path === '/oauth/register')).toHaveLength(1);
    expect(paths.filter((path) => path.startsWith('/.well-known/'))).toHaveLength(1);
    expect(paths.filter((path) => path === '/oauth/token')).toHaveLength(1);
  });

  it('uses a given clientId without registering', async () => {
    const client_id = await registerAtMock('Pre');
    const { recording, paths } = recordingFetch();
    const auth = createNanoGptAuth({ issuer: mock.url, redirectUri: REDIRECT, storage: memoryStorage(), flow: standardFlow, clientId: client_id, fetch: recording });
    const result = await auth.handleRedirectCallback(await followConsent(await auth.createSignInUrl()));
    expect(isNanoGptKey(result!.key)).toBe(true);
    expect(paths).not.toContain('/oauth/register');
  });
});

// How node's loopback sign-in drives a flow: no createNanoGptAuth, its own state check, memory storage.
describe('flows driven directly (the way a loopback sign-in uses them)', () => {
  async function signInWith(flow: Flow, clientId?: string) {
    const storage = memoryStorage();
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const state = createState();
    const common = { issuer: mock.url, redirectUri: REDIRECT, storage };
    const { url, clientId: usedClientId } = await flow.authorize({
      ...common,
      scope: 'api.use models.read',
      state,
      codeChallenge,
      clientName: 'Loopback',
      clientId,
    });
    const callbackUrl = new URL(await followConsent(url.href));
    expect(callbackUrl.searchParams.get('state')).toBe(state);
    const code = readCallback(callbackUrl, { issuer: mock.url });
    const result = await flow.exchange({ ...common, callbackUrl, code, state, codeVerifier, clientId: usedClientId });
    return { result, usedClientId };
  }

  it('shortcutFlow with a memoryStorage', async () => {
    const { result, usedClientId } = await signInWith(shortcutFlow);
    expect(isNanoGptKey(result.key)).toBe(true);
    expect(result).toEqual({ key: result.key, scope: 'models.read api.use' });
    expect(usedClientId).toBeUndefined();
  });

  it('standardFlow with a memoryStorage and a client pre-registered for the exact redirect URI', async () => {
    const clientId = await registerAtMock('Pre');
    const { result, usedClientId } = await signInWith(standardFlow, clientId);
    expect(isNanoGptKey(result.key)).toBe(true);
    expect(usedClientId).toBe(clientId);
    expect((await counters()).tokenRequests).toBe(1);
  });
});
