// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNanoGptAuth, memoryStorage, type NanoGptAuthOptions } from '../src/index.js';
import { fakeFetch, ISSUER, json, KEY, KEY2, okKey, rejectsWith } from './helpers.js';

const PAGE = 'http://localhost:3000/callback';
const NS = 'nanogpt-signin:';

const client = (o: NanoGptAuthOptions = {}) =>
  createNanoGptAuth({ issuer: ISSUER, redirectUri: PAGE, clientName: 'Test', fetch: fakeFetch(() => okKey()), ...o });

/** Starts a sign-in and returns its state and the approved callback URL. */
async function start(auth = client(), scope?: string) {
  const url = new URL(await auth.createSignInUrl(scope ? { scope } : undefined));
  const state = url.searchParams.get('state')!;
  return { auth, url, state, callback: `${PAGE}?code=c0de&state=${encodeURIComponent(state)}` };
}

const storedKeys = () => Object.keys(sessionStorage);

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/');
});
afterEach(() => vi.useRealTimers());

describe('sign-in URL and pending flow', () => {
  it('uses sessionStorage by default and stores the pending flow keyed by state', async () => {
    const t0 = Date.now();
    const { url, state } = await start();
    expect(url.origin + url.pathname).toBe(ISSUER + '/auth');
    expect(url.searchParams.get('callback_url')).toBe(PAGE);
    expect(url.searchParams.get('client_name')).toBe('Test');
    const pending = JSON.parse(sessionStorage.getItem(NS + 'p:' + state)!);
    expect(pending).toMatchObject({ state, redirectUri: PAGE, issuer: ISSUER, flow: 'shortcut' });
    expect(pending.codeVerifier).toMatch(/^[\w-]{43}$/);
    expect(pending.createdAt).toBeGreaterThanOrEqual(t0);
    expect(url.href).not.toContain(pending.codeVerifier);
    expect(JSON.parse(sessionStorage.getItem(NS + 'pending')!)).toEqual([state]);
    expect(localStorage.length).toBe(0);
  });

  it('defaults redirectUri to the current page without query and hash', async () => {
    history.replaceState(null, '', '/app/page?tab=2#x');
    const url = new URL(await createNanoGptAuth({ issuer: ISSUER }).createSignInUrl());
    expect(url.searchParams.get('callback_url')).toBe('http://localhost:3000/app/page');
    expect(url.searchParams.get('scope')).toBe('api.use models.read');
  });

  it('per-call scope and redirectUri override the options', async () => {
    const url = new URL(await client({ scope: 'api.use' }).createSignInUrl({ scope: 'api.use models.read', redirectUri: PAGE + '2' }));
    expect(url.searchParams.get('scope')).toBe('api.use models.read');
    expect(url.searchParams.get('callback_url')).toBe(PAGE + '2');
  });

  it('signIn navigates with location.assign', async () => {
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {});
    await client().signIn();
    expect(assign).toHaveBeenCalledOnce();
    expect(String(assign.mock.calls[0]![0])).toMatch(/^https:\/\/nano\.example\/auth\?/);
    assign.mockRestore();
  });
});

