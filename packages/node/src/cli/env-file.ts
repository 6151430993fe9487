import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { writePrivateFile } from '../credentials.js';
import { NanoGptNodeError } from '../errors.js';

const KEY_LINE = /^(\s*(?:export\s+)?)NANOGPT_API_KEY\s*=/;

/** Whether git tracks `path` (false outside a repository or without git). */
export function isTrackedByGit(path: string): Promise<boolean> {
  return new Promise((resolveTracked) => {
    execFile('git', ['ls-files', '--error-unmatch', '--', basename(path)], { cwd: dirname(path), timeout: 10_000 }, (error) => resolveTracked(error === null));
  });
}

/**
 * `contents` with its `NANOGPT_API_KEY=` line set to `key` (the first one replaced in place,
 * keeping an `export ` prefix; later duplicates dropped), or the line appended; every other line
 * and the file's line ending kept.
 */
export function setKeyLine(contents: string, key: string): string {
  const newline = contents.includes('\r\n') ? '\r\n' : '\n';
  const lines = contents === '' ? [] : contents.split(/\r?\n/);
  const endsWithNewline = lines.length > 0 && lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  let replaced = false;
  const updated: string[] = [];
  for (const line of lines) {
    const match = KEY_LINE.exec(line);
    if (!match) updated.push(line);
    else if (!replaced) {
      updated.push(`${match[1] ?? ''}NANOGPT_API_KEY=${key}`);
      replaced = true;
    }
  }
  if (!replaced) updated.push(`NANOGPT_API_KEY=${key}`);
  return `${updated.join(newline)}${newline}`;
}

/** The file a path names, through symlinks (so the rename replaces the file, not the link). */
async function targetOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

/** The file `path` names, refused when git tracks it; run before a sign-in so that it is not wasted. */
export async function checkEnvFile(path: string): Promise<string> {
  const target = await targetOf(resolve(path));
  if (await isTrackedByGit(target)) {
    throw new NanoGptNodeError('env_file_tracked', `${target} is tracked by git; refusing to write a key into it (use an ignored file such as .env.local).`);
  }
  return target;
}

/**
 * Writes or updates `NANOGPT_API_KEY=<key>` in the dotenv file `path`, creating it when missing:
 * atomically (temp file + rename), mode 0600, every other line kept. A file git tracks is
 * refused: a key committed by accident is a key leaked.
 */
export async function writeKeyToEnvFile(path: string, key: string): Promise<string> {
  const target = await checkEnvFile(path);
  let contents = '';
  try {
    contents = await readFile(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writePrivateFile(target, setKeyLine(contents, key), { privateDir: false });
  return target;
}
