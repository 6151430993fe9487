import { parseRetryAfter } from '@nanogpt-signin/core';
import { NanoGptNodeError } from './errors.js';
import { errorText, isRecord, readJson, stringField } from './http.js';
import { issuerUrl, normalizeIssuer } from './issuer.js';

export type KeyCheck =
  | { ok: true; models: number }
  | { ok: false; code: 'invalid_api_key' | 'origin_not_allowed' | 'rate_limited' | 'server_error' | 'unexpected_response'; status: number; message: string };

/** Asks `GET /api/v1/models` whether `key` still works. Network failures throw `network_error`. */
export async function checkKey(options: { key: string; issuer?: string; fetch?: typeof fetch; signal?: AbortSignal }): Promise<KeyCheck> {
  const issuer = normalizeIssuer(options.issuer);
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(issuerUrl(issuer, '/api/v1/models'), {
      headers: { Authorization: `Bearer ${options.key}`, Accept: 'application/json' },
      signal: options.signal,
    });
  } catch (error) {
    throw new NanoGptNodeError('network_error', `Could not reach ${issuer}.`, { cause: error });
  }
  const body = await readJson(response);
  if (response.ok) {
    const data = isRecord(body) && Array.isArray(body.data) ? body.data : null;
    if (!data) return { ok: false, code: 'unexpected_response', status: response.status, message: 'The model list was not in the expected shape.' };
    return { ok: true, models: data.length };
  }
  const error = stringField(body, 'error');
  if (response.status === 401) {
    return { ok: false, code: 'invalid_api_key', status: 401, message: 'The key is unknown, revoked or expired; sign in again.' };
  }
  if (response.status === 403 && error === 'api_key_origin_not_allowed') {
    return { ok: false, code: 'origin_not_allowed', status: 403, message: errorText(body) || 'Origin not allowed for this key.' };
  }
  if (response.status === 429) {
    const retry = parseRetryAfter(response);
    return { ok: false, code: 'rate_limited', status: 429, message: `Rate limited${retry !== undefined ? `; retry after ${retry}s` : ''}.` };
  }
  return { ok: false, code: response.status >= 500 ? 'server_error' : 'unexpected_response', status: response.status, message: errorText(body) || `HTTP ${response.status}` };
}
