import { followConsent } from '@nanogpt-signin/mock-server';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseTransport, getKey, type GetKeyOptions, type SignInPrompt } from '../src/get-key.js';
import { loadCredentials, saveCredentials } from '../src/credentials.js';
import { checkNanoGptIssuer } from '../src/issuer-check.js';
import { deferred, firstReport, freePort, holdSleeps } from './helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nanogpt-getkey-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A desktop (a display, not remote): getKey picks the browser sign-in. */
const DESKTOP = { DISPLAY: ':0' };
/** An SSH session without a display: getKey picks device login. */
const SSH = { SSH_CONNECTION: '10.0.0.2 50000 10.0.0.1 22' };

/** getKey against the mock with a private credentials folder; prompts are collected. */
function options(extra: Partial<GetKeyOptions> = {}): GetKeyOptions & { prompts: SignInPrompt[] } {
  const prompts: SignInPrompt[] = [];
  return { clientName: 'getKey test', issuer: mock.url, configDir: dir, env: {}, onPrompt: (prompt) => prompts.push(prompt), prompts, ...extra };
}

/** Runs getKey with device login approved through the mock as soon as the user code is shown. */
async function getKeyByDevice(extra: Partial<GetKeyOptions>): Promise<{ key: string; prompts: SignInPrompt[] }> {
  const shown = deferred<SignInPrompt>();
  const held = holdSleeps((ms) => mock.controls.advanceClock(ms / 1000));
  const prompts: SignInPrompt[] = [];
  const result = getKey(options({ ...extra, sleep: held.sleep, onPrompt: (prompt) => (prompts.push(prompt), shown.resolve(prompt)) }));
  const prompt = await firstReport(shown.promise, result);
  expect(prompt.transport).toBe('device');
  if (prompt.transport === 'device') await mock.controls.approveDevice(prompt.userCode);
  await held.wake();
  return { key: await result, prompts };
}

