import {
  FLOWS, approveButton, banner, expect, maskedKey, signIn, signInButton, signedIn, startSignIn, storedKey, test,
} from '../support/fixtures.js';

for (const flow of FLOWS) {
  test.describe(`${flow} flow callback`, () => {
    test('a tampered state is rejected with a clear error and no exchange', async ({ page, mock }) => {
      await startSignIn(page, flow);
      const location = new URL((await mock.approveConsent()).location);
      expect(location.searchParams.get('code')).toBeTruthy();
      location.searchParams.set('state', `${location.searchParams.get('state')}x`);

      await page.goto(location.href);
      await expect(banner(page)).toContainText('did not match the request');
      await expect(signInButton(page)).toBeVisible();
      expect(new URL(page.url()).search).toBe('');
      expect(await storedKey(page)).toBeNull();
      expect((await mock.counters()).tokenRequests).toBe(0);
    });

    test('a replayed callback URL makes no second exchange and keeps the session', async ({ page, mock }) => {
      const callbacks: string[] = [];
      page.on('request', (request) => {
        if (request.isNavigationRequest() && new URL(request.url()).searchParams.has('code')) callbacks.push(request.url());
      });
      await signIn(page, flow);
      expect(callbacks).toHaveLength(1);
      const masked = await maskedKey(page).textContent();
      expect((await mock.counters()).tokenRequests).toBe(1);

      // Back and forward again: the history holds no callback URL to replay.
      await page.goBack();
      await page.goForward();
      await expect(signedIn(page)).toBeVisible();
      expect(new URL(page.url()).search).toBe('');

      // The callback URL pasted again.
      await page.goto(callbacks[0]!);
      await expect(banner(page)).toContainText('already used');
      expect(new URL(page.url()).search).toBe('');
      await expect(signedIn(page)).toBeVisible();
      await expect(maskedKey(page)).toHaveText(masked!);
      expect((await mock.counters()).tokenRequests).toBe(1);
    });

    test('a callback without a code says so and makes no exchange', async ({ page, mock }) => {
      await startSignIn(page, flow);
      const state = new URL((await mock.approveConsent()).location).searchParams.get('state');
      expect(state).toBeTruthy();

      await page.goto(`/?state=${encodeURIComponent(state!)}`);
      await expect(banner(page)).toContainText('without a sign-in code');
      await expect(signInButton(page)).toBeVisible();
      expect((await mock.counters()).tokenRequests).toBe(0);
    });

    test('an expired code shows a clear error and stores nothing', async ({ page, mock }) => {
      await startSignIn(page, flow);
      const location = (await mock.approveConsent()).location;
      await mock.advanceClock(3600);

      await page.goto(location);
      await expect(banner(page)).toContainText('expired');
      await expect(signInButton(page)).toBeVisible();
      expect(await storedKey(page)).toBeNull();
      expect(await mock.counters()).toMatchObject({ tokenRequests: 1, keysMinted: 0 });

      await banner(page).getByRole('button', { name: 'Try again' }).click();
      await expect(approveButton(page)).toBeVisible();
    });

    test('a sign-in left open too long expires with a clear message and no exchange', async ({ page, mock }) => {
      await page.clock.install(); // the page's clock; the mock keeps real time
      await startSignIn(page, flow);
      const location = (await mock.approveConsent()).location;
      await page.clock.fastForward('11:00'); // past the core's 10-minute limit for a pending sign-in

      await page.goto(location);
      await expect(banner(page)).toContainText('expired');
      await expect(signInButton(page)).toBeVisible();
      expect(await storedKey(page)).toBeNull();
      expect((await mock.counters()).tokenRequests).toBe(0);
    });
  });
}
