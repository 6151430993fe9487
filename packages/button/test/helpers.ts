import { request } from 'node:http';
import { followConsent, MockControls, type FollowConsentOptions } from '@nanogpt-signin/mock-server';
import { vi } from 'vitest';
import { TAG_NAME, type NanoGptSigninButton } from '../src/index.js';

/** The page of the app under test (happy-dom's window); its origin is the one the mock's CORS answers. */
export const APP_PAGE = 'http://localhost:3000/app';

export const MASKED_KEY = /^sk-nano-…[0-9a-f]{4}$/;

/** The few happy-dom controls the tests use (`window.happyDOM`). */
interface HappyDom {
  setURL(url: string): void;
  settings: { device: DeviceFeatures };
}
interface DeviceFeatures {
  prefersColorScheme: string;
  prefersReducedMotion: string;
}
const happyDom = (): HappyDom => (window as unknown as { happyDOM: HappyDom }).happyDOM;

/** Runs `run` on a device with these media features (`prefers-color-scheme`, `prefers-reduced-motion`), then puts them back. */
export async function onDevice<T>(features: Partial<DeviceFeatures>, run: () => T | Promise<T>): Promise<T> {
  const device = happyDom().settings.device;
  const before = { ...device };
  Object.assign(device, features);
  try {
    return await run();
  } finally {
    Object.assign(device, before);
  }
}

/**
 * The user's browser itself (a top-level navigation, a form post), not the page's fetch: no Origin
 * and no CORS, which happy-dom's fetch would apply. Enough of fetch for `followConsent` and `MockControls`.
 */
export const browserRequest: typeof fetch = (input, init = {}) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: init.method ?? 'GET', headers, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') answerHeaders.set(name, value);
        resolve(new Response(Buffer.concat(chunks).toString('utf8'), { status: incoming.statusCode, headers: answerHeaders }));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(typeof init.body === 'string' ? init.body : undefined);
  });
};

/** The user on NanoGPT's consent page: returns where NanoGPT sends the browser back (the callback URL). */
export const consent = (signInUrl: string, options: Omit<FollowConsentOptions, 'fetch'> = {}): Promise<string> =>
  followConsent(signInUrl, { ...options, fetch: browserRequest });

export const controlsOf = (mockUrl: string): MockControls => new MockControls(mockUrl, { fetch: browserRequest });

/**
 * A page load at `url` with one `<nanogpt-signin-button>` on it: the previous page's elements are
 * gone, the tab's sessionStorage stays (as in a browser tab).
 */
export function loadPage(url: string, attributes: Record<string, string> = {}): NanoGptSigninButton {
  document.body.replaceChildren();
  happyDom().setURL(url);
  const element = document.createElement(TAG_NAME);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  document.body.append(element);
  return element;
}

/** The element's shadow parts, by the names its README documents. */
export function parts(element: NanoGptSigninButton) {
  const part = (name: string) => element.shadowRoot?.querySelector<HTMLElement>(`[part=${name}]`) as HTMLElement;
  return { button: part('button'), label: part('label'), key: part('key'), signOut: part('sign-out'), message: part('message'), status: part('status') };
}

/** Resolves with the next `type` event the element dispatches (after the element has rendered it). */
export const nextEvent = <T>(element: NanoGptSigninButton, type: string): Promise<CustomEvent<T>> =>
  new Promise((resolve) => element.addEventListener(type, (event) => resolve(event as CustomEvent<T>), { once: true }));

/** Every event the element dispatches, recorded. */
export function recordEvents(element: NanoGptSigninButton): Array<{ type: string; detail: unknown; cancelable: boolean; composed: boolean; bubbles: boolean }> {
  const seen: Array<{ type: string; detail: unknown; cancelable: boolean; composed: boolean; bubbles: boolean }> = [];
  for (const type of ['nanogpt-signin', 'nanogpt-signout', 'nanogpt-error'])
    element.addEventListener(type, (event) => {
      const { detail, cancelable, composed, bubbles } = event as CustomEvent;
      seen.push({ type, detail, cancelable, composed, bubbles });
    });
  return seen;
}

/**
 * Stands in for the navigation to NanoGPT (`location.assign`), which happy-dom would perform:
 * `urls` are the pages it was sent to; `next()` resolves with the next one from now.
 */
export function captureNavigation() {
  const urls: string[] = [];
  let arrive: ((url: string) => void) | undefined;
  vi.spyOn(location, 'assign').mockImplementation((url: string | URL) => {
    urls.push(String(url));
    arrive?.(String(url));
    arrive = undefined;
  });
  return { urls, next: (): Promise<string> => new Promise((resolve) => (arrive = resolve)) };
}

/** Lets the element's connect (a microtask after `connectedCallback`) and its client's `init` run. */
export const connected = async (element: NanoGptSigninButton): Promise<void> => {
  await Promise.resolve();
  await element.auth.init();
};
