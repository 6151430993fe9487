import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir, chmod, chown, symlink } from 'node:fs/promises';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configDir, credentialsPath, deleteCredentials, loadCredentials, saveCredentials, type StoredCredentials } from '../src/credentials.js';
import { NanoGptNodeError } from '../src/errors.js';

// NanoGPT's own issuer: its default profile is the credentials.json of earlier versions.
const sample: StoredCredentials = {
  key: 'sk-nano-00000000-0000-4000-8000-000000000001',
  scope: 'models.read api.use',
  issuer: 'https://nano-gpt.com',
  createdAt: '2026-11-27T00:00:00.000Z',
  flow: 'loopback',
};

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nanogpt-cred-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('config location', () => {
  it('prefers NANOGPT_CONFIG_DIR, then an absolute XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configDir({ env: { NANOGPT_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' } })).toBe('/a');
    expect(configDir({ env: { XDG_CONFIG_HOME: '/b' } })).toBe(join('/b', 'nanogpt'));
    expect(configDir({ env: { XDG_CONFIG_HOME: 'relative/dir' } })).toBe(join(homedir(), '.config', 'nanogpt'));
    expect(configDir({ env: {} })).toBe(join(homedir(), '.config', 'nanogpt'));
    expect(configDir({ configDir: '/c', env: { NANOGPT_CONFIG_DIR: '/a' } })).toBe('/c');
    expect(credentialsPath({ env: { XDG_CONFIG_HOME: '/b' } })).toBe(join('/b', 'nanogpt', 'credentials.json'));
  });
});

describe('credential store', () => {
  it('round-trips, with mode 0600 in a 0700 folder and no temp file left', async () => {
    const env = { XDG_CONFIG_HOME: base };
    const path = await saveCredentials(sample, { env });
    expect(path).toBe(join(base, 'nanogpt', 'credentials.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(base, 'nanogpt'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(base, 'nanogpt'))).toEqual(['credentials.json']);
    expect(await loadCredentials({ env })).toEqual(sample);
    const raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(raw).toMatchObject({ version: 1, issuer: sample.issuer, flow: 'loopback' });
  });

  it('replaces an existing file atomically and leaves the mode of an existing folder alone', async () => {
    const dir = join(base, 'nanogpt');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'credentials.json'), '{"old":true}', { mode: 0o644 });
    const path = await saveCredentials({ ...sample, flow: 'device', scope: null }, { configDir: dir });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // Not created by us, so not chmod-ed: readable by others is fine for a folder (the file is 0600).
    expect((await stat(dir)).mode & 0o777).toBe(0o755);
    expect(await loadCredentials({ configDir: dir })).toEqual({ ...sample, flow: 'device', scope: null });
  });

  it('returns null when nothing is stored and deletes once', async () => {
    const options = { configDir: join(base, 'x') };
    expect(await loadCredentials(options)).toBeNull();
    expect(await deleteCredentials(options)).toBe(false);
    await saveCredentials(sample, options);
    expect(await deleteCredentials(options)).toBe(true);
    expect(await loadCredentials(options)).toBeNull();
  });

  it('reports a damaged file with a typed error', async () => {
    const dir = join(base, 'broken');
    await mkdir(dir);
    await writeFile(join(dir, 'credentials.json'), 'not json', { mode: 0o600 });
    await expect(loadCredentials({ configDir: dir })).rejects.toMatchObject({ code: 'credentials_invalid' });
    await writeFile(join(dir, 'credentials.json'), '{"key":1}');
    const incomplete = loadCredentials({ configDir: dir });
    await expect(incomplete).rejects.toBeInstanceOf(NanoGptNodeError);
    await expect(incomplete).rejects.toMatchObject({ code: 'credentials_invalid' });
  });
});

/** A folder owned by another user: made so when running as root; otherwise `/` already is one. */
async function foreignFolder(): Promise<string> {
  if (process.getuid?.() !== 0) return '/';
  const dir = join(base, 'foreign');
  await mkdir(dir, { mode: 0o700 });
  await chown(dir, 65534, 65534);
  return dir;
}

