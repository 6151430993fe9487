import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { freePorts } from '../free-ports.js';
import { approveButton, expect, signInButton, test } from '../support/fixtures.js';

// examples/react, served by Vite's dev server (StrictMode on, as in the example) against this worker's mock.
let vite: ViteDevServer;
let appUrl: string;

test.beforeAll(async ({ servers }, workerInfo) => {
  const root = fileURLToPath(new URL('../../examples/react/', import.meta.url));
  const [port] = freePorts(`NANOGPT_E2E_REACT_PORT_${workerInfo.parallelIndex}`, 1);
  process.env.VITE_NANOGPT_ISSUER = servers.mockUrl; // read by Vite like any VITE_* variable
  vite = await createServer({ root, logLevel: 'silent', server: { port, strictPort: true } });
  await vite.listen();
  appUrl = `http://127.0.0.1:${port}/`;
});
test.afterAll(async () => vite?.close());

test('examples/react under StrictMode: signs in with the element, exchanging the code exactly once', async ({ page, mock }) => {
  const exchanges: string[] = [];
  page.on('request', (request) => request.url().endsWith('/api/v1/auth/keys') && exchanges.push(request.method()));
  await page.goto(appUrl);
  const status = page.locator('main > p');
  await expect(status).toHaveText('Signed out');

  await signInButton(page).click();
  await approveButton(page).click();
  await expect(status).toHaveText(/^Signed in as sk-nano-…[0-9a-f]{4}$/);
  await expect(page.getByRole('list', { name: 'Models' }).getByRole('listitem').first()).toBeVisible();
  expect(exchanges).toEqual(['POST']);
  expect(await mock.counters()).toMatchObject({ tokenRequests: 1, codesRedeemed: 1, keysMinted: 1 });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(status).toHaveText('Signed out');
});
