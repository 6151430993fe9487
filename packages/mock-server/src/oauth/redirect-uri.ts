import { LOOPBACK_HOSTS } from '../http/loopback.js';

/**
 * Redirect URI rules (spec §5, RFC 8252): https anywhere; http only to a loopback host with an
 * explicit port; never wildcards, fragments or userinfo. Loopback hosts are canonicalised to
 * 127.0.0.1 for comparison; matching is otherwise an exact string match. The mock's own check, never
 * core's code: a server that trusted the client's code could not catch the client's mistakes.
 */
export interface ValidRedirect {
  /** The URI exactly as the client sent it (the one redirected to). */
  uri: string;
  /** The comparison form: loopback host rewritten to 127.0.0.1. */
  canonical: string;
  loopback: boolean;
  /** Browser origins a key minted for this redirect accepts. */
  origins: string[];
}

export type RedirectResult = { ok: true; value: ValidRedirect } | { ok: false; description: string };

const MAX_LENGTH = 2000;

export function validateRedirectUri(raw: string): RedirectResult {
  const fail = (description: string): RedirectResult => ({ ok: false, description });
  if (raw.length > MAX_LENGTH) return fail('redirect URI is too long');
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return fail('redirect URI contains whitespace or control characters');
  // A URI is ASCII (RFC 3986). Other characters could not go back out in a Location header
  // (Node refuses them: the redirect was a 500) and would break the exact-match rule.
  if (/[^\u0021-\u007e]/.test(raw)) return fail('redirect URI must be ASCII; percent-encode other characters (RFC 3986)');
  if (raw.includes('#')) return fail('redirect URI must not contain a fragment');
  if (raw.includes('*')) return fail('redirect URI must not contain wildcards');
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(raw);
  if (!match) return fail('redirect URI must be an absolute https:// or loopback http:// URL');
  const scheme = (match[1] ?? '').toLowerCase();
  const authority = match[2] ?? '';
  const rest = match[3] ?? '';
  if (authority.includes('@')) return fail('redirect URI must not contain credentials');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('redirect URI is not a valid URL');
  }
  if (url.username !== '' || url.password !== '') return fail('redirect URI must not contain credentials');
  const hostMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!hostMatch) return fail('redirect URI has an invalid host');
  const host = (hostMatch[1] ?? '').toLowerCase();
  const port = hostMatch[2];
  if (host === '') return fail('redirect URI has no host');
  const loopback = LOOPBACK_HOSTS.includes(host);
  if (scheme === 'http') {
    if (!loopback) return fail('http redirect URIs are allowed only for loopback hosts (127.0.0.1, localhost, [::1])');
  } else if (scheme !== 'https') {
    return fail('redirect URI must use https (or http on a loopback host)');
  }
  if (loopback && (port === undefined || port === '')) {
    return fail('loopback redirect URIs need an explicit port');
  }
  if (port !== undefined && port !== '') {
    const portNumber = Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) return fail('redirect URI has an invalid port');
  }
  const portPart = port !== undefined && port !== '' ? `:${port}` : '';
  const canonicalHost = loopback ? '127.0.0.1' : host;
  const canonical = `${scheme}://${canonicalHost}${portPart}${rest}`;
  // Browsers omit a default port from Origin.
  const defaultPort = (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443');
  const originPort = defaultPort ? '' : portPart;
  const origins = loopback
    ? LOOPBACK_HOSTS.map((loopbackHost) => `${scheme}://${loopbackHost}${originPort}`)
    : [url.origin];
  return { ok: true, value: { uri: raw, canonical, loopback, origins } };
}

/** `redirect host` shown on the consent page. */
export function displayHost(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}

/** `uri` plus query parameters, keeping the URI exactly as the client sent it. */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.append(name, value);
  return `${uri}${uri.includes('?') ? '&' : '?'}${search.toString()}`;
}
