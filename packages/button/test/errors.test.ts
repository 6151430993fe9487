// The error state: a message from the error's code, "Try again", rate_limited's wait, and nanogpt-error.
import { startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrorEventDetail, NanoGptSigninButton } from '../src/index.js';
import { APP_PAGE, browserRequest, captureNavigation, connected, consent, controlsOf, loadPage, nextEvent, parts, recordEvents } from './helpers.js';

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());
beforeEach(async () => {
  sessionStorage.clear();
  await controlsOf(mock.url).reset();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Sends the user from `attributes`' element to NanoGPT and back with `decision`: the element of the page NanoGPT returns to. */
async function backFromNanoGpt(server: MockServer, decision: 'approve' | 'deny', beforeReturn: () => unknown = () => {}): Promise<NanoGptSigninButton> {
  const attributes = { issuer: server.url };
  const element = loadPage(APP_PAGE, attributes);
  await connected(element);
  const navigated = captureNavigation().next();
  parts(element).button.click();
  const callback = await consent(await navigated, { decision });
  await beforeReturn();
  return loadPage(callback, attributes);
}

describe('error state', () => {
  it('declined on NanoGPT: nanogpt-error access_denied (cancelable), "Sign-in cancelled." and "Try again", announced', async () => {
    const page = await backFromNanoGpt(mock, 'deny');
    const events = recordEvents(page);
    await nextEvent(page, 'nanogpt-error');
    expect(events).toEqual([{ type: 'nanogpt-error', detail: { code: 'access_denied' } satisfies ErrorEventDetail, bubbles: true, composed: true, cancelable: true }]);
    const { button, label, message, status, key, signOut } = parts(page);
    expect(message.hidden).toBe(false);
    expect(message.textContent).toBe('Sign-in cancelled.');
    expect(label.textContent).toBe('Try again');
    expect(status.textContent).toBe('Sign-in cancelled.');
    expect(button.getAttribute('aria-busy')).toBe('false');
    expect(button.getAttribute('aria-disabled')).toBe('false');
    expect([key.hidden, signOut.hidden]).toEqual([true, true]);
  });

  it('"Try again" starts a new sign-in and clears the message', async () => {
    const page = await backFromNanoGpt(mock, 'deny');
    await nextEvent(page, 'nanogpt-error');
    const navigated = captureNavigation().next();
    parts(page).button.click();
    expect(parts(page).message.hidden).toBe(true);
    expect(parts(page).label.textContent).toBe('Signing in…');
    const url = new URL(await navigated);
    expect(url.origin + url.pathname).toBe(mock.url + '/auth');
  });

  it('a cancelled nanogpt-error leaves the button signed out for the page to show the error itself', async () => {
    const page = await backFromNanoGpt(mock, 'deny');
    page.addEventListener('nanogpt-error', (event) => event.preventDefault());
    await nextEvent(page, 'nanogpt-error');
    const { label, message, status } = parts(page);
    expect(label.textContent).toBe('Sign in with NanoGPT');
    expect(message.hidden).toBe(true);
    expect(message.textContent).toBe('');
    expect(status.textContent).toBe('');
  });

  it('back after the code expired (NanoGPT answers invalid_grant): "Sign-in expired."', async () => {
    const controls = controlsOf(mock.url);
    const page = await backFromNanoGpt(mock, 'approve', () => controls.advanceClock(120));
    expect((await nextEvent<ErrorEventDetail>(page, 'nanogpt-error')).detail).toEqual({ code: 'invalid_grant' });
    expect(parts(page).message.textContent).toBe('Sign-in expired.');
    expect(parts(page).label.textContent).toBe('Try again');
    expect(page.auth.getKey()).toBeNull();
  });
});

describe('rate_limited', () => {
  // The mock's clock stands 3 s before the end of its rate-limit minute: a 429 says Retry-After: 3.
  const MINUTE = 60_000;
  const MOCK_NOW = 28_333_334 * MINUTE + 57_000;
  let limited: MockServer;
  beforeAll(async () => {
    limited = await startMockServer({ oauthRateLimit: { perMinute: 1 }, now: () => MOCK_NOW });
  });
  afterAll(() => limited.close());

  it('"Too many attempts." and a disabled "Try again in 3 s" counting down; then "Try again" works', async () => {
    const page = await backFromNanoGpt(limited, 'approve', async () => {
      // This minute's one exchange is used up (by another tab of the app, say).
      await browserRequest(limited.url + '/api/v1/auth/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    expect((await nextEvent<ErrorEventDetail>(page, 'nanogpt-error')).detail).toEqual({ code: 'rate_limited' });
    const { button, label, message } = parts(page);
    expect(message.textContent).toBe('Too many attempts.');
    expect(label.textContent).toBe('Try again in 3 s');
    expect(button.getAttribute('aria-disabled')).toBe('true');

    const navigation = captureNavigation();
    button.click(); // too early: nothing happens
    await page.signIn();
    expect(navigation.urls).toEqual([]);
    expect(label.textContent).toBe('Try again in 3 s');

    await vi.advanceTimersByTimeAsync(1000);
    expect(label.textContent).toBe('Try again in 2 s');
    await vi.advanceTimersByTimeAsync(1000);
    expect(label.textContent).toBe('Try again in 1 s');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    await vi.advanceTimersByTimeAsync(1000);
    expect(label.textContent).toBe('Try again');
    expect(button.getAttribute('aria-disabled')).toBe('false');
    expect(message.textContent).toBe('Too many attempts.');

    const navigated = navigation.next();
    button.click();
    expect(new URL(await navigated).pathname).toBe('/auth');
  });
});
