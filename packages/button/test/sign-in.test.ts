// Signing in and out with the element, redirect mode, against the real mock NanoGPT server.
import { createNanoGptAuth, maskKey, memoryStorage } from '@nanogpt-signin/core';
import { startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NanoGptSigninButton, SignInEventDetail } from '../src/index.js';
import { APP_PAGE, captureNavigation, connected, consent, controlsOf, loadPage, MASKED_KEY, nextEvent, parts, recordEvents } from './helpers.js';

let mock: MockServer;
let attributes: Record<string, string>;

beforeAll(async () => {
  mock = await startMockServer();
  attributes = { issuer: mock.url, 'client-name': 'Button test' };
});
afterAll(() => mock.close());
beforeEach(async () => {
  sessionStorage.clear();
  await controlsOf(mock.url).reset();
});
afterEach(() => vi.restoreAllMocks());

/** Clicks "Sign in with NanoGPT" on `element`, approves on NanoGPT, and returns the element of the page NanoGPT sends the user back to. */
async function signInThroughTheButton(element: NanoGptSigninButton, pageAttributes = attributes): Promise<{ page: NanoGptSigninButton; detail: SignInEventDetail; events: ReturnType<typeof recordEvents> }> {
  const navigation = captureNavigation();
  const navigated = navigation.next();
  parts(element).button.click();
  const callback = await consent(await navigated);
  const page = loadPage(callback, pageAttributes);
  const events = recordEvents(page);
  const { detail } = await nextEvent<SignInEventDetail>(page, 'nanogpt-signin');
  return { page, detail, events };
}

describe('signed out', () => {
  it('shows the NanoGPT mark and "Sign in with NanoGPT", not busy, no key, no sign-out, no event', async () => {
    const element = loadPage(APP_PAGE, attributes);
    const events = recordEvents(element);
    await connected(element);
    const { button, label, key, signOut, message, status } = parts(element);
    expect(label.textContent).toBe('Sign in with NanoGPT');
    expect(button.querySelector('[part=mark]')).not.toBeNull();
    expect(button.hidden).toBe(false);
    expect(button.getAttribute('aria-busy')).toBe('false');
    expect(button.getAttribute('aria-disabled')).toBe('false');
    expect([key.hidden, signOut.hidden, message.hidden]).toEqual([true, true, true]);
    expect(status.textContent).toBe('');
    expect(events).toEqual([]);
  });
});

describe('working', () => {
  it('a click starts one sign-in: "Signing in…", aria-busy and aria-disabled until the page has gone to NanoGPT; more clicks do nothing', async () => {
    const element = loadPage(APP_PAGE, attributes);
    await connected(element);
    const navigation = captureNavigation();
    const navigated = navigation.next();
    const { button, label, status } = parts(element);
    button.click();
    // At once, before the sign-in URL is even made.
    expect(label.textContent).toBe('Signing in…');
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(status.textContent).toBe('Signing in…');
    const url = new URL(await navigated);
    expect(url.origin + url.pathname).toBe(mock.url + '/auth');
    // Still busy while the browser leaves for NanoGPT; a second click starts nothing.
    button.click();
    await element.signIn();
    expect(label.textContent).toBe('Signing in…');
    expect(navigation.urls).toHaveLength(1);
  });
});

describe('signed in', () => {
  it('after approving: the masked key and "Sign out", nanogpt-signin with scope and masked key, the code exchanged once', async () => {
    const { page, detail, events } = await signInThroughTheButton(loadPage(APP_PAGE, attributes));
    const key = page.auth.getKey() as string;
    expect(key).toMatch(/^sk-nano-/);
    expect(detail).toEqual({ scope: 'models.read api.use', maskedKey: maskKey(key) });
    expect(detail.maskedKey).toMatch(MASKED_KEY);
    expect(detail.maskedKey.endsWith(key.slice(-4))).toBe(true);
    expect(events).toEqual([{ type: 'nanogpt-signin', detail, bubbles: true, composed: true, cancelable: false }]);

    const { button, key: keyPart, signOut, status } = parts(page);
    expect(button.hidden).toBe(true);
    expect(keyPart.hidden).toBe(false);
    expect(keyPart.textContent).toBe(maskKey(key));
    expect(signOut.hidden).toBe(false);
    expect(signOut.textContent).toBe('Sign out');
    expect(status.textContent).toBe(`Signed in as ${maskKey(key)}`);
    // The callback's code and state are gone from the address bar.
    expect(location.href).toBe(APP_PAGE);
    expect(await controlsOf(mock.url).counters()).toMatchObject({ codesRedeemed: 1, keysMinted: 1 });
  });

  it('a later page load of the signed-in tab restores the session and says so with nanogpt-signin', async () => {
    const { page: first } = await signInThroughTheButton(loadPage(APP_PAGE, attributes));
    const key = first.auth.getKey() as string;
    const reloaded = loadPage(APP_PAGE, attributes);
    const { detail } = await nextEvent<SignInEventDetail>(reloaded, 'nanogpt-signin');
    expect(detail).toEqual({ scope: 'models.read api.use', maskedKey: maskKey(key) });
    expect(parts(reloaded).key.textContent).toBe(maskKey(key));
  });

  it('"Sign out" forgets the key, dispatches nanogpt-signout and shows "Sign in with NanoGPT" again', async () => {
    const { page, events } = await signInThroughTheButton(loadPage(APP_PAGE, attributes));
    const signedOut = nextEvent<null>(page, 'nanogpt-signout');
    parts(page).signOut.click();
    expect((await signedOut).detail).toBeNull();
    expect(events.map((event) => event.type)).toEqual(['nanogpt-signin', 'nanogpt-signout']);
    expect(events[1]).toMatchObject({ bubbles: true, composed: true });
    expect(page.auth.getKey()).toBeNull();
    const { button, label, key, signOut, status } = parts(page);
    expect(button.hidden).toBe(false);
    expect(label.textContent).toBe('Sign in with NanoGPT');
    expect([key.hidden, signOut.hidden]).toEqual([true, true]);
    expect(key.textContent).toBe('');
    expect(status.textContent).toBe('');
  });
});

