import { approveButton, expect, signIn, signInButton, signedIn, startSignIn, test } from '../support/fixtures.js';

test('standard flow: after the server forgets the cached client, the next sign-in registers afresh', async ({ page, mock }) => {
  await signIn(page, 'standard');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await mock.reset(); // a restarted NanoGPT (or mock): the cached client_id is unknown now

  await signInButton(page).click();
  await expect(page.getByText(/invalid_client|Unknown client_id/).first()).toBeVisible(); // the server's own error page
  await page.goto('/'); // the user comes back without a callback

  await startSignIn(page, 'standard'); // registers again instead of going to the error page forever
  await approveButton(page).click();
  await expect(signedIn(page)).toBeVisible();
});
