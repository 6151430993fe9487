// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createNanoGptAuth, memoryStorage, tabSync, type AuthState, type NanoGptAuthOptions } from '../src/index.js';
import { handlePopupCallback, signInWithPopup } from '../src/popup.js';
import { fakeFetch, ISSUER, json, KEY, KEY2, okKey, rejectsWith } from './helpers.js';

const PAGE = 'http://localhost:3000/';
const client = (o: NanoGptAuthOptions = {}) =>
  createNanoGptAuth({ issuer: ISSUER, redirectUri: PAGE, fetch: fakeFetch(() => okKey()), ...o });

async function callbackOf(auth = client()) {
  const state = new URL(await auth.createSignInUrl()).searchParams.get('state')!;
  return `${PAGE}?code=c0de&state=${encodeURIComponent(state)}`;
}

beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

describe('getState / subscribe', () => {
  it('subscribe delivers the current state at once, then each new one; the snapshot is stable', async () => {
    const auth = client();
    const seen: AuthState[] = [];
    const unsubscribe = auth.subscribe((state) => seen.push(state));
    expect(seen).toEqual([{ status: 'signed-out', key: null, scope: null, error: null }]);
    expect(auth.getState()).toBe(auth.getState());
    await auth.handleRedirectCallback(await callbackOf(auth));
    expect(seen[1]).toMatchObject({ status: 'signing-in', key: null });
    expect(new Set(seen).size).toBe(seen.length); // each delivery is a new state
    expect(seen.at(-1)).toEqual({ status: 'signed-in', key: KEY, scope: 'models.read api.use', error: null });
    expect(auth.getState()).toBe(seen.at(-1));
    auth.signOut();
    expect(seen.at(-1)!.status).toBe('signed-out');
    unsubscribe();
    const delivered = seen.length;
    await auth.handleRedirectCallback(await callbackOf(auth));
    expect(seen).toHaveLength(delivered);
  });

  it('a subscriber registered after sign-in sees it at once (the Quick start order problem)', async () => {
    const auth = client();
    await auth.handleRedirectCallback(await callbackOf(auth));
    const listener = vi.fn();
    auth.subscribe(listener);
    expect(listener).toHaveBeenCalledWith(expect.objectContaining({ status: 'signed-in', key: KEY }));
  });

  it('getState sees a key another client of the same storage stored', async () => {
    const storage = memoryStorage();
    const first = client({ storage });
    const before = first.getState();
    const other = client({ storage });
    await other.handleRedirectCallback(await callbackOf(other));
    expect(first.getState()).not.toBe(before);
    expect(first.getState().key).toBe(KEY);
  });
});

describe('init', () => {
  it('resolves the signed-out state on a page that is no callback', async () => {
    expect(await client().init()).toMatchObject({ status: 'signed-out', error: null });
  });

  it('finishes a sign-in from the address bar and cleans it', async () => {
    const auth = client();
    history.replaceState(null, '', await callbackOf(auth));
    expect(await auth.init()).toMatchObject({ status: 'signed-in', key: KEY });
    expect(location.search).toBe('');
  });

  it('never rejects: a denied sign-in is state.error, and signing in again clears it', async () => {
    const auth = client();
    const state = new URL(await auth.createSignInUrl()).searchParams.get('state')!;
    history.replaceState(null, '', `/?error=access_denied&state=${state}`);
    const denied = await auth.init();
    expect(denied).toMatchObject({ status: 'signed-out' });
    expect(denied.error).toMatchObject({ name: 'NanoGptAuthError', code: 'access_denied' });
    expect(location.search).toBe('');
    await auth.handleRedirectCallback(await callbackOf(auth));
    expect(auth.getState()).toMatchObject({ status: 'signed-in', error: null });
  });

  it('handleRedirectCallback still rejects, and records the failure in the state', async () => {
    const auth = client();
    await rejectsWith(auth.handleRedirectCallback(`${PAGE}?code=c0de&state=forged`), 'no_pending_flow');
    expect(auth.getState().error?.code).toBe('no_pending_flow');
  });

  it('exchanges once however often init runs (React StrictMode runs effects twice), also across clients', async () => {
    const fetchStub = fakeFetch(() => okKey());
    const auth = client({ fetch: fetchStub });
    history.replaceState(null, '', await callbackOf(auth));
    const states = await Promise.all([auth.init(), auth.init(), client({ fetch: fetchStub }).init()]);
    expect(states.map((state) => state.key)).toEqual([KEY, KEY, KEY]);
    expect(await auth.init()).toMatchObject({ key: KEY });
    expect(fetchStub).toHaveBeenCalledOnce();
  });
});

