import type { Page } from '@playwright/test';
import {
  approveButton, banner, denyButton, expect, KEY_PATTERN, MASKED_KEY, maskedKey, signedIn, signInButton, storedKey, tabTo, test,
} from '../support/fixtures.js';

/** Every event the element dispatches, as JSON, recorded in the page. */
async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { elementEvents: string[] }).elementEvents = seen;
    for (const type of ['nanogpt-signin', 'nanogpt-signout', 'nanogpt-error'])
      addEventListener(type, (event) => seen.push(JSON.stringify({ type, detail: (event as CustomEvent).detail })));
  });
}
const elementEvents = (page: Page) => page.evaluate(() => (window as unknown as { elementEvents: string[] }).elementEvents);

const MASKED_STATUS = /^Signed in as sk-nano-…[0-9a-f]{4}$/;

/** The demo with the popup option on. */
async function openInPopupMode(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('checkbox', { name: 'Sign in in a popup' }).check();
}

test.describe('<nanogpt-signin-button>', () => {
  test('popup: approve signs the opening page in, the popup closes, the code is exchanged once there', async ({ page, mock }) => {
    await recordEvents(page);
    await openInPopupMode(page);
    const popupOpened = page.waitForEvent('popup');
    await signInButton(page).click();
    const popup = await popupOpened;
    await Promise.all([popup.waitForEvent('close'), approveButton(popup).click()]);

    await expect(signedIn(page)).toBeVisible();
    await expect(maskedKey(page)).toHaveText(MASKED_KEY);
    expect(new URL(page.url()).search).toBe('');
    expect(await mock.counters()).toMatchObject({ tokenRequests: 1, codesRedeemed: 1, keysMinted: 1 });
    const events = await elementEvents(page);
    expect(events.map((event) => JSON.parse(event).type)).toEqual(['nanogpt-signin']);
    expect(JSON.parse(events[0]!).detail).toEqual({ scope: 'models.read api.use', maskedKey: expect.stringMatching(MASKED_KEY) });
  });

  test('popup: deny shows the page\'s "declined" banner and no exchange', async ({ page, mock }) => {
    await openInPopupMode(page);
    const popupOpened = page.waitForEvent('popup');
    await signInButton(page).click();
    const popup = await popupOpened;
    await Promise.all([popup.waitForEvent('close'), denyButton(popup).click()]);
    await expect(banner(page)).toContainText('You declined the sign-in');
    await expect(signInButton(page)).toBeEnabled();
    expect((await mock.counters()).tokenRequests).toBe(0);
  });

  test('popup: closing it is reported and the button works again', async ({ page }) => {
    await openInPopupMode(page);
    const popupOpened = page.waitForEvent('popup');
    await signInButton(page).click();
    const popup = await popupOpened;
    await expect(approveButton(popup)).toBeVisible();
    await popup.close();
    await expect(banner(page)).toContainText('sign-in window was closed'); // the demo's sentence for popup_closed
    await expect(signInButton(page)).toBeEnabled();
    await expect(signInButton(page)).not.toHaveAttribute('aria-disabled', 'true');
  });

  test('popup blocked: the element falls back to a redirect', async ({ page }) => {
    await page.addInitScript(() => { window.open = () => null; });
    await openInPopupMode(page);
    await signInButton(page).click();
    await expect(approveButton(page)).toBeVisible();
    await approveButton(page).click();
    await expect(signedIn(page)).toBeVisible();
  });

  test('keyboard only: Tab to the button, Enter, approve with the keyboard, sign out with the keyboard', async ({ page }) => {
    await page.goto('/');
    await tabTo(page, signInButton(page));
    await page.keyboard.press('Enter');
    await expect(approveButton(page)).toBeVisible();
    await tabTo(page, approveButton(page));
    await page.keyboard.press('Enter');
    await expect(signedIn(page)).toBeVisible();
    const signOut = page.getByRole('button', { name: 'Sign out' }).first();
    await tabTo(page, signOut);
    await page.keyboard.press('Enter');
    await expect(signInButton(page)).toBeVisible();
  });

  test('alone on a page: its own error state with a message from the code, and "Try again" retries', async ({ page, mock }) => {
    await page.goto('/element.html');
    await signInButton(page).click();
    await denyButton(page).click();
    await expect(page.getByTitle('Sign-in cancelled.')).toBeVisible(); // the message, shown
    await expect(page.getByRole('status')).toHaveText('Sign-in cancelled.'); // and announced (aria-live)
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('button', { name: 'Try again' }).click();
    await approveButton(page).click();
    await expect(page.getByRole('status')).toHaveText(MASKED_STATUS);
    await expect(page.getByTitle('Sign-in cancelled.')).toBeHidden();
    expect((await mock.counters()).tokenRequests).toBe(1);
  });

  test('alone on a page: popup mode by attribute', async ({ page }) => {
    await page.goto('/element.html?mode=popup');
    const popupOpened = page.waitForEvent('popup');
    await signInButton(page).click();
    const popup = await popupOpened;
    await Promise.all([popup.waitForEvent('close'), approveButton(popup).click()]);
    await expect(page.getByRole('status')).toHaveText(MASKED_STATUS);
  });

  test('no key in the DOM, the shadow DOM, attributes or events', async ({ page }) => {
    await recordEvents(page);
    await page.goto('/');
    await signInButton(page).click();
    await approveButton(page).click();
    await expect(signedIn(page)).toBeVisible();
    const key = (await storedKey(page))!;
    const bare = key.slice('sk-nano-'.length);
    const everything = await page.evaluate(() => {
      const element = document.querySelector('nanogpt-signin-button')!;
      const attributes = [...document.querySelectorAll('*')].flatMap((node) => [...node.attributes].map((a) => a.value));
      return [document.documentElement.outerHTML, element.shadowRoot!.innerHTML, ...attributes].join('\n');
    });
    expect(everything).not.toContain(bare);
    expect(everything).toMatch(/sk-nano-…[0-9a-f]{4}/); // the masked key is there
    expect((await elementEvents(page)).join('\n')).not.toMatch(KEY_PATTERN);
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    expect((await elementEvents(page)).map((event) => JSON.parse(event).type)).toEqual(['nanogpt-signin', 'nanogpt-signout']);
  });
});
