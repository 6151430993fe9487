import { DEFAULT_ISSUER, isNanoGptKey } from '@nanogpt-signin/core';
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { DeviceSignInResult } from './device.js';
import { NanoGptNodeError } from './errors.js';
import { isRecord, parseJson } from './http.js';
import { normalizeIssuer } from './issuer.js';

export type CredentialFlow = 'loopback' | 'loopback-standard' | 'device';

/**
 * What `nanogpt-login` stores: the result of either sign-in (`scope` null when the server did not
 * report it, as device login) and where it came from. The file is a secret: mode 0600 in a 0700 folder.
 */
export interface StoredCredentials extends DeviceSignInResult {
  issuer: string;
  /** ISO time. */
  createdAt: string;
  flow: CredentialFlow;
}

export interface CredentialStoreOptions {
  /** The folder holding the credentials; overrides the environment. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Credentials are kept per issuer and per profile name; default `default`. */
  profile?: string;
  /**
   * The issuer whose key is meant. Saving always uses the credentials' own issuer. When loading or
   * deleting without one, the profile's key is the one stored for whichever issuer holds it (the
   * default issuer's when several do).
   */
  issuer?: string;
}

/** Where earlier versions kept the one stored key: still the file of NanoGPT's own default profile. */
export const CREDENTIALS_FILE = 'credentials.json';
/** Every other (issuer, profile) pair: `profiles/<issuer folder>/<profile>.json`. */
export const PROFILES_DIR = 'profiles';
export const DEFAULT_PROFILE = 'default';
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A profile name is a plain file name: letters, digits, `_`, `.`, `-`, at most 64 characters. */
export function isProfileName(name: string): boolean {
  return PROFILE_NAME.test(name) && !name.includes('..');
}

function profileName(options: CredentialStoreOptions): string {
  const name = options.profile ?? DEFAULT_PROFILE;
  if (!isProfileName(name)) {
    throw new NanoGptNodeError('invalid_request', 'A profile name is 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit.');
  }
  return name;
}

/** `nano-gpt.com`, `http_127.0.0.1_4010`: the issuer's folder name (plain http only exists on loopback). */
function issuerFolder(issuer: string): string {
  const url = new URL(issuer);
  const host = url.host.replace(/[^A-Za-z0-9.-]+/g, '_');
  return url.protocol === 'https:' ? host : `${url.protocol.replace(/:$/, '')}_${host}`;
}

/**
 * `NANOGPT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/nanogpt` (only when absolute, as the XDG spec
 * says), else `~/.config/nanogpt`.
 */
export function configDir(options: CredentialStoreOptions = {}): string {
  if (options.configDir) return options.configDir;
  const env = options.env ?? process.env;
  if (env.NANOGPT_CONFIG_DIR) return env.NANOGPT_CONFIG_DIR;
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'nanogpt');
  return join(homedir(), '.config', 'nanogpt');
}

/** The file of one (issuer, profile) pair; the issuer defaults to NanoGPT's. */
export function credentialsPath(options: CredentialStoreOptions = {}): string {
  const issuer = normalizeIssuer(options.issuer);
  const profile = profileName(options);
  if (issuer === DEFAULT_ISSUER && profile === DEFAULT_PROFILE) return join(configDir(options), CREDENTIALS_FILE);
  return join(configDir(options), PROFILES_DIR, issuerFolder(issuer), `${profile}.json`);
}

/** Unix modes and owners mean nothing on Windows (its ACLs protect the user profile). */
const CHECKS_MODES = process.platform !== 'win32';

const insecure = (message: string): NanoGptNodeError => new NanoGptNodeError('insecure_permissions', message);

/** Why an existing folder may not hold secrets, or null when it may. */
function folderProblem(dir: string, info: Stats): string | null {
  if (info.isSymbolicLink()) return `is a symbolic link; point NANOGPT_CONFIG_DIR at the folder it leads to`;
  if (!info.isDirectory()) return 'is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) return `belongs to another user (uid ${info.uid}); use a folder of your own (NANOGPT_CONFIG_DIR)`;
  if ((info.mode & 0o1000) !== 0 && (info.mode & 0o002) !== 0) {
    return 'is a shared folder (like /tmp) that anyone can write to; use a private folder (NANOGPT_CONFIG_DIR)';
  }
  if ((info.mode & 0o022) !== 0) return `is writable by group or others; run chmod go-w '${dir}' or use a private folder (NANOGPT_CONFIG_DIR)`;
  return null;
}

/**
 * Makes sure `dir` can hold secrets. A folder this creates gets mode 0700. An existing one is
 * never changed (it may be user-chosen and shared, like /tmp): it is used only when it is a real
 * folder (not a symlink), owned by the user and not writable by group or others; otherwise this
 * rejects with `insecure_permissions`, saying what to fix.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined || !CHECKS_MODES) return;
  const problem = folderProblem(dir, await lstat(dir));
  if (problem !== null) throw insecure(`The folder '${dir}' ${problem}.`);
}

/** Refuses a credentials file that group or others may read or write, as ssh does with private keys. */
function assertPrivateFile(path: string, info: Stats): void {
  if (CHECKS_MODES && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw insecure(`'${path}' is accessible by group or others (mode ${mode}), so it is not used. Run: chmod 600 '${path}' (and revoke the key in NanoGPT settings if someone else may have read it).`);
  }
}

