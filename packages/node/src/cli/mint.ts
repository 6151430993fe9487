import { maskKey } from '@nanogpt-signin/core';
import { createDownstreamKey, type DownstreamKeySettings } from '../downstream.js';
import { handOffDownstreamKey, type DownstreamKeyRequest } from '../handoff.js';
import { NanoGptNodeError } from '../errors.js';
import { isRecord, parseJson } from '../http.js';
import type { Command } from './args.js';
import { requireCredentials } from './account.js';
import { commandIssuer, say, type CliIo } from './io.js';
import { childEnvironment, runChild, type ChildExit } from './child.js';
import { checkEnvFile, writeKeyToEnvFile } from './env-file.js';
import { emitKey } from './key-output.js';
import { saveMintRecord } from './minted.js';

type MintCommand = Extract<Command, { kind: 'mint' }>;

/**
 * The key that pays for the new one: `NANOGPT_SOURCE_KEY` when set (e.g. a key from NanoGPT
 * settings: keys from the browser sign-in are OAuth keys, which NanoGPT does not let mint), else
 * the stored key.
 */
async function sourceKey(command: MintCommand, io: CliIo): Promise<{ key: string; issuer: string }> {
  const fromEnv = io.env.NANOGPT_SOURCE_KEY?.trim();
  if (fromEnv) {
    return { key: fromEnv, issuer: commandIssuer(command.issuer, io) };
  }
  const { credentials } = await requireCredentials(io, command.issuer, command.profile);
  return { key: credentials.key, issuer: credentials.issuer };
}

function describeLimits(command: MintCommand): string {
  const parts: string[] = [];
  if (command.limit !== undefined) parts.push(`limit $${command.limit} ${command.period ?? 'monthly'}`);
  if (command.expiresAt) parts.push(`expires ${command.expiresAt.toISOString()}`);
  return parts.length > 0 ? parts.join(', ') : 'no limit, no expiry';
}

/** Parses the JSON line `nanogpt-login receive` printed. */
export function parseHandoffRequest(text: string): DownstreamKeyRequest {
  const data = parseJson(text);
  if (data === undefined) throw new NanoGptNodeError('invalid_request', '--to needs the JSON line printed by nanogpt-login receive.');
  if (
    !isRecord(data) ||
    typeof data.issuer !== 'string' ||
    typeof data.redirectUri !== 'string' ||
    typeof data.codeChallenge !== 'string' ||
    typeof data.state !== 'string'
  ) {
    throw new NanoGptNodeError('invalid_request', '--to needs { issuer, redirectUri, codeChallenge, state } as printed by nanogpt-login receive.');
  }
  return { issuer: data.issuer, redirectUri: data.redirectUri, codeChallenge: data.codeChallenge, state: data.state };
}

export async function mint(command: MintCommand, io: CliIo): Promise<ChildExit> {
  if (command.envFile !== undefined) await checkEnvFile(command.envFile);
  const source = await sourceKey(command, io);
  const settings: DownstreamKeySettings = {
    sourceKey: source.key,
    issuer: source.issuer,
    scope: command.scope,
    label: command.label,
    limit: command.limit,
    usageLimitType: command.period,
    expiresAt: command.expiresAt,
    clientName: command.clientName ?? command.label ?? 'nanogpt-login mint',
    signal: io.signal,
  };
  if (command.to !== undefined) {
    const request = parseHandoffRequest(command.to);
    await handOffDownstreamKey({ ...settings, request });
    say(io, `Handed a new key (${describeLimits(command)}) to the process waiting at ${request.redirectUri}; it never passed through here.`);
    return 0;
  }
  const result = await createDownstreamKey(settings);
  await saveMintRecord(result.key, { issuer: source.issuer, label: command.label, limit: command.limit, period: command.period, expiresAt: command.expiresAt }, io.env);
  const template = `Minted {key} (scopes: ${result.scope}; ${describeLimits(command)})`;
  const summary = template.replace('{key}', maskKey(result.key));
  if (command.run !== undefined) {
    // The key lives only in the child's environment: nothing is saved, nothing printed.
    say(io, `${summary}; running ${command.run[0] ?? ''} with it.`);
    return runChild(command.run, childEnvironment(io.env, result.key, source.issuer), io);
  }
  if (command.envFile !== undefined) {
    const path = await writeKeyToEnvFile(command.envFile, result.key);
    say(io, `${summary}; written to ${path} (mode 0600).`);
    return 0;
  }
  await emitKey(result.key, template, command, io);
  return 0;
}
