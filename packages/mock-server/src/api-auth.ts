import type { IncomingMessage } from 'node:http';
import { HttpError, tooManyRequests } from './http/errors.js';
import { headerText } from './http/headers.js';
import type { MockState } from './state.js';
import type { KeyRecord } from './store/keys.js';

/** The 401 discovery hint of spec §2. */
export function wwwAuthenticate(state: MockState): Record<string, string> {
  return { 'www-authenticate': `Bearer resource_metadata="${state.issuer}/.well-known/oauth-protected-resource"` };
}

function presentedKey(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization)?.[1];
    if (bearer !== undefined) return bearer;
  }
  return headerText(req.headers, 'x-api-key');
}

/** A browser `Origin` the key accepts; requests without one are not browsers and pass [mock]. */
function originAllowed(record: KeyRecord, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || record.allowedOrigins.length === 0 || record.allowedOrigins.includes(origin);
}

/**
 * Authenticate an API request (spec §1, §2): 401 missing/invalid key with the WWW-Authenticate
 * hint, 403 when a browser Origin is not allowed for the key, 429 over the throughput limit.
 * Per-key daily request and spend caps are the chat's business (api/accounting.ts).
 */
export function authenticate(state: MockState, req: IncomingMessage): KeyRecord {
  const now = state.now();
  const presented = presentedKey(req);
  if (presented === undefined) {
    throw new HttpError(401, 'missing_api_key', 'No API key was sent; use Authorization: Bearer <key> or X-API-Key', {
      headers: wwwAuthenticate(state),
    });
  }
  const record = state.keys.get(presented);
  if (record === undefined || !state.keys.isActive(record)) {
    throw new HttpError(401, 'invalid_api_key', 'The API key is unknown, revoked, inactive or expired', {
      headers: wwwAuthenticate(state),
    });
  }
  if (!originAllowed(record, req)) {
    throw new HttpError(403, 'api_key_origin_not_allowed', 'This API key may not be used from this browser origin');
  }
  const perSecond = state.rateLimitPerSecond;
  if (perSecond !== null) {
    const wait = state.apiLimiter.hit(record.id, perSecond, now);
    if (wait !== null) throw tooManyRequests('Too many requests for this API key; slow down', wait);
  }
  return record;
}

/**
 * The key a public endpoint may personalise with (`/api/v1/models`): an active key allowed from
 * the request's origin, or undefined. A missing, unknown or revoked key is never an error there [pub].
 */
export function optionalKey(state: MockState, req: IncomingMessage): KeyRecord | undefined {
  const presented = presentedKey(req);
  const record = presented === undefined ? undefined : state.keys.get(presented);
  if (record === undefined || !state.keys.isActive(record)) return undefined;
  return originAllowed(record, req) ? record : undefined;
}
