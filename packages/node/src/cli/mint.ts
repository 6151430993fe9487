import { maskKey } from '@nanogpt-signin/core';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configDir, ensurePrivateDir, writePrivateFile } from '../credentials.js';
import { createDownstreamKey } from '../downstream.js';
import { DEFAULT_ISSUER, normalizeIssuer } from '../issuer.js';
import type { Command } from './args.js';
import { requireCredentials } from './account.js';
import { say, type CliIo } from './io.js';

type MintCommand = Extract<Command, { kind: 'mint' }>;

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

function describeLimits(command: MintCommand): string {
  const parts: string[] = [];
  if (command.limit !== undefined) parts.push(`limit $${command.limit} ${command.period ?? 'monthly'}`);
  if (command.expiresAt) parts.push(`expires ${command.expiresAt.toISOString()}`);
  return parts.length > 0 ? parts.join(', ') : 'no limit, no expiry';
}

/**
 * The key that pays for the new one: `NANOGPT_SOURCE_KEY` when set (e.g. a key from NanoGPT
 * settings: keys from the browser sign-in are OAuth keys, which NanoGPT does not let mint), else
 * the stored key.
 */
async function sourceKey(command: MintCommand, io: CliIo): Promise<{ key: string; issuer: string }> {
  const fromEnv = io.env.NANOGPT_SOURCE_KEY?.trim();
  if (fromEnv) {
    return { key: fromEnv, issuer: normalizeIssuer(command.issuer ?? (io.env.NANOGPT_ISSUER || DEFAULT_ISSUER)) };
  }
  const stored = await requireCredentials(io, command.issuer);
  return { key: stored.key, issuer: stored.issuer };
}

export async function mint(command: MintCommand, io: CliIo): Promise<number> {
  const source = await sourceKey(command, io);
  const result = await createDownstreamKey({
    sourceKey: source.key,
    issuer: source.issuer,
    ...(command.scope !== undefined ? { scope: command.scope } : {}),
    ...(command.label !== undefined ? { label: command.label } : {}),
    ...(command.limit !== undefined ? { limit: command.limit } : {}),
    ...(command.period !== undefined ? { usageLimitType: command.period } : {}),
    ...(command.expiresAt !== undefined ? { expiresAt: command.expiresAt } : {}),
    clientName: command.clientName ?? command.label ?? 'nanogpt-login mint',
    signal: io.signal,
  });
  const summary = `Minted ${maskKey(result.key)} (scopes: ${result.scope}; ${describeLimits(command)})`;
  const line = `NANOGPT_API_KEY=${result.key}\n`;
  if (command.print) {
    io.stdout.write(line);
    say(io, summary);
    return 0;
  }
  let path: string;
  if (command.output !== undefined) {
    path = resolve(command.output);
    await writePrivateFile(path, line, { privateDir: false });
  } else {
    path = await claimKeyFile(join(configDir({ env: io.env }), 'keys'), slug(command.label));
    await writePrivateFile(path, line);
  }
  say(io, `${summary}; saved to ${path} (mode 0600).`);
  say(io, `Use it with: set -a; . '${path}'; set +a`);
  return 0;
}
