import { maskKey } from '@nanogpt-signin/core';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { deleteCredentials, findProfile, loadCredentials, credentialsPath, DEFAULT_PROFILE, type StoredProfile } from '../credentials.js';
import { NanoGptNodeError } from '../errors.js';
import { checkKey } from '../key-check.js';
import { normalizeIssuer } from '../issuer.js';
import { printable } from '../terminal-text.js';
import type { Command } from './args.js';
import { commandIssuer, namedIssuer, say, type CliIo } from './io.js';
import { loadMintRecord, type MintRecord } from './minted.js';

const STATUS_CHECK_TIMEOUT_MS = 15_000;

/**
 * The stored credentials of a profile, for the issuer the command names (`--issuer`,
 * `$NANOGPT_ISSUER`) or, when it names none, whichever issuer holds the profile. An issuer that
 * holds no key while another one does is refused: the key is never sent anywhere but its own issuer.
 */
export async function requireCredentials(io: CliIo, issuerFlag: string | undefined, profile: string | undefined): Promise<StoredProfile> {
  const issuer = namedIssuer(issuerFlag, io);
  const options = { env: io.env, profile };
  const stored = await loadCredentials({ ...options, issuer });
  if (stored) return { credentials: stored, path: credentialsPath({ ...options, issuer: stored.issuer }) };
  const elsewhere = issuer === undefined ? [] : await findProfile(options);
  const other = elsewhere[0];
  if (issuer !== undefined && other) {
    throw new NanoGptNodeError('issuer_mismatch', `The stored key belongs to ${other.credentials.issuer}, not ${issuer}; sign in there first.`);
  }
  const named = profile !== undefined && profile !== DEFAULT_PROFILE ? ` (profile ${profile})` : '';
  throw new NanoGptNodeError('not_signed_in', `Not signed in${named}; run nanogpt-login first.`);
}

type StatusCommand = Extract<Command, { kind: 'status' }>;

/** The key `status` looks at: the stored one, the one in a dotenv file, or the one in the environment. */
interface StatusTarget {
  key: string;
  issuer: string;
  stored: StoredProfile | null;
  source: string;
}

/** The value of `NANOGPT_API_KEY=` in dotenv text (quotes removed). */
export function keyFromEnvText(text: string): string | undefined {
  const match = /^\s*(?:export\s+)?NANOGPT_API_KEY\s*=\s*(.*)$/m.exec(text);
  const value = match?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2');
  return value ? value : undefined;
}

/** The issuer of `NANOGPT_BASE_URL` (the origin, as exec and mint set it), if it is one. */
function baseUrlIssuer(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.NANOGPT_BASE_URL;
  if (!base) return undefined;
  try {
    return normalizeIssuer(new URL(base).origin);
  } catch {
    return undefined;
  }
}

async function statusTarget(command: StatusCommand, io: CliIo): Promise<{ target: StatusTarget; minted: MintRecord | null }> {
  if (command.envFile === undefined && !command.fromEnvironment) {
    const stored = await requireCredentials(io, command.issuer, command.profile);
    const target = { key: stored.credentials.key, issuer: stored.credentials.issuer, stored, source: 'stored' };
    return { target, minted: await loadMintRecord(target.key, io.env) };
  }
  let key: string | undefined;
  let source: string;
  if (command.envFile !== undefined) {
    const path = resolve(command.envFile);
    key = keyFromEnvText(await readFile(path, 'utf8'));
    source = path;
    if (!key) throw new NanoGptNodeError('not_signed_in', `${path} holds no NANOGPT_API_KEY.`);
  } else {
    key = io.env.NANOGPT_API_KEY?.trim();
    source = '$NANOGPT_API_KEY';
    if (!key) throw new NanoGptNodeError('not_signed_in', 'NANOGPT_API_KEY is not set.');
  }
  const minted = await loadMintRecord(key, io.env);
  const named = namedIssuer(command.issuer, io);
  if (minted && named !== undefined && normalizeIssuer(minted.issuer) !== named) {
    throw new NanoGptNodeError('issuer_mismatch', `The key belongs to ${minted.issuer}, not ${named}.`);
  }
  const issuer = minted?.issuer ?? named ?? baseUrlIssuer(io.env) ?? commandIssuer(undefined, io);
  return { target: { key, issuer, stored: null, source }, minted };
}

function describeCap(record: MintRecord): string {
  return record.limit === null ? 'none' : `$${record.limit} ${record.period ?? 'monthly'}`;
}

export async function status(command: StatusCommand, io: CliIo): Promise<number> {
  const { target, minted } = await statusTarget(command, io);
  const out = (label: string, value: string): void => {
    io.stdout.write(`${label.padEnd(9)}${printable(value)}\n`);
  };
  out('issuer:', target.issuer);
  out('key:', maskKey(target.key));
  if (target.stored) {
    const { credentials, path } = target.stored;
    const mode = ((await stat(path)).mode & 0o777).toString(8).padStart(4, '0');
    out('profile:', command.profile ?? DEFAULT_PROFILE);
    out('scopes:', credentials.scope ?? 'not reported');
    out('flow:', credentials.flow);
    out('since:', credentials.createdAt);
    out('file:', `${path} (mode ${mode})`);
    if (mode !== '0600') say(io, `Warning: ${path} is readable by others; run: chmod 600 '${path}'`);
  } else {
    out('from:', target.source);
  }
  if (minted) {
    out('label:', minted.label ?? 'none');
    out('cap:', describeCap(minted));
    out('expires:', minted.expiresAt ?? 'never');
    out('minted:', minted.createdAt);
  }
  const signal = AbortSignal.any([io.signal, AbortSignal.timeout(STATUS_CHECK_TIMEOUT_MS)]);
  const check = await checkKey({ key: target.key, issuer: target.issuer, signal });
  if (check.ok) {
    const { totals, from, to } = check.usage;
    out('spend:', `$${totals.netCostUsd.toFixed(4)} in ${totals.requests} request${totals.requests === 1 ? '' : 's'}, ${from} to ${to} (UTC)`);
    out('check:', 'works (GET /api/v1/usage accepted the key)');
    return 0;
  }
  out('check:', `FAILED: ${check.code} (${check.message})`);
  if (check.code === 'invalid_api_key' && target.stored) say(io, 'The stored key no longer works: run nanogpt-login logout, then nanogpt-login.');
  return 1;
}

export async function logout(command: Extract<Command, { kind: 'logout' }>, io: CliIo): Promise<number> {
  const options = { env: io.env, profile: command.profile, issuer: namedIssuer(command.issuer, io) };
  const stored = await loadCredentials(options);
  const removed = await deleteCredentials(options);
  if (removed && stored) {
    say(io, `Signed out: removed ${credentialsPath({ ...options, issuer: stored.issuer })}.`);
    say(io, 'The key itself keeps working until you revoke it in NanoGPT settings (API keys).');
  } else {
    say(io, 'Not signed in; nothing to remove.');
  }
  return 0;
}