describe('an existing credentials folder is checked, never chmod-ed', () => {
  it('refuses a shared folder like /tmp (world-writable, sticky) and keeps its mode and sticky bit', async () => {
    const shared = join(base, 'shared-tmp');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const saving = saveCredentials(sample, { env: { NANOGPT_CONFIG_DIR: shared } });
    await expect(saving).rejects.toBeInstanceOf(NanoGptNodeError);
    await expect(saving).rejects.toMatchObject({ code: 'insecure_permissions', message: expect.stringMatching(/shared folder .*NANOGPT_CONFIG_DIR/) as unknown });
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    expect(await readdir(shared)).toEqual([]);
  });

  it('refuses a folder writable by group or others, saying what to run', async () => {
    const loose = join(base, 'loose');
    await mkdir(loose);
    await chmod(loose, 0o775);
    await expect(saveCredentials(sample, { configDir: loose })).rejects.toMatchObject({
      code: 'insecure_permissions',
      message: expect.stringContaining(`chmod go-w '${loose}'`) as unknown,
    });
    expect((await stat(loose)).mode & 0o777).toBe(0o775);
  });

  it('refuses a symlink, and does not touch where it leads', async () => {
    const target = join(base, 'target');
    await mkdir(target);
    await chmod(target, 0o755);
    const link = join(base, 'link');
    await symlink(target, link);
    await expect(saveCredentials(sample, { configDir: link })).rejects.toMatchObject({ code: 'insecure_permissions', message: expect.stringContaining('symbolic link') as unknown });
    expect((await stat(target)).mode & 0o777).toBe(0o755);
    expect(await readdir(target)).toEqual([]);
  });

  it("refuses a folder that belongs to another user", async () => {
    const foreign = await foreignFolder();
    await expect(saveCredentials(sample, { configDir: foreign })).rejects.toMatchObject({ code: 'insecure_permissions', message: expect.stringContaining('another user') as unknown });
  });

  it('creates a missing folder (and its parents) with mode 0700', async () => {
    const dir = join(base, 'new', 'nanogpt');
    await saveCredentials(sample, { configDir: dir });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(base, 'new'))).mode & 0o777).toBe(0o700);
  });
});

describe('a credentials file others can read is refused', () => {
  it.each([0o644, 0o640, 0o604, 0o660])('mode %o: insecure_permissions with the chmod 600 command', async (mode) => {
    const path = await saveCredentials(sample, { configDir: join(base, 'c') });
    await chmod(path, mode);
    const loading = loadCredentials({ configDir: join(base, 'c') });
    await expect(loading).rejects.toBeInstanceOf(NanoGptNodeError);
    await expect(loading).rejects.toMatchObject({ code: 'insecure_permissions', message: expect.stringContaining(`chmod 600 '${path}'`) as unknown });
    await chmod(path, 0o600);
    expect(await loadCredentials({ configDir: join(base, 'c') })).toEqual(sample);
  });

  it('a stored key that is not a NanoGPT key is refused (it would be printed or sent)', async () => {
    const dir = join(base, 'tampered');
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, 'credentials.json'), JSON.stringify({ ...sample, key: 'x\nPATH=/tmp/evil:$PATH' }), { mode: 0o600 });
    await expect(loadCredentials({ configDir: dir })).rejects.toMatchObject({ code: 'credentials_invalid' });
  });
});

describe('profiles', () => {
  const mockIssuer = 'http://127.0.0.1:4010';
  it('keeps one file per issuer and profile; NanoGPT\'s default profile stays credentials.json', async () => {
    const options = { configDir: base };
    expect(credentialsPath(options)).toBe(join(base, 'credentials.json'));
    expect(credentialsPath({ ...options, issuer: mockIssuer })).toBe(join(base, 'profiles', 'http_127.0.0.1_4010', 'default.json'));
    expect(credentialsPath({ ...options, issuer: 'https://nano-gpt.com', profile: 'work' })).toBe(join(base, 'profiles', 'nano-gpt.com', 'work.json'));
    const mock = { ...sample, issuer: mockIssuer, key: 'sk-nano-00000000-0000-4000-8000-000000000002' };
    await saveCredentials(sample, options);
    await saveCredentials(mock, options);
    await saveCredentials({ ...mock, flow: 'device' }, { ...options, profile: 'work' });
    expect((await stat(join(base, 'profiles'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(base, 'profiles', 'http_127.0.0.1_4010', 'work.json'))).mode & 0o777).toBe(0o600);
    expect(await loadCredentials({ ...options, issuer: mockIssuer })).toEqual(mock);
    expect(await loadCredentials(options)).toEqual(sample);
    // Without an issuer: whichever issuer holds the profile.
    expect(await loadCredentials({ ...options, profile: 'work' })).toEqual({ ...mock, flow: 'device' });
    expect(await loadCredentials({ ...options, profile: 'work', issuer: 'https://nano-gpt.com' })).toBeNull();
    expect(await deleteCredentials({ ...options, profile: 'work' })).toBe(true);
    expect(await loadCredentials({ ...options, issuer: mockIssuer })).toEqual(mock);
  });

  it('asks for the issuer when a profile is held by several, none of them NanoGPT\'s', async () => {
    await saveCredentials({ ...sample, issuer: mockIssuer }, { configDir: base, profile: 'p' });
    await saveCredentials({ ...sample, issuer: 'http://127.0.0.1:4011' }, { configDir: base, profile: 'p' });
    await expect(loadCredentials({ configDir: base, profile: 'p' })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/several issuers/) });
    await expect(loadCredentials({ configDir: base, profile: 'p', issuer: mockIssuer })).resolves.toMatchObject({ issuer: mockIssuer });
  });

  it('refuses profile names that are not plain file names', () => {
    for (const name of ['', '../x', 'a/b', '.hidden', 'x'.repeat(65)]) {
      expect(() => credentialsPath({ configDir: base, profile: name })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });
});
