// What each documented attribute does to the element's client and rendering.
import { startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NanoGptSigninButton, SignInEventDetail } from '../src/index.js';
import { APP_PAGE, browserRequest, captureNavigation, connected, consent, loadPage, nextEvent, onDevice, parts } from './helpers.js';

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(() => sessionStorage.clear());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** Clicks the element's button and returns the URL the page goes to. */
async function clickToNanoGpt(element: NanoGptSigninButton): Promise<URL> {
  await connected(element);
  const navigated = captureNavigation().next();
  parts(element).button.click();
  return new URL(await navigated);
}

describe('issuer, client-name, scope, redirect-uri', () => {
  it('the sign-in goes to the issuer with the client name, scope and redirect URI; NanoGPT shows the name', async () => {
    const element = loadPage(APP_PAGE, { issuer: mock.url, 'client-name': 'Acme Notes', scope: 'api.use', 'redirect-uri': 'http://localhost:3000/back' });
    const url = await clickToNanoGpt(element);
    expect(url.origin + url.pathname).toBe(mock.url + '/auth');
    expect(url.searchParams.get('client_name')).toBe('Acme Notes');
    expect(url.searchParams.get('scope')).toBe('api.use');
    expect(url.searchParams.get('callback_url')).toBe('http://localhost:3000/back');
    expect(await (await browserRequest(url)).text()).toContain('Acme Notes wants to use your NanoGPT account');
  });

  it('without them: https://nano-gpt.com, scope "api.use models.read", back to the current page', async () => {
    const url = await clickToNanoGpt(loadPage(APP_PAGE));
    expect(url.origin + url.pathname).toBe('https://nano-gpt.com/auth');
    expect(url.searchParams.get('scope')).toBe('api.use models.read');
    expect(url.searchParams.get('callback_url')).toBe(APP_PAGE);
    expect(url.searchParams.has('client_name')).toBe(false);
  });

  it('the granted scope of a scope="api.use" sign-in is what nanogpt-signin reports', async () => {
    const attributes = { issuer: mock.url, scope: 'api.use' };
    const url = await clickToNanoGpt(loadPage(APP_PAGE, attributes));
    const page = loadPage(await consent(url.href), attributes);
    const { detail } = await nextEvent<SignInEventDetail>(page, 'nanogpt-signin');
    expect(detail.scope).toBe('api.use');
    expect(page.auth.getScope()).toBe('api.use');
  });

  it('an issuer that is not https is refused: the error state with the reason, and nanogpt-error', async () => {
    const element = loadPage(APP_PAGE);
    const failed = nextEvent<{ code: string }>(element, 'nanogpt-error');
    element.setAttribute('issuer', 'http://nano.example');
    document.body.append(element);
    expect((await failed).detail).toEqual({ code: 'invalid_request' });
    const { label, message } = parts(element);
    expect(message.hidden).toBe(false);
    expect(message.textContent).toBe('Issuer must be https; plain http only on 127.0.0.1, localhost or [::1].');
    expect(label.textContent).toBe('Try again');
  });

  it('an issuer put right after the error: the error goes, the element signs in at the new issuer', async () => {
    const element = loadPage(APP_PAGE, { issuer: 'http://nano.example' });
    await nextEvent(element, 'nanogpt-error');
    element.setAttribute('issuer', mock.url);
    await connected(element);
    const { label, message, status } = parts(element);
    expect(message.hidden).toBe(true);
    expect(label.textContent).toBe('Sign in with NanoGPT');
    expect(status.textContent).toBe('');
    const url = await clickToNanoGpt(element);
    expect(url.origin).toBe(mock.url);
  });
});

