import { DEFAULT_SCOPE } from './defaults.js';
import type { Flow } from './flow.js';
import { postForKey } from './http.js';

/** Parameters of {@link buildShortcutAuthorizationUrl}. */
export interface ShortcutAuthorizationParams {
  issuer: string;
  /** Where NanoGPT sends the user back (`callback_url`). */
  redirectUri: string;
  codeChallenge: string;
  state: string;
  /** Default `api.use models.read`. */
  scope?: string;
  /** Name shown on the consent screen. */
  clientName?: string;
}

/** Builds the shortcut flow's consent URL: `<issuer>/auth?callback_url=…&code_challenge=…` (S256). */
export function buildShortcutAuthorizationUrl(p: ShortcutAuthorizationParams): URL {
  const url = new URL('/auth', p.issuer);
  const q = url.searchParams;
  q.set('callback_url', p.redirectUri);
  q.set('code_challenge', p.codeChallenge);
  q.set('code_challenge_method', 'S256');
  q.set('scope', p.scope || DEFAULT_SCOPE);
  q.set('state', p.state);
  if (p.clientName) q.set('client_name', p.clientName);
  return url;
}

/** Parameters of {@link exchangeShortcutCode}. */
export interface ShortcutExchangeParams {
  issuer: string;
  code: string;
  codeVerifier: string;
  fetch?: typeof fetch;
}

/**
 * Redeems a shortcut-flow code at `<issuer>/api/v1/auth/keys` (once: never retry a code).
 * Throws `invalid_grant` for a bad, expired or reused code or a PKCE mismatch.
 */
export const exchangeShortcutCode = (p: ShortcutExchangeParams): Promise<{ key: string; scope: string; userId?: string }> =>
  postForKey(
    p.fetch,
    new URL('/api/v1/auth/keys', p.issuer),
    { grant_type: 'authorization_code', code: p.code, code_verifier: p.codeVerifier },
    true,
  );

/** The shortcut key-handoff flow (`/auth` + `/api/v1/auth/keys`); the default flow. */
export const shortcutFlow: Flow = {
  id: 'shortcut',
  authorize: async (p) => ({ url: buildShortcutAuthorizationUrl(p) }),
  exchange: async (p) => {
    const { key, scope } = await exchangeShortcutCode(p);
    return { key, scope };
  },
};
