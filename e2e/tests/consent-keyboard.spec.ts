import {
  FLOWS, approveButton, banner, denyButton, expect, maskedKey, MASKED_KEY, startSignIn, signedIn, tabTo, test,
} from '../support/fixtures.js';

for (const flow of FLOWS) {
  test.describe(`${flow} flow consent page by keyboard`, () => {
    test('Tab to Approve and press Enter signs in', async ({ page }) => {
      await startSignIn(page, flow);
      await tabTo(page, approveButton(page));
      await page.keyboard.press('Enter');
      await expect(signedIn(page)).toBeVisible();
      await expect(maskedKey(page)).toHaveText(MASKED_KEY);
    });

    test('Tab to Deny and press Space declines', async ({ page, mock }) => {
      await startSignIn(page, flow);
      await tabTo(page, denyButton(page));
      await page.keyboard.press('Space');
      await expect(banner(page)).toContainText('You declined the sign-in');
      expect((await mock.counters()).tokenRequests).toBe(0);
    });

    test('Space on Approve and Enter on Deny work too', async ({ page }) => {
      await startSignIn(page, flow);
      await tabTo(page, approveButton(page));
      await page.keyboard.press('Space');
      await expect(signedIn(page)).toBeVisible();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in with NanoGPT' }).click();
      await tabTo(page, denyButton(page));
      await page.keyboard.press('Enter');
      await expect(banner(page)).toContainText('You declined the sign-in');
    });
  });
}
