import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, defineConfig, type LaunchOptions } from '@playwright/test';
import { freePorts } from './free-ports.js';

/**
 * Each worker gets its own mock server + demo pair, so tests that reset the
 * mock or read its counters never see another worker's traffic.
 */
export const PAIRS = 2;
const ports = freePorts('NANOGPT_E2E_PORTS', PAIRS * 2);
const repo = fileURLToPath(new URL('..', import.meta.url));
const outDir = (i: number) => `node_modules/.cache/e2e-demo-${i}`;
const servers = Array.from({ length: PAIRS }, (_, i) => {
  const mockPort = ports[2 * i]!;
  const demoPort = ports[2 * i + 1]!;
  return { mockUrl: `http://127.0.0.1:${mockPort}`, demoUrl: `http://127.0.0.1:${demoPort}`, mockPort, demoPort };
});
process.env.NANOGPT_E2E_SERVERS = JSON.stringify(servers.map(({ mockUrl, demoUrl }) => ({ mockUrl, demoUrl })));

function browserLaunchOptions(): LaunchOptions {
  const system = '/usr/bin/chromium';
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'];
  if (existsSync(system)) return { executablePath: system, args };
  if (existsSync(chromium.executablePath())) return { args };
  console.error('No Chromium found: install one with `apt-get install chromium` or `pnpm --filter @nanogpt-signin/e2e exec playwright install chromium`.');
  process.exit(1);
}

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  workers: PAIRS,
  forbidOnly: true,
  retries: 0,
  // Upper bounds for auto-waiting on a small shared machine (2 cores); nothing waits for a fixed time.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    browserName: 'chromium',
    launchOptions: browserLaunchOptions(),
    trace: process.env.NANOGPT_E2E_TRACE ? 'retain-on-failure' : 'off',
    screenshot: 'only-on-failure',
  },
  webServer: servers.flatMap(({ mockUrl, mockPort, demoPort }, i) => [
    {
      command: `node packages/mock-server/dist/cli.js --port ${mockPort}`,
      cwd: repo,
      url: `${mockUrl}/.well-known/oauth-authorization-server`,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      timeout: 30_000,
    },
    {
      // The production build (what apps ship), served by `vite preview`; one build per issuer.
      command: [
        `node node_modules/vite/bin/vite.js build --outDir ${outDir(i)} --emptyOutDir --logLevel warn`,
        `node node_modules/vite/bin/vite.js preview --outDir ${outDir(i)} --port ${demoPort} --strictPort`,
      ].join(' && '),
      cwd: `${repo}/demo-app`,
      env: { VITE_NANOGPT_ISSUER: mockUrl },
      url: `http://127.0.0.1:${demoPort}/`,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      timeout: 60_000,
    },
  ]),
});
