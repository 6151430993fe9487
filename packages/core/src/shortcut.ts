import { apiError, readApiErrorCode } from './api-errors.js';
import { DEFAULT_SCOPE } from './defaults.js';
import { errorCodeFromOAuth, NanoGptAuthError } from './errors.js';
import type { Flow } from './flow.js';
import { parseKeyBody, readJsonBody, send, urlWithQuery, type SignInResult } from './http.js';

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
export const buildShortcutAuthorizationUrl = (params: ShortcutAuthorizationParams): URL =>
  urlWithQuery('/auth', params.issuer, {
    callback_url: params.redirectUri,
    code_challenge: params.codeChallenge,
    code_challenge_method: 'S256',
    scope: params.scope || DEFAULT_SCOPE,
    state: params.state,
    client_name: params.clientName,
  });

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
export async function exchangeShortcutCode(params: ShortcutExchangeParams): Promise<SignInResult & { userId?: string }> {
  const response = await send(params.fetch, new URL('/api/v1/auth/keys', params.issuer), {
    method: 'POST',
    redirect: 'manual', // never carry the code and verifier elsewhere
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ grant_type: 'authorization_code', code: params.code, code_verifier: params.codeVerifier }),
  });
  if (response.status === 429) throw await apiError(response);
  const body = await readJsonBody(response);
  if (!response.ok) throw new NanoGptAuthError(errorCodeFromOAuth(readApiErrorCode(body)), '', { status: response.status });
  return parseKeyBody(body);
}

/** The shortcut key-handoff flow (`/auth` + `/api/v1/auth/keys`); the default flow. */
export const shortcutFlow: Flow = {
  id: 'shortcut',
  authorize: async (params) => ({ url: buildShortcutAuthorizationUrl(params) }),
  exchange: async (params) => {
    const { key, scope } = await exchangeShortcutCode(params);
    return { key, scope };
  },
};
