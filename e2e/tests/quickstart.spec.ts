import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { freePorts } from '../free-ports.js';
import { approveButton, denyButton, expect, test } from '../support/fixtures.js';

const repo = new URL('../../', import.meta.url);

/** The first ```ts block after `heading` in a README: the text that runs below, never a copy. */
function snippetAfter(readme: string, heading: string): string {
  const text = readFileSync(new URL(readme, repo), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(text.indexOf(heading)));
  if (!block) throw new Error(`no ts block after "${heading}" in ${readme}`);
  return block[1]!;
}

test.describe('the Quick start, as pasted into a fresh Vite vanilla-TS app', () => {
  const snippet = snippetAfter('packages/core/README.md', '## Quick start (SPA)');
  let vite: ViteDevServer;
  let appUrl: string;

  test.beforeAll(async ({ servers }, workerInfo) => {
    // A fresh app in the e2e package (so `@nanogpt-signin/core` resolves), pointed at this worker's mock:
    // the only change to the README's text is the issuer.
    const root = fileURLToPath(new URL(`../node_modules/.cache/quickstart-${workerInfo.parallelIndex}/`, import.meta.url));
    rmSync(root, { recursive: true, force: true });
    mkdirSync(`${root}src`, { recursive: true });
    writeFileSync(`${root}index.html`, '<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>Quick start</title></head>\n<body><script type="module" src="/src/main.ts"></script></body></html>\n');
    writeFileSync(`${root}src/main.ts`, snippet.replace("'https://nano-gpt.com'", JSON.stringify(servers.mockUrl)));
    const [port] = freePorts(`NANOGPT_E2E_QUICKSTART_PORT_${workerInfo.parallelIndex}`, 1);
    vite = await createServer({ root, configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port, strictPort: true } });
    await vite.listen();
    appUrl = `http://127.0.0.1:${port}/`;
  });
  test.afterAll(async () => vite?.close());

  test('the root README and the core README hold the same Quick start', () => {
    expect(snippetAfter('README.md', '## In your app')).toBe(snippet);
    expect(snippet).toContain("issuer: 'https://nano-gpt.com'");
  });

  test('first visit signed out, back from consent signed in, reload stays, Deny says cancelled and the button still works', async ({ page, mock }) => {
    const status = page.getByRole('paragraph');
    const button = page.getByRole('button');
    await page.goto(appUrl);
    await expect(status).toHaveText('Signed out'); // and no uncaught error (the fixture checks)
    await expect(button).toHaveText('Sign in with NanoGPT');

    await button.click();
    await approveButton(page).click();
    await expect(status).toHaveText(/^Signed in as sk-nano-…[0-9a-f]{4}$/);
    await expect(page.getByRole('listitem').first()).toBeVisible(); // the model list, fetched with the key
    expect(new URL(page.url()).search).toBe('');
    expect(await mock.counters()).toMatchObject({ tokenRequests: 1, keysMinted: 1 });

    await page.reload();
    await expect(status).toHaveText(/^Signed in as /);

    await button.click(); // Sign out
    await expect(status).toHaveText('Signed out');
    await button.click();
    await denyButton(page).click();
    await expect(status).toHaveText('Sign-in cancelled.');
    await expect(button).toHaveText('Sign in with NanoGPT');
    await button.click();
    await expect(approveButton(page)).toBeVisible();
  });
});
