import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors.js';
import { headerText } from '../http/headers.js';
import { LOOPBACK_HOSTS } from '../http/loopback.js';

/** The test controls' paths: they change the account at will, so only local tooling may call them. */
export const isControlPath = (path: string): boolean => path.startsWith('/__mock/');

/**
 * The `Host` values a control request may carry: the issuer's own `host:port`, and on a loopback
 * issuer its loopback aliases at the same port. A DNS-rebound name (`evil.example` resolving to
 * 127.0.0.1) never matches.
 */
export function controlHosts(issuer: string): Set<string> {
  const url = new URL(issuer);
  const hosts = new Set([url.host.toLowerCase()]);
  const port = url.port === '' ? '' : `:${url.port}`;
  if (LOOPBACK_HOSTS.includes(url.hostname)) for (const name of LOOPBACK_HOSTS) hosts.add(`${name}${port}`);
  return hosts;
}

const forbidden = (description: string): HttpError => new HttpError(403, 'forbidden', description);

/**
 * Refuse a control request that a web page could have sent: one for another `Host` (DNS
 * rebinding), one with an `Origin` (every cross-origin fetch or form POST carries one), or one a
 * browser marks as coming from another site (`Sec-Fetch-Site`, e.g. a link or an image). Node's
 * fetch sends none of these, so `MockControls` and curl keep working.
 */
export function refuseForeignControlRequest(req: IncomingMessage, issuer: string): void {
  const host = headerText(req.headers, 'host')?.toLowerCase();
  if (host === undefined || !controlHosts(issuer).has(host)) {
    throw forbidden(`Test controls answer only requests addressed to ${new URL(issuer).host}`);
  }
  if (req.headers.origin !== undefined) {
    throw forbidden('Test controls refuse requests from web pages (an Origin header); call them from Node or curl');
  }
  const site = headerText(req.headers, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    throw forbidden('Test controls refuse requests a browser sends for another site');
  }
}
