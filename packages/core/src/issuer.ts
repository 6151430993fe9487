import { DEFAULT_ISSUER } from './defaults.js';
import { throwAuthError } from './errors.js';

/** Hosts where plain http is acceptable (a local mock server): nothing leaves the machine. */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])$/;

/** True for a loopback hostname as `URL#hostname` spells it: `127.0.0.1`, `localhost`, `[::1]`. */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOST.test(hostname);

const refuseIssuer = (rule: string): never => throwAuthError('invalid_request', 'Issuer must be ' + rule + '.');
const PLAIN_ORIGIN = 'a plain origin like https://nano-gpt.com';

/**
 * The one issuer rule: returns the origin of `issuer` (default `https://nano-gpt.com`), without a
 * trailing slash. Codes, verifiers and keys cross it, so it must be https (plain http only on
 * loopback, the rule the standard flow gives oauth4webapi); endpoint URLs are built from the origin,
 * so a path, credentials, query or fragment is refused rather than silently dropped.
 * Throws `invalid_request`.
 */
export function normalizeIssuer(issuer: string = DEFAULT_ISSUER): string {
  const url = parseUrl(issuer);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    refuseIssuer('https; plain http only on 127.0.0.1, localhost or [::1]');
  // Anything beyond the origin and one trailing slash: a path, user:password@, ?query or #fragment.
  if (url.href !== url.origin + '/') refuseIssuer(PLAIN_ORIGIN);
  return url.origin;
}

function parseUrl(issuer: string): URL {
  try {
    return new URL(issuer);
  } catch {
    return refuseIssuer(PLAIN_ORIGIN);
  }
}