describe('popup callbacks', () => {
  it('a popup sign-in state is never exchanged by the popup page itself', async () => {
    const fetchStub = fakeFetch(() => okKey());
    history.replaceState(null, '', '/?code=c0de&state=popup.abc');
    expect(await client({ fetch: fetchStub }).init()).toMatchObject({ status: 'signed-out', error: null });
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it('signInWithPopup rejects popup_blocked when no window opens', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await rejectsWith(signInWithPopup(client()), 'popup_blocked');
    open.mockRestore();
  });

  /** A popup window that a cross-origin-opener-policy has severed: `closed` reads true while it is open. */
  const severedPopup = () => ({ closed: true, close: vi.fn(), location: { href: '' } }) as unknown as Window;
  /** Answers the popup sign-in the way its callback page does: the callback URL on the state's channel. */
  const answerFromPopup = (popup: Window, code: string) =>
    vi.waitFor(() => {
      const state = new URL(popup.location.href).searchParams.get('state');
      if (!state) throw new Error('the popup has not been sent to NanoGPT yet');
      const channel = new BroadcastChannel('nanogpt-signin:popup:' + state);
      channel.postMessage(`${PAGE}?code=${code}&state=${encodeURIComponent(state)}`);
      channel.close();
    });

  it('a popup severed by a cross-origin-opener-policy is not taken for closed while it has the focus', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const popup = severedPopup();
    const open = vi.spyOn(window, 'open').mockReturnValue(popup);
    const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const auth = client();
    const signingIn = signInWithPopup(auth);
    vi.advanceTimersByTime(5000); // many looks at a popup whose `closed` reads true
    await answerFromPopup(popup, 'c0de');
    expect(await signingIn).toEqual({ key: KEY, scope: 'models.read api.use' });
    expect(auth.getKey()).toBe(KEY);
    vi.useRealTimers();
    open.mockRestore();
    hasFocus.mockRestore();
  });

  it('a closed popup is reported as popup_closed once this page has the focus back', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const open = vi.spyOn(window, 'open').mockReturnValue(severedPopup());
    const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const signingIn = signInWithPopup(client());
    vi.advanceTimersByTime(1000);
    await rejectsWith(signingIn, 'popup_closed');
    vi.useRealTimers();
    open.mockRestore();
    hasFocus.mockRestore();
  });

  it('handlePopupCallback does nothing on a page that is no popup callback', () => {
    history.replaceState(null, '', '/?code=c0de&state=plain');
    expect(handlePopupCallback()).toBe(false);
    expect(location.search).toBe('?code=c0de&state=plain');
  });
});

describe('tabSync', () => {
  // Two clients with their own storage in one process: two tabs on one BroadcastChannel.
  const tab = (options: Parameters<typeof tabSync>[0] = {}, fetchStub = fakeFetch(() => okKey())) =>
    client({ storage: memoryStorage(), tabs: tabSync(options), fetch: fetchStub });
  const nextState = (auth: ReturnType<typeof client>, status: AuthState['status']) =>
    new Promise<AuthState>((resolve) => {
      const unsubscribe = auth.subscribe((state) => state.status === status && (resolve(state), queueMicrotask(unsubscribe)));
    });

  it('signing out in one tab signs the others out', async () => {
    const one = tab();
    const two = tab({}, fakeFetch(() => okKey(KEY2)));
    await one.handleRedirectCallback(await callbackOf(one));
    await two.handleRedirectCallback(await callbackOf(two));
    const signedOut = nextState(two, 'signed-out');
    one.signOut();
    await signedOut;
    expect(two.getKey()).toBeNull();
  });

  it('shareAcrossTabs: a new tab gets the key of an open signed-in tab; without it, it stays signed out', async () => {
    const one = tab({ shareAcrossTabs: true });
    await one.handleRedirectCallback(await callbackOf(one));
    const alone = tab();
    const shared = tab({ shareAcrossTabs: true });
    expect((await nextState(shared, 'signed-in')).key).toBe(KEY);
    expect(alone.getKey()).toBeNull();
  });

  it('a 401 in one tab also signs out the others', async () => {
    const one = tab({}, fakeFetch(() => okKey(), () => json({ error: 'invalid_api_key' }, 401)));
    const two = tab();
    await one.handleRedirectCallback(await callbackOf(one));
    await two.handleRedirectCallback(await callbackOf(two));
    const signedOut = nextState(two, 'signed-out');
    await rejectsWith(one.fetch('/api/v1/models'), 'session_expired');
    await signedOut;
  });
});
