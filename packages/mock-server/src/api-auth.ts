import type { IncomingMessage } from 'node:http';
import { HttpError, tooManyRequests } from './http/errors.js';
import { headerText } from './http/headers.js';
import type { MockState } from './state.js';
import type { KeyRecord } from './store/keys.js';

/** The 401 discovery hint of spec §1. */
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

/**
 * Authenticate an API request (spec §1): 401 missing/invalid key with the WWW-Authenticate
 * hint, 403 when a browser Origin is not allowed for the key, 429 over the rate limit.
 * Requests without an Origin header are not browsers and are not origin-checked.
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
  const origin = req.headers.origin;
  if (origin !== undefined && record.allowedOrigins.length > 0 && !record.allowedOrigins.includes(origin)) {
    throw new HttpError(403, 'api_key_origin_not_allowed', 'This API key may not be used from this browser origin');
  }
  const perSecond = state.rateLimitPerSecond;
  if (perSecond !== null) {
    const wait = state.apiLimiter.hit(record.id, perSecond, now);
    if (wait !== null) throw tooManyRequests('Too many requests for this API key; slow down', wait);
  }
  const daily = record.restrictions.requestLimit;
  if (daily !== null) {
    const wait = state.dailyLimiter.hit(record.id, daily, now);
    if (wait !== null) throw tooManyRequests('This API key reached its daily request cap', wait);
  }
  return record;
}
