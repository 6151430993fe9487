import { followConsent } from '@nanogpt-signin/mock-server';
import { fetchUsage, maskKey } from '@nanogpt-signin/core';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsPath, loadCredentials, saveCredentials, type CredentialFlow } from '../src/credentials.js';
import { CLI, runCliToEnd, spawnCli, URL_LINE, type SpawnOptions } from './cli-helpers.js';
import { freePort } from './helpers.js';
import { useMockServer } from './use-mock.js';

/*
 * The agent-facing CLI: exec, mint -- <command>, --env-file, profiles, the issuer check before a
 * sign-in, the replace-device-key question, usage errors. Also the README's recipes.
 */

const mock = useMockServer();
const CHILD = fileURLToPath(new URL('./fixtures/child.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The bin as pnpm installed it for a workspace package that depends on @nanogpt-signin/node. */
const INSTALLED_BIN = join(REPO, 'e2e', 'node_modules', '.bin', 'nanogpt-login');

let home: string;
let env: Record<string, string>;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nanogpt-agent-'));
  env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

interface ChildReport {
  key: string | null;
  baseUrl: string | null;
  sourceKey: string | null;
  argv: string[];
  stdin: string;
}

const report = (stdout: string): ChildReport => JSON.parse(stdout) as ChildReport;

/** Stores a key of the mock's test account (dashboard keys may mint) under the default profile. */
async function storeKey(flow: CredentialFlow = 'device', profile?: string): Promise<string> {
  const { key } = await mock.controls.createKey();
  await saveCredentials({ key, scope: null, issuer: mock.url, createdAt: new Date().toISOString(), flow }, { env, profile });
  return key;
}

/** Every file under `dir` whose contents include `text`. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path, 'utf8')).includes(text)) found.push(path);
  }
  return found;
}

/** A loopback login approved like a browser would; resolves with the run's end. */
async function approvedLogin(args: string[], options: SpawnOptions = {}): Promise<{ code: number; stderr: string }> {
  const run = spawnCli(args, env, options);
  const [, url] = await run.waitFor(URL_LINE);
  expect((await fetch(await followConsent(url ?? ''))).status).toBe(200);
  return { code: await run.exit, stderr: run.stderr() };
}

describe('nanogpt-login for agents', { timeout: 60_000 }, () => {
  it('exec: the key only in the command environment; exit code and stdin pass through (the MCP recipe)', async () => {
    const key = await storeKey();
    const result = await runCliToEnd(['exec', '--', process.execPath, CHILD, 'echo', '7'], { ...env, NANOGPT_SOURCE_KEY: 'sk-nano-not-for-the-child' }, { input: 'from stdin' });
    expect(result.code).toBe(7);
    const child = report(result.stdout);
    expect(child.key).toBe(key);
    expect(child.baseUrl).toBe(mock.url);
    expect(child.sourceKey).toBeNull();
    expect(child.stdin).toBe('from stdin');
    expect(child.argv.join(' ')).not.toContain(key);
    expect(result.stderr).not.toContain(key);
    // The only file holding the key is the credentials file it came from.
    expect(await filesContaining(home, key)).toEqual([credentialsPath({ env, issuer: mock.url })]);
  });

  it('exec: a command killed by a signal ends nanogpt-login with the same signal; a missing command exits 127', async () => {
    await storeKey();
    const killed = spawnCli(['exec', '--', process.execPath, CHILD, 'signal', 'SIGTERM'], env);
    expect(await killed.killedBy).toBe('SIGTERM');
    const missing = await runCliToEnd(['exec', '--', 'no-such-command-here'], env);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe('nanogpt-login: Command not found: no-such-command-here. [command_failed]\n');
  });

  it('exec signs in first when nothing is stored: device login in a headless session, then the command runs', async () => {
    const run = spawnCli(['exec', '--issuer', mock.url, '--client-name', 'exec test', '--', process.execPath, CHILD, 'report'], { ...env, SSH_CONNECTION: '10.0.0.2 5 10.0.0.1 22' });
    const [, url] = await run.waitFor(URL_LINE);
    const userCode = new URL(url ?? '').searchParams.get('code') ?? '';
    await run.waitFor(new RegExp(`code: ${userCode}`));
    await mock.controls.approveDevice(userCode);
    expect(await run.exit).toBe(0);
    const child = report(run.stdout());
    expect((await loadCredentials({ env, issuer: mock.url }))?.key).toBe(child.key);
    expect((await mock.controls.inspectKey(child.key ?? '')).name).toBe('CLI (exec test)');
    expect(run.stderr()).not.toContain(child.key ?? '<none>');
  });

  it('mint -- <command>: the command runs on its own capped key, expiring in 24 h by default (the agent recipe)', async () => {
    const source = await storeKey();
    const before = Date.now();
    const result = await runCliToEnd(['mint', '--limit', '2', '--period', 'daily', '--label', 'refactor run', '--', process.execPath, CHILD, 'report', '3'], env);
    const after = Date.now();
    expect(result.code).toBe(3);
    const child = report(result.stdout);
    expect(child.key).not.toBe(source);
    expect(child.baseUrl).toBe(mock.url);
    const inspected = await mock.controls.inspectKey(child.key ?? '');
    expect(inspected).toMatchObject({ limit: 2, usageLimitType: 'daily' });
    expect(inspected.name).toContain('refactor run');
    const expires = Date.parse(inspected.expiresAt ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + 24 * 3600 * 1000);
    expect(expires).toBeLessThanOrEqual(after + 24 * 3600 * 1000);
    expect(result.stderr).toContain(maskKey(child.key ?? ''));
    expect(result.stderr).not.toContain(child.key ?? '<none>');
    // Saved nowhere: no key file, and the new key is in no file at all.
    expect(await filesContaining(home, child.key ?? '<none>')).toEqual([]);
  });

  it('mint -- <command> keeps the source key from the command; status inside the run shows the cap', async () => {
    const { key: source } = await mock.controls.createKey();
    const result = await runCliToEnd(
      ['mint', '--limit', '1', '--expires', '2099-12-31', '--label', 'capped', '--', process.execPath, CLI, 'status', '--key-from-env'],
      { ...env, NANOGPT_SOURCE_KEY: source, NANOGPT_ISSUER: mock.url },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(source);
    expect(result.stdout).toMatch(/^cap: {5}\$1 monthly$/m);
    expect(result.stdout).toMatch(/^expires: 2099-12-31T23:59:59\.999Z$/m);
    expect(result.stdout).toMatch(/^label: {3}capped$/m);
    expect(result.stdout).toMatch(/^check: {3}works/m);
  });

  it('--env-file updates NANOGPT_API_KEY in place, keeps every other line, mode 0600; creates a missing file', async () => {
    await storeKey();
    const file = join(home, '.env');
    await writeFile(file, 'FIRST=1\n# a comment\nexport NANOGPT_API_KEY=old\nLAST="two words"\n');
    await chmod(file, 0o644);
    const updated = await runCliToEnd(['mint', '--label', 'env file', '--env-file', file], env);
    expect(updated.code).toBe(0);
    const lines = (await readFile(file, 'utf8')).split('\n');
    const key = /^export NANOGPT_API_KEY=(sk-nano-\S+)$/.exec(lines[2] ?? '')?.[1] ?? '';
    expect(lines).toEqual(['FIRST=1', '# a comment', `export NANOGPT_API_KEY=${key}`, 'LAST="two words"', '']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(updated.stderr).not.toContain(key);
    expect(await readdir(home)).toEqual(['.env', 'xdg']);

    const fresh = join(home, 'new.env');
    const created = await runCliToEnd(['mint', '--env-file', fresh], env);
    expect(created.code).toBe(0);
    expect(await readFile(fresh, 'utf8')).toMatch(/^NANOGPT_API_KEY=sk-nano-\S+\n$/);
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);

    // The minted key's cap and expiry, recorded at mint time, are shown by status for that file.
    const status = await runCliToEnd(['status', '--env-file', file], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^label: {3}env file$/m);
    expect(status.stdout).toMatch(/^cap: {5}none$/m);
  });

  it('--env-file refuses a file that git tracks, before signing in', async () => {
    await storeKey();
    const repo = join(home, 'project');
    await mkdir(repo);
    await writeFile(join(repo, '.env'), 'A=1\n');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', '.env'], { cwd: repo });
    const minted = await runCliToEnd(['mint', '--env-file', join(repo, '.env')], env);
    expect(minted.code).toBe(1);
    expect(minted.stderr).toMatch(/is tracked by git; refusing to write a key into it .* \[env_file_tracked\]\n$/);
    const login = await runCliToEnd(['--no-open', '--issuer', mock.url, '--env-file', join(repo, '.env')], env);
    expect(login.code).toBe(1);
    expect(login.stderr).not.toMatch(URL_LINE);
    expect(await readFile(join(repo, '.env'), 'utf8')).toBe('A=1\n');
  });

  it('login --env-file with a missing file works through the installed bin (Node would take the flag for itself)', async () => {
    expect((await stat(INSTALLED_BIN)).isFile()).toBe(true);
    const file = join(home, 'missing.env');
    const { code } = await approvedLogin(['--no-open', '--issuer', mock.url, '--env-file', file], { start: [INSTALLED_BIN] });
    expect(code).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^NANOGPT_API_KEY=sk-nano-\S+\n$/);
    // --env-file is a destination like --print: nothing stored besides.
    expect(await loadCredentials({ env, issuer: mock.url })).toBeNull();
  });

  it('login --env-file with a missing file works through the root `pnpm nanogpt-login --`', async () => {
    const file = join(home, 'via-pnpm.env');
    const { code } = await approvedLogin(['--', '--no-open', '--issuer', mock.url, '--env-file', file], { start: ['pnpm', '-s', 'nanogpt-login'], cwd: REPO });
    expect(code).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^NANOGPT_API_KEY=sk-nano-\S+\n$/);
  });

  it('the root `pnpm nanogpt-login` echoes one short command line and passes the arguments through', async () => {
    const result = await runCliToEnd(['--issuer', mock.url, '--help'], env, { start: ['pnpm', 'nanogpt-login'], cwd: REPO });
    expect(result.code).toBe(0);
    // The build-when-stale check and the trap live in scripts/nanogpt-login.sh, not in this line.
    expect(result.stdout).toContain(`\n> exec sh scripts/nanogpt-login.sh --issuer ${mock.url} --help\n`);
    expect(result.stdout).toContain('Usage: nanogpt-login [options]');
  });

  it('fails at once with the same line in every mode when the issuer is unreachable', async () => {
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const line = `nanogpt-login: Cannot sign in at ${issuer}: the server cannot be reached (ECONNREFUSED). [issuer_unavailable]\n`;
    const modes = [['--no-open'], ['--no-open', '--standard'], ['--device', '--no-open'], ['exec', '--no-open', '--issuer', issuer, '--', 'true']];
    for (const args of modes) {
      const result = await runCliToEnd(args.includes('exec') ? args : [...args, '--issuer', issuer], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(line);
    }
  });

  it('asks before replacing a stored device key with a browser key; --force does not ask', async () => {
    const deviceKey = await storeKey('device');
    const declined = await runCliToEnd(['--no-open', '--issuer', mock.url], env, { input: 'n\n' });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Replace it? [y/N]');
    expect(declined.stderr).toContain('[replace_declined]');
    expect(declined.stderr).not.toMatch(URL_LINE);
    const noAnswer = await runCliToEnd(['--no-open', '--issuer', mock.url], env);
    expect(noAnswer.code).toBe(1);
    expect((await loadCredentials({ env, issuer: mock.url }))?.key).toBe(deviceKey);

    const accepted = await approvedLogin(['--no-open', '--issuer', mock.url], { input: 'y\n' });
    expect(accepted.code).toBe(0);
    expect(await loadCredentials({ env, issuer: mock.url })).toMatchObject({ flow: 'loopback' });

    await storeKey('device');
    const forced = await approvedLogin(['--no-open', '--issuer', mock.url, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).not.toContain('Replace it?');
    expect(await loadCredentials({ env, issuer: mock.url })).toMatchObject({ flow: 'loopback' });
  });

  it('a device key under another profile is kept side by side with a browser key', async () => {
    const deviceKey = await storeKey('device', 'minting');
    const login = await approvedLogin(['--no-open', '--issuer', mock.url]);
    expect(login.code).toBe(0);
    expect((await loadCredentials({ env, issuer: mock.url, profile: 'minting' }))?.key).toBe(deviceKey);
    const minted = await runCliToEnd(['mint', '--profile', 'minting', '--print'], env);
    expect(minted.code).toBe(0);
    const status = await runCliToEnd(['status', '--profile', 'minting'], env);
    expect(status.stdout).toContain(maskKey(deviceKey));
    expect(status.stdout).toMatch(/^profile: minting$/m);
  });

  it('status shows the spend and requests of the last 30 days from /api/v1/usage', async () => {
    const key = await storeKey();
    const usage = await fetchUsage({ issuer: mock.url, key });
    const result = await runCliToEnd(['status'], env);
    expect(result.code).toBe(0);
    const requests = usage.totals.requests;
    expect(result.stdout).toContain(`spend:   $${usage.totals.netCostUsd.toFixed(4)} in ${requests} request${requests === 1 ? '' : 's'}, ${usage.from} to ${usage.to} (UTC)\n`);
    const days = (Date.parse(usage.to) - Date.parse(usage.from)) / 86_400_000 + 1;
    expect(days).toBe(30);
  });

  it('usage errors: one line with our own message, a --help hint and a [code]; exit 2', async () => {
    const cases: [string[], string][] = [
      [['mint', '--limit', '-3'], 'nanogpt-login: --limit needs an amount in USD, 0 or more, like 5 or 2.50. See nanogpt-login --help. [invalid_value]\n'],
      [['exec'], 'nanogpt-login: Name the command to run: nanogpt-login exec [options] -- <command> [args...]. See nanogpt-login --help. [missing_command]\n'],
      [['mint', '--limit'], 'nanogpt-login: --limit needs a value (one starting with "-" is written --limit=-VALUE). See nanogpt-login --help. [missing_value]\n'],
      [['status', 'now'], 'nanogpt-login: Unexpected argument "now". See nanogpt-login --help. [unexpected_argument]\n'],
      [['mint', '--print', '--', 'env'], 'nanogpt-login: Use only one of --print, -- <command>. See nanogpt-login --help. [conflicting_options]\n'],
      [['--profile', '../x'], 'nanogpt-login: --profile needs a name of 1 to 64 letters, digits, "_", "." or "-". See nanogpt-login --help. [invalid_value]\n'],
      [['--issuer', 'https://example.com/x'], 'nanogpt-login: --issuer must be a plain origin like https://nano-gpt.com. See nanogpt-login --help. [invalid_value]\n'],
    ];
    for (const [args, line] of cases) {
      const result = await runCliToEnd(args, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(line);
    }
    // The mock's CLI answers bad usage with the same exit code.
    const mockCli = fileURLToPath(new URL('../../mock-server/dist/cli.js', import.meta.url));
    expect((await runCliToEnd(['--frobnicate'], env, { start: [process.execPath, mockCli] })).code).toBe(2);
  });
});
