import { NanoGptAuthError } from './errors.js';

/** Hosts where plain http is acceptable (a local mock server): nothing leaves the machine. @internal */
export const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])$/;

/** True for a loopback hostname as `URL#hostname` spells it: `127.0.0.1`, `localhost`, `[::1]`. */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOST.test(hostname);

/**
 * The issuer's origin. Codes, verifiers and keys cross it, so it must be https; plain http only on
 * loopback, the same rule the standard flow gives oauth4webapi. Throws `invalid_request`. @internal
 */
export function secureOrigin(issuer: string): string {
  try {
    const u = new URL(issuer);
    if (u.protocol == 'https:' || (u.protocol == 'http:' && LOOPBACK_HOST.test(u.hostname))) return u.origin;
  } catch {}
  throw new NanoGptAuthError('invalid_request', 'Issuer must be https (http only on loopback).');
}