/**
 * Writes `contents` to `path` atomically with mode 0600: a temp file in the same folder created
 * exclusively with 0600, flushed, then renamed over the target.
 */
export async function writePrivateFile(path: string, contents: string, options: { privateDir?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  // Our own config folder is made 0700; a folder the user chose (--output) is left alone.
  if (options.privateDir ?? true) await ensurePrivateDir(dir);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function saveCredentials(credentials: StoredCredentials, options: CredentialStoreOptions = {}): Promise<string> {
  const path = credentialsPath({ ...options, issuer: credentials.issuer });
  const dir = configDir(options);
  if (path !== join(dir, CREDENTIALS_FILE)) {
    await ensurePrivateDir(dir);
    await ensurePrivateDir(join(dir, PROFILES_DIR));
  }
  await writePrivateFile(path, `${JSON.stringify({ version: 1, ...credentials }, null, 2)}\n`);
  return path;
}

function parseCredentials(text: string): StoredCredentials {
  const data = parseJson(text);
  if (data === undefined) {
    throw new NanoGptNodeError('credentials_invalid', 'The credentials file is not valid JSON; run `nanogpt-login logout` and sign in again.');
  }
  if (
    !isRecord(data) ||
    !isNanoGptKey(data.key) ||
    typeof data.issuer !== 'string' ||
    typeof data.createdAt !== 'string' ||
    (data.scope !== null && typeof data.scope !== 'string')
  ) {
    throw new NanoGptNodeError('credentials_invalid', 'The credentials file is incomplete; run `nanogpt-login logout` and sign in again.');
  }
  const flow: CredentialFlow = data.flow === 'device' || data.flow === 'loopback-standard' ? data.flow : 'loopback';
  return { key: data.key, scope: data.scope, issuer: data.issuer, createdAt: data.createdAt, flow };
}

/** The credentials in one file, or null when it does not exist. A file others may read is refused (`insecure_permissions`). */
async function readCredentialsFile(path: string): Promise<StoredCredentials | null> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      // The mode of the file that was opened, not of whatever the path names a moment later.
      assertPrivateFile(path, await handle.stat());
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof NanoGptNodeError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new NanoGptNodeError('credentials_invalid', 'Could not read the credentials file.', { cause: error });
  }
  return parseCredentials(text);
}

/** Stored credentials and the file they are in. */
export interface StoredProfile {
  credentials: StoredCredentials;
  path: string;
}

/** The profile's credentials for every issuer that holds one (the default issuer's first). */
export async function findProfile(options: CredentialStoreOptions = {}): Promise<StoredProfile[]> {
  const profile = profileName(options);
  const dir = configDir(options);
  const paths = profile === DEFAULT_PROFILE ? [join(dir, CREDENTIALS_FILE)] : [];
  let folders: string[] = [];
  try {
    folders = (await readdir(join(dir, PROFILES_DIR), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  paths.push(...folders.sort().map((folder) => join(dir, PROFILES_DIR, folder, `${profile}.json`)));
  const found: StoredProfile[] = [];
  for (const path of paths) {
    const credentials = await readCredentialsFile(path);
    // A file holds the key of the issuer it records; one found elsewhere (copied by hand) is not trusted.
    if (credentials && path === credentialsPath({ ...options, issuer: credentials.issuer })) found.push({ credentials, path });
  }
  const rank = (entry: StoredProfile): number => (normalizeIssuer(entry.credentials.issuer) === DEFAULT_ISSUER ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b));
}

/** The one stored profile `options` mean (see `CredentialStoreOptions.issuer`), or null. */
async function locateProfile(options: CredentialStoreOptions): Promise<StoredProfile | null> {
  if (options.issuer !== undefined) {
    const path = credentialsPath(options);
    const credentials = await readCredentialsFile(path);
    return credentials && normalizeIssuer(credentials.issuer) === normalizeIssuer(options.issuer) ? { credentials, path } : null;
  }
  const found = await findProfile(options);
  const first = found[0];
  if (found.length > 1 && first && normalizeIssuer(first.credentials.issuer) !== DEFAULT_ISSUER) {
    const issuers = found.map((entry) => entry.credentials.issuer).join(', ');
    throw new NanoGptNodeError('invalid_request', `Profile "${profileName(options)}" holds keys for several issuers (${issuers}); name the issuer (--issuer).`);
  }
  return first ?? null;
}

/** The stored credentials, or null when there are none. */
export async function loadCredentials(options: CredentialStoreOptions = {}): Promise<StoredCredentials | null> {
  return (await locateProfile(options))?.credentials ?? null;
}

/** Removes the stored credentials; false when there were none. */
export async function deleteCredentials(options: CredentialStoreOptions = {}): Promise<boolean> {
  const located = await locateProfile(options);
  if (!located) return false;
  try {
    await rm(located.path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
