import { expect, signIn, signInButton, signedIn, storedKey, test } from '../support/fixtures.js';

test.describe('tabs', () => {
  test('signing out in one tab signs out another', async ({ page, context }) => {
    await signIn(page, 'shortcut');
    const other = await context.newPage();
    await signIn(other, 'shortcut'); // its own sign-in: sessionStorage is per tab
    expect(await storedKey(other)).not.toBeNull();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(signInButton(other)).toBeVisible();
    await expect(signedIn(other)).toBeHidden();
    expect(await storedKey(other)).toBeNull();
  });

  test('shareAcrossTabs on: a new tab is signed in with the open tab\'s key, never through localStorage', async ({ page, context }) => {
    await page.goto('/');
    await page.getByRole('checkbox', { name: 'Share the sign-in with new tabs' }).check();
    await signIn(page, 'shortcut');
    const key = (await storedKey(page))!;

    const other = await context.newPage();
    await other.goto('/');
    await expect(signedIn(other)).toBeVisible();
    expect(await storedKey(other)).toBe(key);
    const local = await other.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(local).not.toContain(key.slice('sk-nano-'.length));
  });

  test('shareAcrossTabs off: a new tab stays signed out', async ({ page, context }) => {
    await signIn(page, 'shortcut');
    const other = await context.newPage();
    await other.goto('/');
    await expect(signInButton(other)).toBeVisible();
    expect(await storedKey(other)).toBeNull();
  });

  test('shareAcrossTabs on with no other tab open: the new tab is simply signed out', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('checkbox', { name: 'Share the sign-in with new tabs' }).check();
    await page.reload(); // a tab that starts with sharing on and asks; nobody answers
    await expect(page.getByRole('checkbox', { name: 'Share the sign-in with new tabs' })).toBeChecked();
    await expect(signInButton(page)).toBeEnabled();
    expect(await storedKey(page)).toBeNull();
  });
});
