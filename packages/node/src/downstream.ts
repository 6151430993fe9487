import { createPkcePair, DEFAULT_SCOPE, exchangeShortcutCode, type SignInResult, type UsageLimitType } from '@nanogpt-signin/core';
import { withDeadline, type DeadlineOptions } from './deadline.js';
import { NanoGptNodeError } from './errors.js';
import { errorText, postJson, stringField } from './http.js';
import { issuerUrl, normalizeIssuer } from './issuer.js';

/** The settings of a downstream key (NanoGPT spec §8). */
export interface DownstreamKeySettings {
  /** The user's key that pays for the new one: a dashboard key without restrictions. */
  sourceKey: string;
  /** NanoGPT origin; default `https://nano-gpt.com`. The source key is only ever sent here. */
  issuer?: string;
  /** Default `api.use models.read`. */
  scope?: string;
  /** The new key's name in NanoGPT settings. */
  label?: string;
  /** Spend cap in USD (0 blocks paid spend). */
  limit?: number;
  /** Period of `limit`; the server defaults to `monthly` when a limit is given. */
  usageLimitType?: UsageLimitType;
  /** When the new key stops working. Never later than an expiring source key. */
  expiresAt?: Date | string;
  /** The tool the key is for. */
  clientName?: string;
  signal?: AbortSignal;
  /** Default 30 s for the whole operation. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface DownstreamKeyCodeOptions extends DownstreamKeySettings {
  /** Where the code may be redeemed from: the receiving process's loopback redirect URI. */
  redirectUri: string;
  /** The receiving process's PKCE challenge (S256). */
  codeChallenge: string;
}

export interface DownstreamKeyCode {
  /** Single-use, short-lived authorization code: hand it only to the receiver, never log it. */
  code: string;
  id: string;
  appId?: string;
  expiresAt?: string;
}

const DEFAULT_DOWNSTREAM_TIMEOUT_MS = 30_000;
/**
 * In-process mode never opens this address; the server only derives the new key's allowed browser
 * origins from it (loopback origins of this port). A key used outside a browser is unaffected.
 */
export const IN_PROCESS_REDIRECT_URI = 'http://127.0.0.1:8976/callback';

/** The deadline of one downstream-key operation: the settings' timeout (default 30 s), signal and fetch. */
export function downstreamLimits(settings: DownstreamKeySettings, what: string): DeadlineOptions {
  return { timeoutMs: settings.timeoutMs ?? DEFAULT_DOWNSTREAM_TIMEOUT_MS, signal: settings.signal, what, fetch: settings.fetch };
}

function expiresAtIso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new NanoGptNodeError('invalid_request', 'expiresAt is not a valid date.');
  return date.toISOString();
}

/** Maps a refusal of `/api/v1/auth/keys/code` to an error that says what to do. */
export function mintRefusal(status: number, body: unknown): NanoGptNodeError {
  const error = stringField(body, 'error') ?? '';
  const reason = stringField(body, 'reason') ?? '';
  const detail = errorText(body);
  const lower = detail.toLowerCase();
  if (status === 401 || error === 'invalid_api_key' || error === 'missing_api_key') {
    return new NanoGptNodeError(
      'source_key_invalid',
      'The source key was not accepted (unknown, revoked or expired). Sign in again, or use a current key from NanoGPT settings.',
      { status },
    );
  }
  if (reason === 'oauth_source_key' || (!reason && lower.includes('oauth'))) {
    return new NanoGptNodeError(
      'source_key_oauth',
      'This key was itself created by Sign in with NanoGPT (OAuth), and such keys cannot mint downstream keys. Use a key from NanoGPT settings (API keys; for nanogpt-login mint: NANOGPT_SOURCE_KEY) or one from device login (nanogpt-login --device).',
      { status },
    );
  }
  if (reason === 'restricted_source_key' || (!reason && lower.includes('restriction'))) {
    return new NanoGptNodeError(
      'source_key_restricted',
      'The source key has restrictions (spend, request, model, provider, origin or redaction limits), and restricted keys cannot mint downstream keys. Use an unrestricted key from NanoGPT settings.',
      { status },
    );
  }
  if (status === 429) return new NanoGptNodeError('rate_limited', 'NanoGPT is rate limiting key creation; wait and try again.', { status });
  if (error === 'invalid_scope') return new NanoGptNodeError('invalid_scope', `The requested scope was refused${detail ? `: ${detail}` : ''}.`, { status });
  if (status >= 500) return new NanoGptNodeError('server_error', `NanoGPT failed to create the key code (HTTP ${status}).`, { status });
  return new NanoGptNodeError('invalid_request', `NanoGPT refused to create the key code${detail ? `: ${detail}` : ` (HTTP ${status})`}.`, { status });
}

