import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { DeviceSignInResult } from './device.js';
import { NanoGptNodeError } from './errors.js';
import { isRecord, parseJson } from './http.js';

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
  /** The folder holding `credentials.json`; overrides the environment. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
}

export const CREDENTIALS_FILE = 'credentials.json';

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

export function credentialsPath(options: CredentialStoreOptions = {}): string {
  return join(configDir(options), CREDENTIALS_FILE);
}

/** Creates the folder with mode 0700 (and tightens it if it already exists). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if ((info.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
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
  const path = credentialsPath(options);
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
    typeof data.key !== 'string' ||
    typeof data.issuer !== 'string' ||
    typeof data.createdAt !== 'string' ||
    (data.scope !== null && typeof data.scope !== 'string')
  ) {
    throw new NanoGptNodeError('credentials_invalid', 'The credentials file is incomplete; run `nanogpt-login logout` and sign in again.');
  }
  const flow: CredentialFlow = data.flow === 'device' || data.flow === 'loopback-standard' ? data.flow : 'loopback';
  return { key: data.key, scope: data.scope, issuer: data.issuer, createdAt: data.createdAt, flow };
}

/** The stored credentials, or null when there are none. */
export async function loadCredentials(options: CredentialStoreOptions = {}): Promise<StoredCredentials | null> {
  let text: string;
  try {
    text = await readFile(credentialsPath(options), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new NanoGptNodeError('credentials_invalid', 'Could not read the credentials file.', { cause: error });
  }
  return parseCredentials(text);
}

/** Removes the stored credentials; false when there were none. */
export async function deleteCredentials(options: CredentialStoreOptions = {}): Promise<boolean> {
  try {
    await rm(credentialsPath(options));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