describe('flow', () => {
  it('flow="standard" signs in with OAuth 2.0 (/oauth/authorize and the token endpoint) end to end', async () => {
    const attributes = { issuer: mock.url, 'client-name': 'Standard app', flow: 'standard' };
    const url = await clickToNanoGpt(loadPage(APP_PAGE, attributes));
    expect(url.origin + url.pathname).toBe(mock.url + '/oauth/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const page = loadPage(await consent(url.href), attributes);
    const { detail } = await nextEvent<SignInEventDetail>(page, 'nanogpt-signin');
    expect(detail.maskedKey).toMatch(/^sk-nano-…[0-9a-f]{4}$/);
    expect(page.auth.getKey()).toMatch(/^sk-nano-/);
  });

  it('flow="shortcut" is the default key handoff at /auth', async () => {
    const url = await clickToNanoGpt(loadPage(APP_PAGE, { issuer: mock.url, flow: 'shortcut' }));
    expect(url.pathname).toBe('/auth');
  });
});

describe('mode', () => {
  /** A sign-in window as `window.open` returns it; `navigatedTo` resolves with where the element sends it. */
  function fakePopup() {
    let arrive: (url: string) => void = () => {};
    const navigatedTo = new Promise<string>((resolve) => (arrive = resolve));
    const popup = { closed: false, close: vi.fn(() => (popup.closed = true)), location: { set href(url: string) { arrive(url); } } };
    return { popup, navigatedTo };
  }

  it('redirect (the default) never opens a window', async () => {
    const open = vi.fn(() => null);
    vi.stubGlobal('open', open);
    await clickToNanoGpt(loadPage(APP_PAGE, { issuer: mock.url }));
    expect(open).not.toHaveBeenCalled();
  });

  it('popup: the sign-in opens in a window; busy meanwhile; closing it shows "Sign-in window closed." and "Try again"', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { popup, navigatedTo } = fakePopup();
    const open = vi.fn(() => popup);
    vi.stubGlobal('open', open);
    const navigation = captureNavigation();
    const element = loadPage(APP_PAGE, { issuer: mock.url, mode: 'popup' });
    await connected(element);
    const failed = nextEvent<{ code: string }>(element, 'nanogpt-error');
    parts(element).button.click();
    expect(open).toHaveBeenCalledWith('', 'nanogpt-signin', expect.stringContaining('popup'));
    const url = new URL(await navigatedTo);
    expect(url.origin + url.pathname).toBe(mock.url + '/auth');
    expect(parts(element).button.getAttribute('aria-busy')).toBe('true');
    popup.closed = true; // the user closes it
    await vi.advanceTimersByTimeAsync(1000);
    expect((await failed).detail).toEqual({ code: 'popup_closed' });
    const { button, label, message } = parts(element);
    expect(message.textContent).toBe('Sign-in window closed.');
    expect(label.textContent).toBe('Try again');
    expect(button.getAttribute('aria-busy')).toBe('false');
    expect(navigation.urls).toEqual([]); // the page itself never left
  });

  it('popup blocked by the browser: falls back to a redirect', async () => {
    const open = vi.fn(() => null);
    vi.stubGlobal('open', open);
    const url = await clickToNanoGpt(loadPage(APP_PAGE, { issuer: mock.url, mode: 'popup' }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(url.origin + url.pathname).toBe(mock.url + '/auth');
    expect(url.searchParams.get('state')).not.toMatch(/^popup\./);
  });
});

describe('theme and size', () => {
  const look = (element: NanoGptSigninButton) => {
    const style = getComputedStyle(parts(element).button);
    return { background: style.backgroundColor, color: style.color, minHeight: style.minHeight };
  };
  const DARK = { background: '#111318', color: '#fff' };
  const LIGHT = { background: '#fff', color: '#111318' };

  it('theme: dark by default, light, and auto following prefers-color-scheme', async () => {
    expect(look(loadPage(APP_PAGE))).toMatchObject(DARK);
    expect(look(loadPage(APP_PAGE, { theme: 'dark' }))).toMatchObject(DARK);
    expect(look(loadPage(APP_PAGE, { theme: 'light' }))).toMatchObject(LIGHT);
    const auto = () => look(loadPage(APP_PAGE, { theme: 'auto' }));
    expect(await onDevice({ prefersColorScheme: 'light' }, auto)).toMatchObject(LIGHT);
    expect(await onDevice({ prefersColorScheme: 'dark' }, auto)).toMatchObject(DARK);
    // An explicit theme ignores the preference.
    expect(await onDevice({ prefersColorScheme: 'light' }, () => look(loadPage(APP_PAGE, { theme: 'dark' })))).toMatchObject(DARK);
  });

  it('size: small, medium (the default) and large buttons', () => {
    expect(look(loadPage(APP_PAGE, { size: 'small' })).minHeight).toBe('36px');
    expect(look(loadPage(APP_PAGE)).minHeight).toBe('44px');
    expect(look(loadPage(APP_PAGE, { size: 'medium' })).minHeight).toBe('44px');
    expect(look(loadPage(APP_PAGE, { size: 'large' })).minHeight).toBe('52px');
  });

  it('the busy mark spins, except under prefers-reduced-motion: reduce', async () => {
    const spinning = async () => {
      const element = loadPage(APP_PAGE);
      await connected(element);
      captureNavigation();
      parts(element).button.click();
      return getComputedStyle(element.shadowRoot!.querySelector('[part=mark]')!).animation;
    };
    expect(await onDevice({ prefersReducedMotion: 'no-preference' }, spinning)).toBe('s .9s linear infinite');
    expect(await onDevice({ prefersReducedMotion: 'reduce' }, spinning)).toBe('none');
  });
});
