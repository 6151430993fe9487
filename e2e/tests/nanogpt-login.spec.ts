import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentialsPath } from '@nanogpt-signin/node';
import { approveButton, denyButton, expect, KEY_PATTERN, test } from '../support/fixtures.js';

/**
 * `nanogpt-login` with Playwright's Chromium as the user's browser: the CLI runs with --no-open,
 * the test reads the URL it prints, and the page plays the user on NanoGPT's consent screen.
 */
const CLI = fileURLToPath(new URL('../../packages/node/dist/cli.js', import.meta.url));
const URL_LINE = /Open this URL to sign in: (\S+)\n/;

interface Cli {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr(): string;
  url: Promise<string>;
}

function startCli(args: string[], home: string): Cli {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = URL_LINE.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    void exit.then(() => reject(new Error(`nanogpt-login exited before printing the URL:\n${stderr}`)));
  });
  return { child, exit, stderr: () => stderr, url };
}

// Spawning a CLI and a browser on a busy CI machine takes a while; nothing here is timed.
test.describe.configure({ timeout: 90_000 });

let home = '';
test.beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nanogpt-login-e2e-'));
});
test.afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

test('nanogpt-login: approve in the browser, the key is stored 0600 and works', async ({ page, servers }) => {
  const cli = startCli(['--no-open', '--issuer', servers.mockUrl, '--client-name', 'e2e nanogpt-login'], home);
  try {
    const url = await cli.url;
    expect(url.startsWith(`${servers.mockUrl}/auth?`)).toBe(true);
    const callback = new URL(new URL(url).searchParams.get('callback_url') ?? '');

    await page.goto(url);
    await expect(page.getByText('e2e nanogpt-login').first()).toBeVisible();
    await approveButton(page).click();

    // The consent form's redirect lands on the CLI's loopback server, which shows its own page.
    await expect(page.getByRole('heading', { name: 'Signed in to NanoGPT' })).toBeVisible();
    expect(page.url().startsWith(`${callback.origin}/callback?`)).toBe(true);
    expect(await cli.exit).toBe(0);

    const file = credentialsPath({ env: { XDG_CONFIG_HOME: join(home, 'xdg') }, issuer: servers.mockUrl });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'xdg', 'nanogpt'))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { key: string; issuer: string; scope: string };
    expect(stored.key).toMatch(KEY_PATTERN);
    expect(stored.issuer).toBe(servers.mockUrl);
    expect(cli.stderr()).not.toContain(stored.key);
    expect(await page.content()).not.toContain(stored.key);

    // The key works: /api/v1/usage authenticates (the model list is public and would answer any key),
    // and answers for the calling key only; an unknown key of the same shape is refused.
    const usage = (key: string) => fetch(`${servers.mockUrl}/api/v1/usage`, { headers: { Authorization: `Bearer ${key}` } });
    const answer = await usage(stored.key);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ object: 'usage', scope: 'current_key', totals: { requests: 0 } });
    expect((await usage('sk-nano-00000000-0000-4000-8000-000000000000')).status).toBe(401);
  } finally {
    cli.child.kill('SIGINT');
  }
});

test('nanogpt-login: deny in the browser, the CLI exits 1 and stores nothing', async ({ page, servers }) => {
  const cli = startCli(['--no-open', '--issuer', servers.mockUrl], home);
  try {
    await page.goto(await cli.url);
    await denyButton(page).click();
    await expect(page.getByRole('heading', { name: 'Sign-in cancelled' })).toBeVisible();
    expect(await cli.exit).toBe(1);
    expect(cli.stderr()).toMatch(/\[access_denied\]/);
    await expect(stat(credentialsPath({ env: { XDG_CONFIG_HOME: join(home, 'xdg') }, issuer: servers.mockUrl }))).rejects.toMatchObject({ code: 'ENOENT' });
  } finally {
    cli.child.kill('SIGINT');
  }
});
