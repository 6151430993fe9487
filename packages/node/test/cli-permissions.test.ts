import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveCredentials } from '../src/credentials.js';
import { runCliToEnd } from './cli-helpers.js';
import { deviceStart, startHostileServer, VALID_KEY } from './hostile-server.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nanogpt-perm-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('nanogpt-login and the permissions of its files', { timeout: 30_000 }, () => {
  it('status refuses a credentials file others can read, with the chmod 600 command', async () => {
    const env = { HOME: home, NANOGPT_CONFIG_DIR: join(home, 'config') };
    const path = await saveCredentials({ key: VALID_KEY, scope: null, issuer: 'http://127.0.0.1:1', createdAt: new Date().toISOString(), flow: 'device' }, { env });
    await chmod(path, 0o644);
    const result = await runCliToEnd(['status'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`chmod 600 '${path}'`);
    expect(result.stderr).toMatch(/\[insecure_permissions\]\n$/);
  });

  it('NANOGPT_CONFIG_DIR pointing at a shared folder (like /tmp) is refused and left as it was', async () => {
    const shared = join(home, 'tmp');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const server = await startHostileServer({
      '/api/cli-login/start': deviceStart(),
      '/api/cli-login/poll': () => ({ status: 200, body: { status: 'approved', key: VALID_KEY } }),
    });
    const result = await runCliToEnd(['--device', '--no-open', '--issuer', server.url], { HOME: home, NANOGPT_CONFIG_DIR: shared });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/shared folder.*\[insecure_permissions\]\n$/);
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    expect(await readdir(shared)).toEqual([]);
  });
});
