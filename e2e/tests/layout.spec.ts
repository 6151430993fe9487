import { expect, signIn, test } from '../support/fixtures.js';

test('at 390 × 844 nothing clips or overflows, signed out and signed in', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflowing = () =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const out: string[] = [];
      if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
      for (const element of document.querySelectorAll<HTMLElement>('main *')) {
        if (element.closest('[hidden]') || element.getClientRects().length === 0) continue;
        const box = element.getBoundingClientRect();
        if (box.right > width + 0.5 || box.left < -0.5) out.push(`${element.tagName.toLowerCase()}#${element.id} ${box.left}-${box.right}`);
        // A row whose content is wider than itself clips it (e.g. a model owner floating out).
        if (element.matches('li, .chat, .facts dd') && element.scrollWidth > element.clientWidth + 1) out.push(`${element.tagName.toLowerCase()} overflows its row`);
      }
      return out;
    });
  await page.goto('/');
  expect(await overflowing()).toEqual([]);
  await signIn(page, 'shortcut');
  expect(await overflowing()).toEqual([]);
  const input = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
  expect(input!.width, 'the message box keeps a usable width').toBeGreaterThan(150);
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
});

test('Send is disabled and the models say "Loading models…" until the model list has loaded', async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  await signIn(page, 'shortcut');
  await page.route(/\/api\/v1\/models$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.reload();
  await expect(page.getByRole('list', { name: 'Models' })).toContainText('Loading models…');
  await expect(page.getByRole('combobox', { name: 'Model' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  release();
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await expect(page.getByRole('list', { name: 'Models' })).not.toContainText('Loading models…');
});

test('signing out says the key stays valid at NanoGPT until revoked; the page has a favicon', async ({ page, request }) => {
  await signIn(page, 'shortcut');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Signed out' })).toContainText('stays valid at NanoGPT until you revoke it');
  const icon = await page.locator('link[rel=icon]').getAttribute('href');
  expect((await request.get(new URL(icon!, page.url()).href)).ok()).toBe(true);
});
