import { maskKey } from '@nanogpt-signin/core';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { configDir, ensurePrivateDir, writePrivateFile } from '../credentials.js';
import { say, type CliIo } from './io.js';

/** Where a new key goes: stdout (`--print`), a chosen file (`--output`), or a new file in the config dir. */
export interface KeyDestination {
  print: boolean;
  output: string | undefined;
  label: string | undefined;
}

export function slug(label: string | undefined): string {
  const base = (label ?? 'agent')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base || 'agent';
}

/** Claims a new file `<dir>/<name>.env` (then -2, -3, ...) with mode 0600, never overwriting one. */
async function claimKeyFile(dir: string, name: string): Promise<string> {
  // The config folder must be private too, not only its keys/ folder.
  await ensurePrivateDir(dirname(dir));
  await ensurePrivateDir(dir);
  for (let n = 1; n < 1000; n += 1) {
    const path = join(dir, n === 1 ? `${name}.env` : `${name}-${n}.env`);
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.close();
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`Too many key files named ${name} in ${dir}.`);
}

/** Delivers a new key to its destination; only `--print` ever shows it unmasked. */
export async function emitKey(key: string, summary: string, destination: KeyDestination, io: CliIo): Promise<void> {
  const line = `NANOGPT_API_KEY=${key}\n`;
  const masked = `${summary.replace('{key}', maskKey(key))}`;
  if (destination.print) {
    io.stdout.write(line);
    say(io, masked);
    return;
  }
  let path: string;
  if (destination.output !== undefined) {
    path = resolve(destination.output);
    await writePrivateFile(path, line, { privateDir: false });
  } else {
    path = await claimKeyFile(join(configDir({ env: io.env }), 'keys'), slug(destination.label));
    await writePrivateFile(path, line);
  }
  say(io, `${masked}; saved to ${path} (mode 0600).`);
  say(io, `Use it with: set -a; . '${path}'; set +a`);
}