describe('the key', () => {
  it('never appears in an attribute, an event, the light DOM or the shadow DOM; element.auth has it', async () => {
    const details: unknown[] = [];
    for (const type of ['nanogpt-signin', 'nanogpt-signout', 'nanogpt-error'])
      document.addEventListener(type, (event) => details.push((event as CustomEvent).detail));
    const { page } = await signInThroughTheButton(loadPage(APP_PAGE, attributes));
    const key = page.auth.getKey() as string;
    expect(key).toMatch(/^sk-nano-[0-9a-f-]{36}$/);
    const secret = key.slice('sk-nano-'.length);
    const everyAttribute = [page, ...page.shadowRoot!.querySelectorAll('*')].flatMap((node) => [...node.attributes].map((attribute) => attribute.value));
    const shadow = page.shadowRoot!;
    const seen = [
      document.documentElement.outerHTML,
      document.documentElement.textContent,
      shadow.innerHTML,
      shadow.textContent,
      ...everyAttribute,
      JSON.stringify(details),
    ].join('\n');
    expect(details).toHaveLength(1);
    expect(seen).toContain(maskKey(key)); // the masked key is shown...
    expect(seen).not.toContain(secret); // ...nothing more of it, anywhere
    expect(seen).not.toContain(secret.slice(0, 8));
  });
});

describe('element.auth', () => {
  it('is the client made from the attributes, the same object until an attribute changes', async () => {
    const element = loadPage(APP_PAGE, attributes);
    await connected(element);
    const client = element.auth;
    expect(element.auth).toBe(client);
    expect(client.getState()).toMatchObject({ status: 'signed-out', key: null });
    element.setAttribute('client-name', 'Renamed app');
    expect(element.auth).not.toBe(client);
    expect(new URL(await element.auth.createSignInUrl()).searchParams.get('client_name')).toBe('Renamed app');
  });

  it('an assigned client is used as it is: its sign-in shows in the element and fires nanogpt-signin', async () => {
    const element = loadPage(APP_PAGE, attributes);
    const client = createNanoGptAuth({ issuer: mock.url, redirectUri: APP_PAGE, storage: memoryStorage() });
    element.auth = client;
    expect(element.auth).toBe(client);
    element.setAttribute('client-name', 'Ignored'); // the assigned client's options win
    expect(element.auth).toBe(client);
    const signedIn = nextEvent<SignInEventDetail>(element, 'nanogpt-signin');
    await client.handleRedirectCallback(await consent(await client.createSignInUrl()));
    const key = client.getKey() as string;
    expect((await signedIn).detail).toEqual({ scope: 'models.read api.use', maskedKey: maskKey(key) });
    expect(parts(element).key.textContent).toBe(maskKey(key));
  });

  it('a client assigned after an error from the attributes replaces that error with its own state', async () => {
    const element = loadPage(APP_PAGE, { issuer: 'http://nano.example' });
    await nextEvent(element, 'nanogpt-error');
    element.auth = createNanoGptAuth({ issuer: mock.url, storage: memoryStorage() });
    await connected(element);
    expect(parts(element).message.hidden).toBe(true);
    expect(parts(element).label.textContent).toBe('Sign in with NanoGPT');
  });
});

describe('the status', () => {
  it('sits in a polite aria-live status region', () => {
    const { status } = parts(loadPage(APP_PAGE, attributes));
    expect(status.getAttribute('role')).toBe('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
  });
});
