import { parseRetryAfter } from '@nanogpt-signin/core';
import { NanoGptNodeError } from './errors.js';
import { errorText, isRecord, numberField, readJson, stringField } from './http.js';
import { issuerUrl, normalizeIssuer } from './issuer.js';

/** What `/api/v1/usage` says the key spent over its date range (UTC days, `YYYY-MM-DD`). */
export interface KeySpend {
  from: string;
  to: string;
  requests: number;
  costUsd: number;
}

export type KeyCheck =
  | { ok: true; spend: KeySpend }
  | { ok: false; code: 'invalid_api_key' | 'origin_not_allowed' | 'rate_limited' | 'server_error' | 'unexpected_response'; status: number; message: string };

/** The code of an error body in the OpenAI envelope (`{error:{code}}`) or the flat OAuth shape (`{error:'…'}`). */
function errorCode(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  return isRecord(body.error) ? stringField(body.error, 'code') : stringField(body, 'error');
}

/**
 * Asks `GET /api/v1/usage` (the key's own spend over the last 30 days) whether `key` still works.
 * Never the model list: it is public and answers 200 for a revoked key too. Network failures
 * throw `network_error`.
 */
export async function checkKey(options: { key: string; issuer?: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<KeyCheck> {
  const issuer = normalizeIssuer(options.issuer);
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(issuerUrl(issuer, '/api/v1/usage'), {
      headers: { Authorization: `Bearer ${options.key}`, Accept: 'application/json' },
      signal: options.signal,
    });
  } catch (error) {
    throw new NanoGptNodeError('network_error', `Could not reach ${issuer}.`, { cause: error });
  }
  const body = await readJson(response);
  if (response.ok) {
    const totals = isRecord(body) && isRecord(body.totals) ? body.totals : null;
    const from = stringField(body, 'from');
    const to = stringField(body, 'to');
    const requests = numberField(totals, 'requests');
    const costUsd = numberField(totals, 'netCostUsd') ?? numberField(totals, 'costUsd');
    if (!from || !to || requests === undefined || costUsd === undefined) {
      return { ok: false, code: 'unexpected_response', status: response.status, message: 'The usage answer was not in the expected shape.' };
    }
    return { ok: true, spend: { from, to, requests, costUsd } };
  }
  const message = isRecord(body) && isRecord(body.error) ? errorText(body.error) : errorText(body);
  if (response.status === 401) {
    return { ok: false, code: 'invalid_api_key', status: 401, message: 'The key is unknown, revoked or expired; sign in again.' };
  }
  if (response.status === 403 && errorCode(body) === 'api_key_origin_not_allowed') {
    return { ok: false, code: 'origin_not_allowed', status: 403, message: message || 'Origin not allowed for this key.' };
  }
  if (response.status === 429) {
    const retry = parseRetryAfter(response);
    return { ok: false, code: 'rate_limited', status: 429, message: `Rate limited${retry !== undefined ? `; retry after ${retry}s` : ''}.` };
  }
  return { ok: false, code: response.status >= 500 ? 'server_error' : 'unexpected_response', status: response.status, message: message || `HTTP ${response.status}` };
}
