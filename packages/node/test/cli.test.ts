import { followConsent } from '@nanogpt-signin/mock-server';
import { maskKey } from '@nanogpt-signin/core';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbackPort, freePort, isListening, modelsStatus } from './helpers.js';
import { credentialsPath, saveCredentials } from '../src/credentials.js';
import { runCliToEnd, spawnCli, URL_LINE } from './cli-helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();
let home: string;
let env: Record<string, string>;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nanogpt-cli-'));
  env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The default profile's file for the mock (credentials are kept per issuer and profile). */
const credentialsFile = (): string => credentialsPath({ env, issuer: mock.url });
const KEY = /sk-nano-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Runs a loopback login and approves it like a browser would. */
async function loopbackLogin(extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = spawnCli(['--no-open', '--issuer', mock.url, ...extra], env);
  const [, url] = await run.waitFor(URL_LINE);
  const location = await followConsent(url ?? '');
  expect((await fetch(location)).status).toBe(200);
  return { code: await run.exit, stdout: run.stdout(), stderr: run.stderr() };
}

async function deviceLogin(): Promise<{ code: number; stderr: string }> {
  const run = spawnCli(['--device', '--no-open', '--issuer', mock.url, '--client-name', 'cli test'], env);
  const [, url] = await run.waitFor(URL_LINE);
  const userCode = new URL(url ?? '').searchParams.get('code');
  await run.waitFor(new RegExp(`code: ${userCode ?? '?'}`));
  await mock.controls.approveDevice(userCode ?? undefined);
  return { code: await run.exit, stderr: run.stderr() };
}

async function storedKey(): Promise<string> {
  return (JSON.parse(await readFile(credentialsFile(), 'utf8')) as { key: string }).key;
}