describe('handleRedirectCallback', () => {
  it('returns null when the URL holds no callback', async () => {
    await start();
    const auth = client();
    expect(await auth.handleRedirectCallback(PAGE)).toBeNull();
    expect(await auth.handleRedirectCallback(PAGE + '?page=2')).toBeNull();
    history.replaceState(null, '', '/callback');
    expect(await auth.handleRedirectCallback()).toBeNull();
  });

  it('returns null for a foreign code without state when nothing is pending', async () => {
    expect(await client().handleRedirectCallback(PAGE + '?code=abc')).toBeNull();
  });

  it('exchanges, stores key and scope in sessionStorage, fires onChange, removes the pending flow', async () => {
    const fetchStub = fakeFetch(() => okKey());
    const { auth, state, callback } = await start(client({ fetch: fetchStub }));
    const seen: Array<string | null> = [];
    auth.onChange((k) => seen.push(k));
    expect(await auth.handleRedirectCallback(callback)).toEqual({ key: KEY, scope: 'models.read api.use' });
    expect(JSON.parse(fetchStub.calls[0]!.init.body as string)).toMatchObject({ code: 'c0de' });
    expect(auth.getKey()).toBe(KEY);
    expect(auth.getScope()).toBe('models.read api.use');
    expect(auth.isSignedIn()).toBe(true);
    expect(seen).toEqual([KEY]);
    expect(sessionStorage.getItem(NS + 'p:' + state)).toBeNull();
    expect(sessionStorage.getItem(NS + 'pending')).toBeNull();
    expect(storedKeys()).toEqual([NS + 'key:' + ISSUER]);
    expect(localStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    // Another client on the same storage sees the session.
    expect(client().getKey()).toBe(KEY);
  });

  it('cleans code/state/iss/error params from the address bar, keeping others', async () => {
    const { auth, state } = await start();
    history.replaceState({ keep: 1 }, '', `/callback?tab=2&code=c0de&state=${state}&iss=${encodeURIComponent(ISSUER)}#frag`);
    await auth.handleRedirectCallback();
    expect(location.href).toBe('http://localhost:3000/callback?tab=2#frag');
    expect(history.state).toEqual({ keep: 1 });
  });

  it('cleans the address bar on failure too', async () => {
    const { auth, state } = await start();
    history.replaceState(null, '', `/callback?error=access_denied&error_description=no&error_uri=x&state=${state}`);
    await rejectsWith(auth.handleRedirectCallback(), 'access_denied');
    expect(location.href).toBe(PAGE);
  });

  it('cleans the address bar of a tampered or replayed callback it refuses', async () => {
    const { auth } = await start();
    history.replaceState(null, '', '/callback?code=c0de&state=forged');
    await rejectsWith(auth.handleRedirectCallback(), 'state_mismatch');
    expect(location.href).toBe(PAGE);

    sessionStorage.clear(); // nothing pending any more: a replay of an old callback
    history.replaceState(null, '', '/callback?code=c0de&state=old');
    await rejectsWith(auth.handleRedirectCallback(), 'no_pending_flow');
    expect(location.href).toBe(PAGE);
  });

  it('does not touch the address bar for an explicit URL that is not the current location', async () => {
    const { auth, callback } = await start();
    history.replaceState(null, '', '/other?code=mine');
    await auth.handleRedirectCallback(callback);
    expect(location.href).toBe('http://localhost:3000/other?code=mine');
  });

  it('double callback (StrictMode): one exchange, same result for concurrent and later calls', async () => {
    const fetchStub = fakeFetch(() => okKey());
    const { auth, callback } = await start(client({ fetch: fetchStub }));
    // A second client instance (component mounted twice) shares the in-flight result too.
    const [a, b, c] = await Promise.all([
      auth.handleRedirectCallback(callback),
      auth.handleRedirectCallback(callback),
      client({ fetch: fetchStub }).handleRedirectCallback(callback),
    ]);
    expect(a).toEqual({ key: KEY, scope: 'models.read api.use' });
    expect(b).toBe(a);
    expect(await auth.handleRedirectCallback(callback)).toBe(a);
    expect(c).toBe(a);
    expect(fetchStub).toHaveBeenCalledTimes(1);
  });

  it('forgets a settled exchange: a fresh client then gets no_pending_flow, with no second exchange', async () => {
    const fetchStub = fakeFetch(() => okKey());
    const { callback } = await start(client({ fetch: fetchStub }));
    expect(await client({ fetch: fetchStub }).handleRedirectCallback(callback)).toEqual({ key: KEY, scope: 'models.read api.use' });
    // No signOut, no reload: the page-wide in-flight entry left when the exchange settled.
    await rejectsWith(client({ fetch: fetchStub }).handleRedirectCallback(callback), 'no_pending_flow');
    history.replaceState(null, '', new URL(callback).pathname + new URL(callback).search);
    const reloaded = client({ fetch: fetchStub });
    await rejectsWith(reloaded.handleRedirectCallback(), 'no_pending_flow');
    expect(await reloaded.handleRedirectCallback()).toBeNull(); // the address bar was cleaned
    expect(fetchStub).toHaveBeenCalledTimes(1);
  });

  it("signOut of one client leaves another client's in-flight exchange shared", async () => {
    let answer!: (response: Response) => void;
    const slow = fakeFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const storageB = memoryStorage();
    const optionsB = { issuer: 'https://other.example', storage: storageB, fetch: slow };
    const { callback } = await start(client(optionsB));
    const first = client(optionsB).handleRedirectCallback(callback);
    client().signOut(); // client A: another issuer, the default storage
    const second = client(optionsB).handleRedirectCallback(callback);
    answer(okKey());
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual({ key: KEY, scope: 'models.read api.use' });
    expect(b).toBe(a);
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('double callback after a failure: same error, no second exchange', async () => {
    const fetchStub = fakeFetch(() => json({ error: 'invalid_grant' }, 400));
    const { auth, callback } = await start(client({ fetch: fetchStub }));
    const [a, b] = await Promise.allSettled([auth.handleRedirectCallback(callback), auth.handleRedirectCallback(callback)]);
    expect(a.status).toBe('rejected');
    expect(b).toEqual(a);
    await rejectsWith(auth.handleRedirectCallback(callback), 'invalid_grant');
    expect(fetchStub).toHaveBeenCalledTimes(1);
  });

  it('a callback whose flow was consumed elsewhere (reload in a new page) gives no_pending_flow, no exchange', async () => {
    const { callback, state } = await start();
    await client().handleRedirectCallback(callback);
    // A fresh page, or any other client: the settled exchange is remembered nowhere page-wide.
    const fetchStub = fakeFetch(() => okKey());
    const error = await rejectsWith(client({ fetch: fetchStub }).handleRedirectCallback(callback), 'no_pending_flow');
    expect(error.message).not.toContain(state);
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('two tabs/sign-ins sharing a storage do not clobber each other', async () => {
    const storage = memoryStorage();
    const fetchStub = fakeFetch(
      () => okKey(KEY),
      () => okKey(KEY2),
    );
    const one = await start(client({ storage, fetch: fetchStub }));
    const two = await start(client({ storage, fetch: fetchStub }));
    expect(one.state).not.toBe(two.state);
    expect(JSON.parse(storage.getItem(NS + 'pending')!)).toEqual([one.state, two.state]);
    expect((await two.auth.handleRedirectCallback(two.callback))!.key).toBe(KEY);
    expect(JSON.parse(storage.getItem(NS + 'pending')!)).toEqual([one.state]);
    expect((await one.auth.handleRedirectCallback(one.callback))!.key).toBe(KEY2);
    expect(JSON.parse(fetchStub.calls[0]!.init.body as string).code_verifier).not.toBe(JSON.parse(fetchStub.calls[1]!.init.body as string).code_verifier);
    expect(storage.getItem(NS + 'pending')).toBeNull();
  });

  it('each exchange uses the verifier of its own pending flow', async () => {
    const fetchStub = fakeFetch(() => okKey());
    const { auth, callback, state } = await start(client({ fetch: fetchStub }));
    const verifier = JSON.parse(sessionStorage.getItem(NS + 'p:' + state)!).codeVerifier;
    await auth.handleRedirectCallback(callback);
    expect(JSON.parse(fetchStub.calls[0]!.init.body as string).code_verifier).toBe(verifier);
  });

  it('expires pending flows after 10 minutes (flow_expired) and removes them', async () => {
    let now = 1_000_000;
    const fetchStub = fakeFetch(() => okKey());
    const { auth, callback, state } = await start(client({ now: () => now, fetch: fetchStub }));
    now += 10 * 60_000;
    await rejectsWith(auth.handleRedirectCallback(callback), 'flow_expired');
    expect(sessionStorage.getItem(NS + 'p:' + state)).toBeNull();
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('accepts a callback just under 10 minutes (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { auth, callback } = await start();
    vi.advanceTimersByTime(10 * 60_000 - 1);
    expect((await auth.handleRedirectCallback(callback))!.key).toBe(KEY);
  });

  it('prunes abandoned (expired) pending flows when a new sign-in starts', async () => {
    let now = 0;
    const auth = client({ now: () => now });
    const old = await start(auth);
    now += 11 * 60_000;
    const fresh = await start(auth);
    expect(sessionStorage.getItem(NS + 'p:' + old.state)).toBeNull();
    expect(JSON.parse(sessionStorage.getItem(NS + 'pending')!)).toEqual([fresh.state]);
  });

  it('tampered state while a sign-in is pending: state_mismatch, no exchange, pending flow kept', async () => {
    const fetchStub = fakeFetch(() => okKey());
    const { auth, state } = await start(client({ fetch: fetchStub }));
    await rejectsWith(auth.handleRedirectCallback(`${PAGE}?code=c0de&state=forged`), 'state_mismatch');
    await rejectsWith(auth.handleRedirectCallback(`${PAGE}?code=c0de`), 'state_mismatch');
    expect(fetchStub).not.toHaveBeenCalled();
    expect(sessionStorage.getItem(NS + 'p:' + state)).not.toBeNull();
  });

  it('access_denied and other error parameters map to codes; the flow is removed', async () => {
    for (const [error, code] of [
      ['access_denied', 'access_denied'],
      ['invalid_scope', 'invalid_scope'],
      ['invalid_request', 'invalid_request'],
      ['server_error', 'server_error'],
      ['temporarily_unavailable', 'server_error'],
    ] as const) {
      const { auth, state } = await start();
      await rejectsWith(auth.handleRedirectCallback(`${PAGE}?error=${error}&state=${state}`), code);
      expect(sessionStorage.getItem(NS + 'p:' + state)).toBeNull();
    }
  });

  it('returning with state but neither code nor error gives missing_code', async () => {
    const { auth, state } = await start();
    const error = await rejectsWith(auth.handleRedirectCallback(`${PAGE}?state=${state}`), 'missing_code');
    expect(error.message).toMatch(/without a code/);
    expect(sessionStorage.getItem(NS + 'p:' + state)).toBeNull();
  });

  it('checks iss when present', async () => {
    const ok = await start();
    expect(await ok.auth.handleRedirectCallback(`${ok.callback}&iss=${encodeURIComponent(ISSUER)}`)).not.toBeNull();
    const bad = await start();
    const fetchStub = fakeFetch(() => okKey());
    await rejectsWith(client({ fetch: fetchStub }).handleRedirectCallback(`${bad.callback}&iss=https%3A%2F%2Fevil.example`), 'issuer_mismatch');
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('exchange errors propagate with their code and are not retried', async () => {
    const fetchStub = fakeFetch(() => json({ key: 'nope', scope: 'api.use' }));
    const { auth, callback } = await start(client({ fetch: fetchStub }));
    const error = await rejectsWith(auth.handleRedirectCallback(callback), 'invalid_token_response');
    expect(error.message).not.toContain('c0de');
    expect(auth.isSignedIn()).toBe(false);
    expect(fetchStub).toHaveBeenCalledTimes(1);
  });

  it('leaves a callback of another issuer alone (returns null)', async () => {
    const { callback, state } = await start();
    expect(await client({ issuer: 'https://other.example' }).handleRedirectCallback(callback)).toBeNull();
    expect(sessionStorage.getItem(NS + 'p:' + state)).not.toBeNull();
  });
});

describe('session', () => {
  it('signOut clears the key and fires onChange; unsubscribe stops events', async () => {
    const { auth, callback } = await start();
    const seen: Array<string | null> = [];
    const off = auth.onChange((k) => seen.push(k));
    await auth.handleRedirectCallback(callback);
    auth.signOut();
    expect(auth.getKey()).toBeNull();
    expect(auth.getScope()).toBeNull();
    expect(auth.isSignedIn()).toBe(false);
    off();
    const again = await start(auth);
    await auth.handleRedirectCallback(again.callback);
    expect(seen).toEqual([KEY, null]);
  });

  it('ignores a corrupt or non-NanoGPT stored session', () => {
    sessionStorage.setItem(NS + 'key:' + ISSUER, '{not json');
    expect(client().getKey()).toBeNull();
    sessionStorage.setItem(NS + 'key:' + ISSUER, JSON.stringify({ key: 'abc', scope: 'x' }));
    expect(client().isSignedIn()).toBe(false);
  });
});

describe('fetch', () => {
  async function signedIn(...api: Parameters<typeof fakeFetch>) {
    const fetchStub = fakeFetch(() => okKey(), ...api);
    const { auth, callback } = await start(client({ fetch: fetchStub }));
    await auth.handleRedirectCallback(callback);
    return { auth, fetchStub };
  }

  it('refuses when not signed in', async () => {
    await rejectsWith(client().fetch('/api/v1/models'), 'not_signed_in');
  });

  it('resolves relative paths against the issuer and sends the Bearer key', async () => {
    const { auth, fetchStub } = await signedIn(() => json({ data: [] }));
    const res = await auth.fetch('/api/v1/models', { headers: { 'x-title': 't' } });
    expect(res.status).toBe(200);
    const { url, init } = fetchStub.calls[1]!;
    expect(url).toBe(ISSUER + '/api/v1/models');
    const h = new Headers(init.headers);
    expect(h.get('authorization')).toBe('Bearer ' + KEY);
    expect(h.get('x-title')).toBe('t');
    await auth.fetch(new URL(ISSUER + '/api/v1/chat/completions'), { method: 'POST' });
    expect(fetchStub.calls[2]!.init.method).toBe('POST');
  });

  it('refuses to send the key to another origin', async () => {
    const { auth, fetchStub } = await signedIn(() => json({}));
    for (const u of ['https://evil.example/api/v1/models', '//evil.example/x', 'http://nano.example/api/v1/models']) {
      const error = await rejectsWith(auth.fetch(u), 'invalid_request');
      expect(error.message).not.toContain(KEY);
    }
    expect(fetchStub).toHaveBeenCalledTimes(1);
  });

  it('401 clears the key, fires onChange and throws session_expired', async () => {
    const { auth } = await signedIn(() => json({ error: 'invalid_api_key' }, 401));
    const seen: Array<string | null> = [];
    auth.onChange((k) => seen.push(k));
    const error = await rejectsWith(auth.fetch('/api/v1/models'), 'session_expired');
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(KEY);
    expect(auth.getKey()).toBeNull();
    expect(seen).toEqual([null]);
  });

  it('403 api_key_origin_not_allowed throws origin_not_allowed; other 403s are returned', async () => {
    const { auth } = await signedIn(
      () => json({ error: 'api_key_origin_not_allowed', error_description: 'x' }, 403),
      () => json({ error: 'forbidden' }, 403),
    );
    expect((await rejectsWith(auth.fetch('/api/v1/models'), 'origin_not_allowed')).status).toBe(403);
    const res = await auth.fetch('/api/v1/models');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden' });
    expect(auth.isSignedIn()).toBe(true);
  });

  it('429 throws rate_limited with retryAfter', async () => {
    const { auth } = await signedIn(() => json({ error: 'rate_limited' }, 429, { 'Retry-After': '2' }));
    const error = await rejectsWith(auth.fetch('/api/v1/models'), 'rate_limited');
    expect(error.retryAfter).toBe(2);
    expect(auth.isSignedIn()).toBe(true);
  });

  it('network failure throws network_error; other statuses are returned', async () => {
    const { auth } = await signedIn(
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => json({ error: 'boom' }, 500),
    );
    await rejectsWith(auth.fetch('/api/v1/models'), 'network_error');
    expect((await auth.fetch('/api/v1/models')).status).toBe(500);
  });
});
