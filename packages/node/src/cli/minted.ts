import { maskKey } from '@nanogpt-signin/core';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configDir, ensurePrivateDir, writePrivateFile } from '../credentials.js';
import { isRecord, numberField, parseJson, stringField } from '../http.js';

/**
 * What `mint` asked for, kept so that `status` can show it later: NanoGPT's API does not report a
 * key's cap or expiry. Stored under a hash of the key (never the key) in `<config dir>/minted/`.
 */
export interface MintRecord {
  issuer: string;
  maskedKey: string;
  label: string | null;
  limit: number | null;
  period: string | null;
  expiresAt: string | null;
  createdAt: string;
}

function recordPath(key: string, env: NodeJS.ProcessEnv): string {
  const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return join(configDir({ env }), 'minted', `${fingerprint}.json`);
}

export async function saveMintRecord(
  key: string,
  settings: { issuer: string; label: string | undefined; limit: number | undefined; period: string | undefined; expiresAt: Date | undefined },
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const record: MintRecord = {
    issuer: settings.issuer,
    maskedKey: maskKey(key),
    label: settings.label ?? null,
    limit: settings.limit ?? null,
    // NanoGPT applies a limit monthly unless told otherwise.
    period: settings.period ?? (settings.limit !== undefined ? 'monthly' : null),
    expiresAt: settings.expiresAt?.toISOString() ?? null,
    createdAt: new Date().toISOString(),
  };
  // The config folder must be private too, not only its minted/ folder.
  await ensurePrivateDir(configDir({ env }));
  await writePrivateFile(recordPath(key, env), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of a key minted here, or null (not minted here, or the record is unreadable). */
export async function loadMintRecord(key: string, env: NodeJS.ProcessEnv): Promise<MintRecord | null> {
  let data: unknown;
  try {
    data = parseJson(await readFile(recordPath(key, env), 'utf8'));
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  const issuer = stringField(data, 'issuer');
  const createdAt = stringField(data, 'createdAt');
  if (issuer === undefined || createdAt === undefined) return null;
  return {
    issuer,
    maskedKey: maskKey(key),
    label: stringField(data, 'label') ?? null,
    limit: numberField(data, 'limit') ?? null,
    period: stringField(data, 'period') ?? null,
    expiresAt: stringField(data, 'expiresAt') ?? null,
    createdAt,
  };
}