describe('chooseTransport', () => {
  it('picks device login for SSH, CI and a Linux without a display; the browser otherwise', () => {
    expect(chooseTransport(SSH, 'linux').transport).toBe('device');
    expect(chooseTransport({ ...SSH, DISPLAY: ':10' }, 'linux').transport).toBe('device');
    expect(chooseTransport({ SSH_TTY: '/dev/pts/1' }, 'darwin').transport).toBe('device');
    expect(chooseTransport({ CI: 'true', DISPLAY: ':0' }, 'linux').transport).toBe('device');
    expect(chooseTransport({}, 'linux').transport).toBe('device');
    expect(chooseTransport(DESKTOP, 'linux').transport).toBe('loopback');
    expect(chooseTransport({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux').transport).toBe('loopback');
    expect(chooseTransport({}, 'darwin').transport).toBe('loopback');
  });
});

describe('getKey against the mock', { timeout: 30_000 }, () => {
  it('returns a stored key that works without any prompt', async () => {
    const { key } = await mock.controls.createKey();
    await saveCredentials({ key, scope: null, issuer: mock.url, createdAt: new Date().toISOString(), flow: 'device' }, { configDir: dir });
    const run = options();
    expect(await getKey(run)).toBe(key);
    expect(run.prompts).toEqual([]);
    expect((await mock.controls.pending()).deviceLogins).toEqual([]);
  });

  it('drops a revoked stored key and signs in again (device login when headless), storing the new key', async () => {
    const { key: revoked } = await mock.controls.createKey();
    await saveCredentials({ key: revoked, scope: null, issuer: mock.url, createdAt: new Date().toISOString(), flow: 'device' }, { configDir: dir });
    await mock.controls.revokeKey(revoked);
    const { key, prompts } = await getKeyByDevice({ env: SSH });
    expect(key).not.toBe(revoked);
    expect((await mock.controls.inspectKey(key)).kind).toBe('cli');
    expect(prompts).toHaveLength(1);
    // What the user needs, and nothing secret: never the device code.
    expect(Object.keys(prompts[0] ?? {}).sort()).toEqual(['expiresIn', 'transport', 'url', 'userCode']);
    expect(await loadCredentials({ configDir: dir, issuer: mock.url })).toMatchObject({ key, flow: 'device' });
  });

  it('signs in through the browser on a desktop, and prompts with the URL it opened', async () => {
    const opened: string[] = [];
    const run = options({
      env: DESKTOP,
      // Plays the user's browser: approve on the consent page, follow the redirect to the loopback server.
      openBrowser: async (url) => {
        opened.push(url);
        void followConsent(url).then((location) => fetch(location));
      },
    });
    const key = await getKey(run);
    expect((await mock.controls.inspectKey(key)).kind).toBe('oauth');
    expect(opened).toHaveLength(1);
    expect(run.prompts).toEqual([{ transport: 'loopback', url: opened[0], browserOpened: true }]);
    expect(await loadCredentials({ configDir: dir, issuer: mock.url })).toMatchObject({ key, flow: 'loopback' });
  });

  it('falls back to device login when the browser cannot be launched', async () => {
    const { key, prompts } = await getKeyByDevice({
      env: DESKTOP,
      openBrowser: () => {
        throw new Error('no browser here');
      },
    });
    expect((await mock.controls.inspectKey(key)).kind).toBe('cli');
    // The loopback URL was never shown: the user could not have used it.
    expect(prompts.map((prompt) => prompt.transport)).toEqual(['device']);
  });

  it('store: false neither reads nor writes credentials', async () => {
    const { key: stored } = await mock.controls.createKey();
    await saveCredentials({ key: stored, scope: null, issuer: mock.url, createdAt: new Date().toISOString(), flow: 'device' }, { configDir: dir, profile: 'other' });
    const before = await readdir(dir, { recursive: true });
    const { key } = await getKeyByDevice({ store: false, transport: 'device', profile: 'other' });
    expect(key).not.toBe(stored);
    expect(await readdir(dir, { recursive: true })).toEqual(before);
  });

  it('keeps keys per profile and per issuer', async () => {
    const { key: work } = await mock.controls.createKey();
    const { key: play } = await mock.controls.createKey();
    const createdAt = new Date().toISOString();
    await saveCredentials({ key: work, scope: null, issuer: mock.url, createdAt, flow: 'device' }, { configDir: dir, profile: 'work' });
    await saveCredentials({ key: play, scope: null, issuer: mock.url, createdAt, flow: 'loopback' }, { configDir: dir });
    await saveCredentials({ key: 'sk-nano-00000000-0000-4000-8000-000000000009', scope: null, issuer: 'https://nano-gpt.com', createdAt, flow: 'device' }, { configDir: dir, profile: 'work' });
    expect(await getKey(options({ profile: 'work' }))).toBe(work);
    expect(await getKey(options())).toBe(play);
    expect((await loadCredentials({ configDir: dir, profile: 'work', issuer: 'https://nano-gpt.com' }))?.key).toBe('sk-nano-00000000-0000-4000-8000-000000000009');
  });

  it('fails at once, before any prompt, when the issuer is unreachable or not NanoGPT', async () => {
    const port = await freePort();
    const unreachable = options({ issuer: `http://127.0.0.1:${port}`, transport: 'device' });
    await expect(getKey(unreachable)).rejects.toMatchObject({ code: 'issuer_unavailable', message: `Cannot sign in at http://127.0.0.1:${port}: the server cannot be reached (ECONNREFUSED).` });
    expect(unreachable.prompts).toEqual([]);

    const other: Server = createServer((_, response) => response.writeHead(404).end('not here'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const address = other.address();
      const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const notNanoGpt = options({ issuer, env: DESKTOP, openBrowser: () => undefined });
      await expect(getKey(notNanoGpt)).rejects.toMatchObject({ code: 'issuer_unavailable', message: `Cannot sign in at ${issuer}: it does not answer NanoGPT discovery (HTTP 404 for /.well-known/oauth-authorization-server).` });
      expect(notNanoGpt.prompts).toEqual([]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    await expect(checkNanoGptIssuer(mock.url)).resolves.toBeUndefined();
  });
});
