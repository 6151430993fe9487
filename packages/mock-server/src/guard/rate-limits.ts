import type { IncomingMessage } from 'node:http';
import { tooManyRequests } from '../http/errors.js';
import type { MockState } from '../state.js';

/**
 * Count one request of the client's IP in `bucket`; over `perMinute` it is a 429 with Retry-After
 * and the error `code` (device login's is `rate_limited`, spec §10). null disables.
 */
export function limitIp(state: MockState, req: IncomingMessage, bucket: string, perMinute: number | null, code?: string): void {
  if (perMinute === null) return;
  const ip = req.socket.remoteAddress ?? 'unknown';
  const wait = state.ipLimiter.hit(`${bucket}:${ip}`, perMinute, state.now());
  if (wait !== null) throw tooManyRequests(`Too many ${bucket} requests; slow down`, wait, code);
}

/** The OAuth endpoints production rate-limits (spec §11), each counted on its own per IP. */
const OAUTH_ENDPOINTS: ReadonlySet<string> = new Set(['/auth', '/oauth/authorize', '/oauth/register', '/oauth/token', '/api/v1/auth/keys']);

/** The per-IP limit of an OAuth endpoint (`oauthRateLimit`); other paths pass. */
export function limitOAuthEndpoint(state: MockState, req: IncomingMessage, path: string): void {
  if (OAUTH_ENDPOINTS.has(path)) limitIp(state, req, path, state.config.oauthPerMinute);
}
