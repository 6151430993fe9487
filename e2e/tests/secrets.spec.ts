import { FLOWS, expect, maskedKey, sendChat, signIn, storedKey, test } from '../support/fixtures.js';

for (const flow of FLOWS) {
  test(`${flow} flow: the key never leaves sessionStorage except masked`, async ({ page, context, mock, consoleMessages }) => {
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    page.on('framenavigated', (frame) => urls.push(frame.url()));

    await signIn(page, flow);
    await sendChat(page, 'is my key safe?');
    await expect(page.locator('#answer')).toContainText('is my key safe?');
    await page.reload();
    await expect(maskedKey(page)).toBeVisible();

    const key = await storedKey(page);
    expect(key, 'the key is kept in sessionStorage').not.toBeNull();
    expect((await mock.inspectKey(key!)).revoked).toBe(false); // it is the real key
    const secret = key!;
    const bare = secret.slice('sk-nano-'.length); // the UUID on its own must not leak either

    const localStorageDump = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(localStorageDump).not.toContain(bare);
    const cookies = JSON.stringify(await context.cookies());
    expect(cookies).not.toContain(bare);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of [...urls, page.url()]) expect(url).not.toContain(bare);

    const html = await page.content();
    expect(html).not.toContain(bare);
    await expect(maskedKey(page)).toHaveText(`sk-nano-…${secret.slice(-4)}`);
    const visibleText = await page.locator('body').innerText();
    expect(visibleText).not.toContain(bare);

    expect(consoleMessages.join('\n')).not.toContain(bare);
  });
}
