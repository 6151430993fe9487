import type { IncomingMessage } from 'node:http';
import { readParams, type BodyFormat } from '../http/body.js';
import { HttpError, invalidRequest } from '../http/errors.js';
import { optionalString, rejectRepeated, requiredString, type Params } from '../http/params.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { keyForGrant } from '../oauth/grants.js';
import { isValidVerifier, verifierMatches } from '../oauth/pkce.js';
import { validateRedirectUri } from '../oauth/redirect-uri.js';
import type { MockState } from '../state.js';
import type { AuthorizationCode, CodeFlow } from '../store/codes.js';
import type { KeyRecord } from '../store/keys.js';

/** RFC 6749 §5.1: token answers are never cached. */
const TOKEN_NO_STORE = { ...NO_STORE, pragma: 'no-cache' };

const invalidGrant = (description: string): HttpError => new HttpError(400, 'invalid_grant', description, { headers: TOKEN_NO_STORE });

function checkGrantType(params: Params, required: boolean): void {
  const grantType = required ? requiredString(params, 'grant_type') : optionalString(params, 'grant_type');
  if (grantType !== undefined && grantType !== 'authorization_code') {
    throw new HttpError(400, 'unsupported_grant_type', 'Only grant_type=authorization_code is supported');
  }
}

/**
 * Redeem a code: single use (any redemption attempt consumes it), unexpired, issued by the
 * expected flow, bound to `binding`, and the verifier must hash to its challenge.
 */
function redeem(
  state: MockState,
  code: string,
  verifier: string,
  flows: readonly CodeFlow[],
  binding?: { clientId: string; redirectCanonical: string },
): AuthorizationCode {
  const record = state.codes.take(code);
  if (record === undefined) throw invalidGrant('The authorization code is invalid, expired or already used');
  if (!flows.includes(record.flow)) throw invalidGrant('The authorization code was not issued for this endpoint');
  if (binding !== undefined && record.clientId !== binding.clientId) throw invalidGrant('The authorization code was issued to another client');
  if (binding !== undefined && record.redirectCanonical !== binding.redirectCanonical) {
    throw invalidGrant('redirect_uri does not match the authorization request');
  }
  if (!verifierMatches(verifier, record.codeChallenge)) throw invalidGrant('PKCE verification failed: code_verifier does not match code_challenge');
  state.count('codesRedeemed');
  return record;
}

/** The key a redeemed code grants (reused when the grant is unchanged). */
function keyForCode(state: MockState, code: AuthorizationCode): KeyRecord {
  const name = code.keyLabel ?? `OAuth: ${code.clientName}`;
  return keyForGrant(state, code, 'oauth', name);
}

function readVerifier(params: Params): string {
  const verifier = requiredString(params, 'code_verifier');
  if (!isValidVerifier(verifier)) throw invalidRequest('code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~');
  return verifier;
}

/**
 * Count the request (failed ones too: the counter is "token requests"), parse its body, and check
 * what both token endpoints share: no repeated parameter (RFC 6749 §3.1) and the grant type.
 */
async function readTokenRequest(
  req: IncomingMessage,
  state: MockState,
  formats: readonly BodyFormat[],
  grantTypeRequired: boolean,
): Promise<Params> {
  state.count('tokenRequests');
  const params = await readParams(req, formats);
  rejectRepeated(params);
  checkGrantType(params, grantTypeRequired);
  return params;
}

/** POST /oauth/token (spec §7.4) and POST /api/v1/auth/keys (spec §6.3). */
export function registerToken(router: Router): void {
  router.on('POST', '/oauth/token', async ({ req, res, state }) => {
    const params = await readTokenRequest(req, state, ['form', 'json'], true);
    const clientId = requiredString(params, 'client_id');
    const redirectUri = requiredString(params, 'redirect_uri');
    const code = requiredString(params, 'code');
    const verifier = readVerifier(params);
    const client = state.clients.findRegistered(clientId);
    if (client === undefined) throw new HttpError(401, 'invalid_client', 'Unknown client_id', { headers: TOKEN_NO_STORE });
    const redirect = validateRedirectUri(redirectUri);
    if (!redirect.ok) throw invalidGrant('redirect_uri does not match the authorization request');
    const record = redeem(state, code, verifier, ['authorize'], { clientId, redirectCanonical: redirect.value.canonical });
    const key = keyForCode(state, record);
    sendJson(res, 200, { access_token: key.key, token_type: 'Bearer', scope: key.scope }, TOKEN_NO_STORE);
  });

  router.on('POST', '/api/v1/auth/keys', async ({ req, res, state }) => {
    const params = await readTokenRequest(req, state, ['json', 'form'], false);
    const code = requiredString(params, 'code');
    const verifier = readVerifier(params);
    const record = redeem(state, code, verifier, ['shortcut', 'downstream']);
    const key = keyForCode(state, record);
    sendJson(
      res,
      200,
      { key: key.key, access_token: key.key, token_type: 'Bearer', scope: key.scope, user_id: state.config.account.id },
      TOKEN_NO_STORE,
    );
  });
}

