import type { SignInResult } from './http.js';
import type { StorageLike } from './storage.js';

/** What a {@link Flow} gets to build the authorization URL. */
export interface FlowAuthorizeParams {
  issuer: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  clientName?: string;
  clientId?: string;
  storage: StorageLike;
  fetch?: typeof fetch;
}

/** What a {@link Flow} gets to exchange the code (state, `iss` and errors already validated). */
export interface FlowExchangeParams {
  issuer: string;
  redirectUri: string;
  callbackUrl: URL;
  code: string;
  state: string;
  codeVerifier: string;
  clientId?: string;
  storage: StorageLike;
  fetch?: typeof fetch;
}

/**
 * A sign-in protocol: the shortcut flow (default, `shortcutFlow`) or the standard OAuth flow
 * (`standardFlow` from `@nanogpt-signin/core/standard`). Passed as an object so that apps only
 * ship the code of the flow they import.
 */
export interface Flow {
  /** Stable id stored with the pending sign-in (`'shortcut'`, `'standard'`). */
  readonly id: string;
  /** Builds the authorization URL; may return the client_id it used (kept with the pending flow). */
  authorize(params: FlowAuthorizeParams): Promise<{ url: URL; clientId?: string }>;
  /** Exchanges the authorization code for the key. */
  exchange(params: FlowExchangeParams): Promise<SignInResult>;
}