// Each test spawns several node processes; on a loaded machine that takes seconds, not milliseconds.
describe('nanogpt-login', { timeout: 60_000 }, () => {
  // Bad usage exits 2 (as the mock's CLI does), with one line ending in its [code] and a --help hint.
  it('--help exits 0; a bad flag exits 2 with one line', async () => {
    const help = await runCliToEnd(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('nanogpt-login mint');
    const bad = await runCliToEnd(['--frobnicate'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^nanogpt-login: /);
    expect(bad.stderr).toBe('nanogpt-login: Unknown option --frobnicate. See nanogpt-login --help. [unknown_option]\n');
  });

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runCliToEnd(['--version'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('signs in through the loopback redirect and stores the key 0600 in a 0700 folder', async () => {
    const { code, stdout, stderr } = await loopbackLogin(['--client-name', 'cli loopback']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const key = await storedKey();
    expect(key).toMatch(KEY);
    expect(stderr).toContain(maskKey(key));
    expect(stderr).not.toContain(key);
    expect((await stat(credentialsFile())).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'xdg', 'nanogpt'))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(credentialsFile(), 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ issuer: mock.url, scope: 'models.read api.use', flow: 'loopback' });
    expect(await modelsStatus(mock.url, key)).toBe(200);
  });

  it('--print writes NANOGPT_API_KEY=... to stdout and stores nothing', async () => {
    const { code, stdout, stderr } = await loopbackLogin(['--print']);
    expect(code).toBe(0);
    const match = /^NANOGPT_API_KEY=(sk-nano-\S+)\n$/.exec(stdout);
    expect(match).not.toBeNull();
    expect(stderr).not.toContain(match?.[1] ?? '');
    await expect(stat(credentialsFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('status shows the masked key and checks it; fails once the key is revoked; logout removes it', async () => {
    expect((await loopbackLogin()).code).toBe(0);
    const key = await storedKey();
    const ok = await runCliToEnd(['status'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(maskKey(key));
    expect(ok.stdout).toContain('models.read api.use');
    expect(ok.stdout).toContain(mock.url);
    expect(ok.stdout).toMatch(/works/);
    expect(ok.stdout + ok.stderr).not.toContain(key);

    await mock.controls.revokeKey(key);
    const revoked = await runCliToEnd(['status'], env);
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(/FAILED: invalid_api_key/);

    const out = await runCliToEnd(['logout'], env);
    expect(out.code).toBe(0);
    await expect(stat(credentialsFile())).rejects.toMatchObject({ code: 'ENOENT' });
    const after = await runCliToEnd(['status'], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/Not signed in/);
    expect((await runCliToEnd(['logout'], env)).code).toBe(0);
  });

  it('status exits 1 with network_error when the issuer is unreachable', async () => {
    const port = await freePort();
    await saveCredentials(
      { key: 'sk-nano-00000000-0000-4000-8000-00000000abcd', scope: null, issuer: `http://127.0.0.1:${port}`, createdAt: new Date().toISOString(), flow: 'device' },
      { env },
    );
    const result = await runCliToEnd(['status'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('sk-nano-…abcd');
    expect(result.stderr).toMatch(/\[network_error\]\n$/);
  });

  it('status refuses to send the key to another issuer', async () => {
    expect((await loopbackLogin()).code).toBe(0);
    const other = await runCliToEnd(['status', '--issuer', 'https://nano-gpt.com'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/issuer_mismatch/);
  });

  it('mint from a loopback (OAuth) key fails with advice, exit 1', async () => {
    expect((await loopbackLogin()).code).toBe(0);
    const result = await runCliToEnd(['mint', '--limit', '5'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/source_key_oauth/);
    expect(result.stderr).toMatch(/--device|NANOGPT_SOURCE_KEY/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('device login, then mint a capped key into a 0600 file, and mint --print', async () => {
    const login = await deviceLogin();
    expect(login.code).toBe(0);
    const stored = JSON.parse(await readFile(credentialsFile(), 'utf8')) as { flow: string; key: string };
    expect(stored.flow).toBe('device');
    expect(login.stderr).not.toContain(stored.key);

    const nextYear = new Date().getUTCFullYear() + 1;
    const minted = await runCliToEnd(['mint', '--limit', '5', '--period', 'daily', '--expires', `${nextYear}-12-31`, '--label', 'my agent'], env);
    expect(minted.code).toBe(0);
    expect(minted.stdout).toBe('');
    expect(minted.stderr).not.toMatch(KEY);
    const keysDir = join(home, 'xdg', 'nanogpt', 'keys');
    expect(await readdir(keysDir)).toEqual(['my-agent.env']);
    expect((await stat(join(keysDir, 'my-agent.env'))).mode & 0o777).toBe(0o600);
    const envFile = await readFile(join(keysDir, 'my-agent.env'), 'utf8');
    const key = /^NANOGPT_API_KEY=(\S+)\n$/.exec(envFile)?.[1] ?? '';
    expect(minted.stderr).toContain(maskKey(key));
    const inspected = await mock.controls.inspectKey(key);
    expect(inspected).toMatchObject({ limit: 5, usageLimitType: 'daily' });
    expect(inspected.expiresAt).toBe(`${nextYear}-12-31T23:59:59.999Z`);
    expect(inspected.name).toContain('my agent');

    const printed = await runCliToEnd(['mint', '--print', '--label', 'my agent'], env);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^NANOGPT_API_KEY=sk-nano-\S+\n$/);
    expect(await readdir(keysDir)).toEqual(['my-agent.env']);
    const second = await runCliToEnd(['mint', '--label', 'my agent'], env);
    expect(second.code).toBe(0);
    expect((await readdir(keysDir)).sort()).toEqual(['my-agent-2.env', 'my-agent.env']);
  });

  it('mint with NANOGPT_SOURCE_KEY uses that key, and a restricted one fails with exit 1', async () => {
    const { key: source } = await mock.controls.createKey();
    const ok = await runCliToEnd(['mint', '--print', '--limit', '1'], { ...env, NANOGPT_SOURCE_KEY: source, NANOGPT_ISSUER: mock.url });
    expect(ok.code).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(source);
    const { key: restricted } = await mock.controls.createKey({ restrictions: { limit: 1 } });
    const refused = await runCliToEnd(['mint', '--print'], { ...env, NANOGPT_SOURCE_KEY: restricted, NANOGPT_ISSUER: mock.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/source_key_restricted/);
    expect(refused.stdout).toBe('');
  });

  it('hands a key to a waiting `receive` (the minter never holds it)', async () => {
    const { key: source } = await mock.controls.createKey();
    const receiver = spawnCli(['receive', '--issuer', mock.url, '--print'], env);
    const [line] = await receiver.waitForStdout(/^\{.*\}\n/);
    const request = JSON.parse(line ?? '') as Record<string, string>;
    expect(Object.keys(request).sort()).toEqual(['codeChallenge', 'issuer', 'redirectUri', 'state']);
    const minter = await runCliToEnd(['mint', '--to', line ?? '', '--limit', '3', '--label', 'handed'], { ...env, NANOGPT_SOURCE_KEY: source, NANOGPT_ISSUER: mock.url });
    expect(minter.code).toBe(0);
    expect(minter.stdout).toBe('');
    expect(minter.stderr).not.toMatch(KEY);
    expect(await receiver.exit).toBe(0);
    const key = /NANOGPT_API_KEY=(\S+)\n$/.exec(receiver.stdout())?.[1] ?? '';
    expect(key).toMatch(KEY);
    expect(await mock.controls.inspectKey(key)).toMatchObject({ limit: 3, usageLimitType: 'monthly' });
    const bad = await runCliToEnd(['mint', '--to', '{"nope":1}'], { ...env, NANOGPT_SOURCE_KEY: source, NANOGPT_ISSUER: mock.url });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--to needs/);
  });

  it('mint without a stored key fails with exit 1', async () => {
    const result = await runCliToEnd(['mint'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Not signed in/);
  });

  it('exits 1 on timeout with a one-line reason', async () => {
    const result = await runCliToEnd(['--no-open', '--issuer', mock.url, '--timeout', '1'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nanogpt-login: Timed out .* \[timeout\]\n$/);
  });

  it('exits 1 when the user denies', async () => {
    const run = spawnCli(['--no-open', '--issuer', mock.url], env);
    const [, url] = await run.waitFor(URL_LINE);
    await fetch(await followConsent(url ?? '', { decision: 'deny' }));
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/\[access_denied\]/);
  });

  it('Ctrl-C closes the loopback server and exits 130', async () => {
    const run = spawnCli(['--no-open', '--issuer', mock.url], env);
    const [, url] = await run.waitFor(URL_LINE);
    const port = callbackPort(url ?? '');
    expect(await isListening(port)).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toContain('nanogpt-login: interrupted.');
    expect(await isListening(port)).toBe(false);
  });

  it('Ctrl-C during a device login exits 130', async () => {
    const run = spawnCli(['--device', '--no-open', '--issuer', mock.url], env);
    await run.waitFor(URL_LINE);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    // Printed by the CLI's own handler: a process merely killed by SIGINT also "exits 130".
    expect(run.stderr()).toContain('nanogpt-login: interrupted.');
    await expect(stat(credentialsFile())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('prints a plain progress line when stderr is not a terminal', async () => {
    const run = spawnCli(['--no-open', '--issuer', mock.url, '--timeout', '60'], env);
    await run.waitFor(/Waiting for you to approve in the browser \(times out in 1:00\)\n/);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toContain('nanogpt-login: interrupted.');
    expect(run.stderr()).not.toContain('\r');
  });
});
