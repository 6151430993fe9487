import { test as base, expect, type Page } from '@playwright/test';
import { MockControls } from '@nanogpt-signin/mock-server';

export { expect };
export type FlowName = 'shortcut' | 'standard';
export const FLOWS: readonly FlowName[] = ['shortcut', 'standard'];

interface Servers { mockUrl: string; demoUrl: string }

/** The mock + demo pair that belongs to this worker (started by the config's webServer). */
function serversFor(parallelIndex: number): Servers {
  const all = JSON.parse(process.env.NANOGPT_E2E_SERVERS ?? '[]') as Servers[];
  const mine = all[parallelIndex];
  if (!mine) throw new Error(`no mock/demo pair for worker ${parallelIndex}: run with at most ${all.length} workers`);
  return mine;
}

interface TestFixtures {
  /** The mock's test controls; the mock is reset before every test. */
  mock: MockControls;
  /** Every console message and uncaught error of `page`, as text. */
  consoleMessages: string[];
}

export const test = base.extend<TestFixtures, { servers: Servers }>({
  servers: [async ({}, use, workerInfo) => use(serversFor(workerInfo.parallelIndex)), { scope: 'worker' }],
  baseURL: async ({ servers }, use) => use(servers.demoUrl),
  mock: async ({ servers }, use) => {
    const mock = new MockControls(servers.mockUrl);
    await mock.reset();
    await use(mock);
  },
  consoleMessages: [async ({ page }, use) => {
    const messages: string[] = [];
    const errors: string[] = [];
    page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => {
      messages.push(`pageerror: ${error.message}\n${error.stack ?? ''}`);
      errors.push(error.message);
    });
    await use(messages);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  }, { auto: true }],
});

// ---- the demo page, as a user sees it ----

export const signInButton = (page: Page) => page.getByRole('button', { name: 'Sign in with NanoGPT' });
export const banner = (page: Page) => page.getByRole('alert');
export const signedIn = (page: Page) => page.getByRole('region', { name: 'Signed in' });
export const maskedKey = (page: Page) => page.locator('#masked-key');
export const models = (page: Page) => page.getByRole('list', { name: 'Models' }).getByRole('listitem');
export const approveButton = (page: Page) => page.getByRole('button', { name: 'Approve', exact: true });
export const denyButton = (page: Page) => page.getByRole('button', { name: 'Deny', exact: true });

export const MASKED_KEY = /^sk-nano-…[0-9a-f]{4}$/;
export const KEY_PATTERN = /sk-nano-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Opens the demo, picks the flow and clicks the button; ends on NanoGPT's consent page. */
export async function startSignIn(page: Page, flow: FlowName): Promise<void> {
  await page.goto('/');
  await page.getByRole('radio', { name: flow === 'standard' ? /Standard OAuth/ : /Shortcut/ }).check();
  await signInButton(page).click();
  await expect(approveButton(page)).toBeVisible();
}

/** A full sign-in by mouse; ends back on the demo, signed in, with the model list loaded. */
export async function signIn(page: Page, flow: FlowName): Promise<void> {
  await startSignIn(page, flow);
  await approveButton(page).click();
  await expect(signedIn(page)).toBeVisible();
  await expect(models(page).first()).toBeVisible();
}

/** The real key, read from wherever the core keeps it in sessionStorage (null when none). */
export async function storedKey(page: Page): Promise<string | null> {
  const values = await page.evaluate(() => Object.values(sessionStorage));
  for (const value of values) {
    const match = KEY_PATTERN.exec(value);
    if (match) return match[0];
  }
  return null;
}

export async function sendChat(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Presses Tab until `target` has focus (the consent page's tab order is the mock's business). */
export async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  for (let i = 0; i < 30; i++) {
    // getRootNode(): a control inside a shadow root (the sign-in element) is that root's activeElement.
    if (await target.evaluate((element) => element === (element.getRootNode() as Document | ShadowRoot).activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}
