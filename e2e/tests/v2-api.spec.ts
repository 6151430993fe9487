// The signed-in demo against NanoGPT's v2 behaviour (spec v2 §2): the key's health and spend come
// from /api/v1/usage (the model list is public), chat streams, and caps and balance are banners.
import {
  FLOWS, approveButton, banner, expect, models, sendChat, signIn, signInButton, signedIn, startSignIn, storedKey, test,
} from '../support/fixtures.js';
import type { Page } from '@playwright/test';

const answer = (page: Page) => page.locator('#answer');
const spent = (page: Page) => page.getByLabel('Spent in the last 30 days');
const pickModel = (page: Page, id: string) => page.getByRole('combobox', { name: 'Model' }).selectOption(id);
/** A priced model of the mock's catalogue (its first, the demo's default choice) and a free one. */
const PRICED = 'gpt-4o-mini';
const FREE = 'nano-mock-echo';

for (const flow of FLOWS) {
  test.describe(`${flow} flow, v2 API`, () => {
    test('a revoked key is noticed on load, though the public model list still loads', async ({ page, mock }) => {
      await signIn(page, flow);
      const key = (await storedKey(page))!;
      await mock.revokeKey(key);

      const modelList = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/models');
      await page.reload();
      expect((await modelList).status(), 'the model list answers a revoked key too').toBe(200);
      await expect(banner(page)).toContainText('no longer valid');
      await expect(signInButton(page)).toBeVisible();
      await expect(signedIn(page)).toBeHidden();
      expect(await storedKey(page)).toBeNull();
    });

    test('chat streams: the answer grows as tokens arrive, then the spend shows it', async ({ page, mock }) => {
      await signIn(page, flow);
      await expect(spent(page)).toHaveText('$0.00 · 0 requests');
      // Every text the answer shows, in order, recorded in the page as it changes.
      await answer(page).evaluate((element) => {
        const seen: string[] = [];
        (window as unknown as { answerTexts: string[] }).answerTexts = seen;
        new MutationObserver(() => seen.push(element.textContent ?? '')).observe(element, { childList: true, characterData: true, subtree: true });
      });
      const chat = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/chat/completions');
      const prompt = 'please stream this answer to me word by word';
      await sendChat(page, prompt);
      const response = await (await chat).response();
      expect((await chat).postDataJSON()).toMatchObject({ stream: true });
      expect(response?.headers()['content-type']).toContain('text/event-stream');

      await expect(answer(page)).toContainText(prompt);
      await expect(answer(page)).toHaveAttribute('aria-busy', 'false');
      const final = (await answer(page).textContent())!;
      const texts = (await page.evaluate(() => (window as unknown as { answerTexts: string[] }).answerTexts))
        .filter((text) => text !== '' && text !== '…');
      const growing = [...new Set(texts)];
      expect(growing.length, `the answer appeared in steps: ${JSON.stringify(growing)}`).toBeGreaterThan(2);
      for (const [index, text] of growing.entries()) {
        expect(final.startsWith(text), 'each step extends the one before').toBe(true);
        if (index > 0) expect(text.length).toBeGreaterThan(growing[index - 1]!.length);
      }

      const usage = await mock.keyUsage((await storedKey(page))!);
      expect(usage.totals.requests).toBe(1);
      await expect(spent(page)).toContainText('· 1 request');
      await expect(spent(page)).not.toHaveText(/^\$0\.00 /); // a priced model cost something
    });

    test('a $0 spend cap refuses a priced model with the spend-cap banner; a free model still answers', async ({ page }) => {
      await startSignIn(page, flow);
      await page.getByLabel('Limit').fill('0');
      await approveButton(page).click();
      await expect(signedIn(page)).toBeVisible();
      await expect(models(page).first()).toBeVisible();

      await pickModel(page, PRICED);
      await sendChat(page, 'this costs money');
      await expect(banner(page)).toContainText('reached the spend cap you set for it on NanoGPT');
      await expect(banner(page)).toContainText('It resets at');
      await expect(answer(page)).toBeEmpty();
      await expect(signedIn(page)).toBeVisible(); // a cap is not a sign-out

      await pickModel(page, FREE);
      await sendChat(page, 'this one is free');
      await expect(answer(page)).toContainText('this one is free');
      await expect(banner(page)).toBeHidden();
    });

    test('an error frame in the middle of a stream keeps the text so far and shows its typed banner', async ({ page, mock }) => {
      await signIn(page, flow);
      // NanoGPT's Error Handling doc: a failure after streaming began arrives as an error frame.
      const frames = [
        { choices: [{ index: 0, delta: { role: 'assistant', content: 'Half ' } }] },
        { choices: [{ index: 0, delta: { content: 'an answer' } }] },
        { choices: [{ index: 0, delta: {}, finish_reason: 'error' }], error: { status: 429, code: 'daily_usd_limit_exceeded', message: 'Daily USD limit exceeded' } },
      ];
      await page.route(new URL('/api/v1/chat/completions', mock.url).href, (route) =>
        route.fulfill({
          status: 200,
          headers: { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' },
          body: frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join('') + 'data: [DONE]\n\n',
        }));

      await sendChat(page, 'tell me everything');
      await expect(banner(page)).toContainText('reached the spend cap you set for it on NanoGPT');
      await expect(answer(page)).toHaveText('Half an answer');
      await expect(signedIn(page)).toBeVisible();
    });

    test('an empty balance shows the add-funds banner', async ({ page, mock }) => {
      await signIn(page, flow);
      await mock.setBalance(0);

      await pickModel(page, PRICED);
      await sendChat(page, 'no money left');
      await expect(banner(page)).toContainText('balance is too low');
      await expect(banner(page)).toContainText('Add funds');
      await expect(signedIn(page)).toBeVisible();

      await mock.setBalance(5);
      await banner(page).getByRole('button', { name: 'Try again' }).click();
      await expect(answer(page)).toContainText('no money left');
    });
  });
}
