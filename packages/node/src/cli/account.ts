import { maskKey } from '@nanogpt-signin/core';
import { stat } from 'node:fs/promises';
import { credentialsPath, deleteCredentials, loadCredentials, type StoredCredentials } from '../credentials.js';
import { NanoGptNodeError } from '../errors.js';
import { checkKey } from '../key-check.js';
import { normalizeIssuer } from '../issuer.js';
import { printable } from '../terminal-text.js';
import type { Command } from './args.js';
import { say, type CliIo } from './io.js';

const STATUS_CHECK_TIMEOUT_MS = 15_000;

/**
 * The stored credentials, refusing an `--issuer` that differs from the one the key belongs to:
 * the key is never sent anywhere but its own issuer.
 */
export async function requireCredentials(io: CliIo, issuerFlag: string | undefined): Promise<StoredCredentials> {
  const stored = await loadCredentials({ env: io.env });
  if (!stored) throw new NanoGptNodeError('not_signed_in', 'Not signed in; run nanogpt-login first.');
  if (issuerFlag !== undefined && normalizeIssuer(issuerFlag) !== normalizeIssuer(stored.issuer)) {
    throw new NanoGptNodeError('issuer_mismatch', `The stored key belongs to ${stored.issuer}, not ${normalizeIssuer(issuerFlag)}; sign in there first.`);
  }
  return stored;
}

export async function status(command: Extract<Command, { kind: 'status' }>, io: CliIo): Promise<number> {
  const stored = await requireCredentials(io, command.issuer);
  const path = credentialsPath({ env: io.env });
  const mode = ((await stat(path)).mode & 0o777).toString(8).padStart(4, '0');
  const out = (label: string, value: string): void => {
    io.stdout.write(`${label.padEnd(9)}${printable(value)}\n`);
  };
  out('issuer:', stored.issuer);
  out('key:', maskKey(stored.key));
  out('scopes:', stored.scope ?? 'not reported');
  out('flow:', stored.flow);
  out('since:', stored.createdAt);
  out('file:', `${path} (mode ${mode})`);
  if (mode !== '0600') say(io, `Warning: ${path} is readable by others; run: chmod 600 '${path}'`);
  const signal = AbortSignal.any([io.signal, AbortSignal.timeout(STATUS_CHECK_TIMEOUT_MS)]);
  const check = await checkKey({ key: stored.key, issuer: stored.issuer, signal });
  if (check.ok) {
    out('check:', `works (GET /api/v1/models listed ${check.models} models)`);
    return 0;
  }
  out('check:', `FAILED: ${check.code} (${check.message})`);
  if (check.code === 'invalid_api_key') say(io, 'The stored key no longer works: run nanogpt-login logout, then nanogpt-login.');
  return 1;
}

export async function logout(io: CliIo): Promise<number> {
  const path = credentialsPath({ env: io.env });
  const removed = await deleteCredentials({ env: io.env });
  if (removed) {
    say(io, `Signed out: removed ${path}.`);
    say(io, 'The key itself keeps working until you revoke it in NanoGPT settings (API keys).');
  } else {
    say(io, 'Not signed in; nothing to remove.');
  }
  return 0;
}