export async function mintCode(options: DownstreamKeyCodeOptions, issuer: string, doFetch: typeof fetch): Promise<DownstreamKeyCode> {
  const body: Record<string, unknown> = {
    redirect_uri: options.redirectUri,
    code_challenge: options.codeChallenge,
    code_challenge_method: 'S256',
    scope: options.scope ?? DEFAULT_SCOPE,
  };
  if (options.label !== undefined) body.key_label = options.label;
  if (options.limit !== undefined) {
    if (!Number.isFinite(options.limit) || options.limit < 0) throw new NanoGptNodeError('invalid_request', 'limit must be a number of USD, 0 or more.');
    body.limit = options.limit;
  }
  if (options.usageLimitType !== undefined) body.usage_limit_type = options.usageLimitType;
  const expires = expiresAtIso(options.expiresAt);
  if (expires !== undefined) body.expires_at = expires;
  if (options.clientName !== undefined) body.client_name = options.clientName;

  const { response, body: answer } = await postJson(doFetch, issuerUrl(issuer, '/api/v1/auth/keys/code'), body, {
    Authorization: `Bearer ${options.sourceKey}`,
  });
  if (!response.ok) throw mintRefusal(response.status, answer);
  const code = stringField(answer, 'code');
  const id = stringField(answer, 'id');
  if (!code || !id) throw new NanoGptNodeError('unexpected_response', 'The key code answer is missing fields.');
  const result: DownstreamKeyCode = { code, id };
  const appId = stringField(answer, 'app_id');
  if (appId !== undefined) result.appId = appId;
  const expiresAt = stringField(answer, 'expires_at');
  if (expiresAt !== undefined) result.expiresAt = expiresAt;
  return result;
}

/** Redeems a downstream key code (a shortcut-flow code) at `/api/v1/auth/keys` for the new key. */
export async function redeemKeyCode(issuer: string, code: string, codeVerifier: string, doFetch: typeof fetch): Promise<SignInResult> {
  const { key, scope } = await exchangeShortcutCode({ issuer, code, codeVerifier, fetch: doFetch });
  return { key, scope };
}

/**
 * Low level: mints a downstream key code with the source key for another process's redirect URI
 * and PKCE challenge (`POST /api/v1/auth/keys/code`). Deliver the code with
 * `deliverDownstreamKeyCode`, or use `handOffDownstreamKey` which does both.
 */
export async function createDownstreamKeyCode(options: DownstreamKeyCodeOptions): Promise<DownstreamKeyCode> {
  const issuer = normalizeIssuer(options.issuer);
  return withDeadline(downstreamLimits(options, 'the key code'), (deadline) => mintCode(options, issuer, deadline.fetch));
}

/**
 * In-process mode: this process is the downstream tool. Mints a code with its own PKCE pair and
 * redeems it at `/api/v1/auth/keys`, returning the new key.
 */
export async function createDownstreamKey(options: DownstreamKeySettings & { redirectUri?: string }): Promise<SignInResult> {
  const issuer = normalizeIssuer(options.issuer);
  return withDeadline(downstreamLimits(options, 'the downstream key'), async (deadline) => {
    const { codeVerifier, codeChallenge } = await createPkcePair();
    const minted = await mintCode({ ...options, redirectUri: options.redirectUri ?? IN_PROCESS_REDIRECT_URI, codeChallenge }, issuer, deadline.fetch);
    return redeemKeyCode(issuer, minted.code, codeVerifier, deadline.fetch);
  });
}
