import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';
import {
  FLOWS, MASKED_KEY, approveButton, banner, denyButton, expect, maskedKey, models, sendChat,
  signIn, signInButton, signedIn, startSignIn, storedKey, test,
} from '../support/fixtures.js';

/**
 * Attached to the report. With NANOGPT_E2E_UPDATE_SCREENSHOTS=1 the shortcut flow's ones are also
 * copied into the demo's README images (demo-app/docs/).
 */
async function screenshot(page: Page, testInfo: TestInfo, name: string, fullPage = false): Promise<void> {
  const body = await page.screenshot({ fullPage });
  await testInfo.attach(name, { body, contentType: 'image/png' });
  if (process.env.NANOGPT_E2E_UPDATE_SCREENSHOTS && !name.startsWith('standard-')) {
    const docs = fileURLToPath(new URL('../../demo-app/docs/', import.meta.url));
    mkdirSync(docs, { recursive: true });
    writeFileSync(`${docs}${name}.png`, body);
  }
}

for (const flow of FLOWS) {
  test.describe(`${flow} flow`, () => {
    test('signs in on the consent page, shows key, scopes and models, chats, signs out', async ({ page, mock }, testInfo) => {
      await page.setViewportSize({ width: 900, height: 900 });
      await page.goto('/');
      await screenshot(page, testInfo, `${flow}-signed-out`);
      await startSignIn(page, flow);
      await screenshot(page, testInfo, `${flow}-consent`, true);
      await approveButton(page).click();

      await expect(signedIn(page)).toBeVisible();
      await expect(maskedKey(page)).toHaveText(MASKED_KEY);
      await expect(signedIn(page).getByText('models.read', { exact: true })).toBeVisible();
      await expect(signedIn(page).getByText('api.use', { exact: true })).toBeVisible();
      await expect(models(page).first()).toBeVisible();
      const url = new URL(page.url());
      expect(url.searchParams.has('code')).toBe(false);
      expect(url.searchParams.has('state')).toBe(false);
      expect(url.search).toBe('');

      const key = await storedKey(page);
      expect(key, 'the key is kept in sessionStorage').not.toBeNull();
      await expect(maskedKey(page)).toHaveText(`sk-nano-…${key!.slice(-4)}`);
      expect((await mock.inspectKey(key!)).kind).toBe('oauth');
      expect(await mock.counters()).toMatchObject({ tokenRequests: 1, codesRedeemed: 1, keysMinted: 1 });

      await sendChat(page, 'hello from the e2e suite');
      await expect(page.locator('#answer')).toContainText('hello from the e2e suite');
      await screenshot(page, testInfo, `${flow}-signed-in`);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(signInButton(page)).toBeVisible();
      expect(await storedKey(page)).toBeNull();
    });

    test('shows "Signing in…" while it handles the callback', async ({ page }) => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      // Hold the code exchange until the busy state has been seen.
      await page.route(/\/(api\/v1\/auth\/keys|oauth\/token)$/, async (route) => {
        await held;
        await route.continue();
      });
      await startSignIn(page, flow);
      await approveButton(page).click();
      const busy = page.getByRole('button', { name: 'Signing in…' });
      await expect(busy).toBeVisible();
      await expect(busy).toBeDisabled();
      release();
      await expect(signedIn(page)).toBeVisible();
    });

    test('deny: the banner says the user declined, nothing is stored, "Try again" restarts', async ({ page, mock }, testInfo) => {
      await startSignIn(page, flow);
      await denyButton(page).click();

      await expect(banner(page)).toContainText('You declined the sign-in');
      await expect(signInButton(page)).toBeVisible();
      expect(new URL(page.url()).search).toBe('');
      expect(await storedKey(page)).toBeNull();
      expect(await mock.counters()).toMatchObject({ tokenRequests: 0, keysMinted: 0 });
      if (flow === 'shortcut') await screenshot(page, testInfo, 'error-banner');

      await banner(page).getByRole('button', { name: 'Try again' }).click();
      await expect(approveButton(page)).toBeVisible();
    });

    test('reload keeps the user signed in; a new tab or browser context is not signed in', async ({ page, browser, baseURL }) => {
      await signIn(page, flow);
      const masked = await maskedKey(page).textContent();

      await page.reload();
      await expect(signedIn(page)).toBeVisible();
      await expect(maskedKey(page)).toHaveText(masked!);
      await expect(models(page).first()).toBeVisible();

      // sessionStorage is per tab: a tab the user opens in the same browser starts signed out.
      const tab = await page.context().newPage();
      await tab.goto('/');
      await expect(signInButton(tab)).toBeVisible();
      await expect(signedIn(tab)).toBeHidden();
      expect(await storedKey(tab)).toBeNull();
      await tab.close();
      await expect(signedIn(page)).toBeVisible();

      const other = await browser.newContext({ baseURL });
      const otherPage = await other.newPage();
      await otherPage.goto('/');
      await expect(signInButton(otherPage)).toBeVisible();
      await expect(signedIn(otherPage)).toBeHidden();
      await other.close();
    });

    test('the chosen flow is used for the whole round trip and remembered', async ({ page, mock }) => {
      await page.goto('/');
      await page.getByRole('radio', { name: flow === 'standard' ? /Standard OAuth/ : /Shortcut/ }).check();
      await page.reload();
      await expect(page.getByRole('radio', { checked: true })).toHaveAccessibleName(
        flow === 'standard' ? /Standard OAuth/ : /Shortcut/,
      );

      await startSignIn(page, flow);
      expect(new URL(page.url()).pathname).toBe(flow === 'standard' ? '/oauth/authorize' : '/auth');
      expect((await mock.pending()).consents.map((c) => c.flow)).toEqual([flow === 'standard' ? 'authorize' : 'shortcut']);
      await approveButton(page).click();
      await expect(signedIn(page)).toBeVisible();
      expect((await mock.listKeys()).filter((k) => k.kind === 'oauth')).toHaveLength(1);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('radio', { checked: true })).toHaveAccessibleName(
        flow === 'standard' ? /Standard OAuth/ : /Shortcut/,
      );
    });

    if (flow === 'standard') {
      test('NanoGPT unreachable when the sign-in starts: a readable banner, "Try again" works', async ({ page, mock }) => {
        const discovery = new URL('/.well-known/oauth-authorization-server', mock.url).href;
        await page.route(discovery, (route) => route.abort('connectionrefused'));
        await page.goto('/');
        await page.getByRole('radio', { name: /Standard OAuth/ }).check();
        await signInButton(page).click();
        await expect(banner(page)).toContainText('Could not reach NanoGPT');
        await expect(signInButton(page)).toBeEnabled();

        await page.unroute(discovery);
        await banner(page).getByRole('button', { name: 'Try again' }).click();
        await expect(approveButton(page)).toBeVisible();
      });
    }
  });
}
