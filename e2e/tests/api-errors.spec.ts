import {
  FLOWS, approveButton, banner, expect, sendChat, signIn, signInButton, signedIn, storedKey, test,
} from '../support/fixtures.js';

const answer = '#answer';

for (const flow of FLOWS) {
  test.describe(`${flow} flow API errors`, () => {
    test('a revoked key signs the user out with a message on the next API call', async ({ page, mock, consoleMessages }) => {
      await signIn(page, flow);
      const key = (await storedKey(page))!;
      await mock.revokeKey(key);

      await sendChat(page, 'still there?');
      await expect(banner(page)).toContainText('no longer valid');
      await expect(banner(page)).toContainText('signed out');
      await expect(signInButton(page)).toBeVisible();
      await expect(signedIn(page)).toBeHidden();
      expect(await storedKey(page)).toBeNull();
      expect(consoleMessages.join('\n')).not.toContain(key.slice('sk-nano-'.length));

      await banner(page).getByRole('button', { name: 'Try again' }).click();
      await expect(approveButton(page)).toBeVisible();
    });

    test('a key not allowed from this origin shows a readable banner', async ({ page, mock, baseURL }) => {
      await signIn(page, flow);
      await mock.setKeyOrigins((await storedKey(page))!, ['https://elsewhere.example']);

      await sendChat(page, 'hello');
      await expect(banner(page)).toContainText(`does not allow this key to be used from ${new URL(baseURL!).origin}`);
      await expect(page.locator(answer)).toBeEmpty();
    });

    test('rate limiting shows a readable banner and "Try again" retries', async ({ page, mock }) => {
      await signIn(page, flow);
      await mock.setRateLimit(0);

      await sendChat(page, 'one more');
      await expect(banner(page)).toContainText(/Too many requests right now\. Try again in \d+ s\./); // Retry-After honoured
      await expect(signedIn(page)).toBeVisible();

      await mock.setRateLimit(null);
      await banner(page).getByRole('button', { name: 'Try again' }).click();
      await expect(page.locator(answer)).toContainText('one more');
      await expect(banner(page)).toBeHidden();
    });

    test('a network failure shows a readable banner and "Try again" retries', async ({ page, mock }) => {
      await signIn(page, flow);
      const apiCalls = new URL('/api/**', mock.url).href;
      await page.route(apiCalls, (route) => route.abort('internetdisconnected'));

      await sendChat(page, 'anyone?');
      await expect(banner(page)).toContainText('Could not reach NanoGPT');
      await expect(signedIn(page)).toBeVisible();

      await page.unroute(apiCalls);
      await banner(page).getByRole('button', { name: 'Try again' }).click();
      await expect(page.locator(answer)).toContainText('anyone?');
    });
  });
}
