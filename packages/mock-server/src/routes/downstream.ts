import { authenticate } from '../api-auth.js';
import { readParams } from '../http/body.js';
import { HttpError, invalidRequest } from '../http/errors.js';
import { headerText } from '../http/headers.js';
import { aliasedString, firstNonBlank, optionalAmount, optionalString, parseIsoTime, rawParam, rejectRepeated } from '../http/params.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { issueCode } from '../oauth/grants.js';
import { checkChallenge } from '../oauth/pkce.js';
import { validateRedirectUri } from '../oauth/redirect-uri.js';
import { normaliseScope } from '../oauth/scopes.js';
import { parseSpendCap } from '../oauth/spend-cap.js';
import { randomToken } from '../random.js';
import { isRestricted } from '../store/keys.js';

const NAME_ALIASES = ['client_name', 'app_name', 'name'] as const;

/** POST /api/v1/auth/keys/code: a source key mints a code for a downstream key (spec §8). */
export function registerDownstream(router: Router): void {
  router.on('POST', '/api/v1/auth/keys/code', async ({ req, res, state }) => {
    state.count('apiRequests');
    const source = authenticate(state, req);
    const params = await readParams(req, ['json', 'form']);
    rejectRepeated(params);
    if (source.kind === 'oauth') {
      throw new HttpError(400, 'invalid_request', 'Keys created by OAuth cannot mint downstream key codes; use a key created in NanoGPT settings', {
        extra: { reason: 'oauth_source_key' },
      });
    }
    if (isRestricted(source)) {
      throw new HttpError(400, 'invalid_request', 'Keys with spend, request, model, provider, origin or redaction restrictions cannot mint downstream key codes', {
        extra: { reason: 'restricted_source_key' },
      });
    }
    const callback = aliasedString(params, ['redirect_uri', 'callback_url']);
    if (callback === undefined) throw invalidRequest('redirect_uri (or callback_url) is required');
    const redirect = validateRedirectUri(callback);
    if (!redirect.ok) throw invalidRequest(`Invalid redirect_uri: ${redirect.description}`);
    const challenge = optionalString(params, 'code_challenge');
    const challengeError = checkChallenge(challenge, optionalString(params, 'code_challenge_method'), false);
    if (challengeError !== null || challenge === undefined) throw invalidRequest(challengeError ?? 'code_challenge is required');
    const scope = normaliseScope(optionalString(params, 'scope'));
    if (!scope.ok) throw new HttpError(400, 'invalid_scope', scope.description);
    const label = aliasedString(params, ['key_label', 'key_name']);
    if (label !== undefined && label.length > 100) throw invalidRequest('key_label is too long (at most 100 characters)');
    const spendCap = parseSpendCap(optionalAmount(params, 'limit'), rawParam(params, 'usage_limit_type'), 'usage_limit_type');
    if (!spendCap.ok) throw invalidRequest(spendCap.description);
    let expiresAt: number | null = null;
    const expiresText = optionalString(params, 'expires_at');
    if (expiresText !== undefined) {
      const parsed = parseIsoTime(expiresText);
      if (parsed === null) throw invalidRequest('expires_at must be an ISO 8601 time');
      if (parsed <= state.now()) throw invalidRequest('expires_at must be in the future');
      expiresAt = parsed;
    }
    // A downstream key never outlives an expiring source key.
    if (source.expiresAt !== null && (expiresAt === null || expiresAt > source.expiresAt)) expiresAt = source.expiresAt;
    const clientName = (
      firstNonBlank(params, NAME_ALIASES) ??
      headerText(req.headers, 'x-title') ??
      headerText(req.headers, 'x-app-name') ??
      'Downstream app'
    ).slice(0, 100);

    const client = state.clients.forCallback(redirect.value, clientName);
    const code = issueCode(
      state,
      {
        clientId: client.clientId,
        clientName,
        scope: scope.scope,
        allowedOrigins: redirect.value.origins,
        ...spendCap.value,
        keyLabel: label,
        keyExpiresAt: expiresAt,
        sourceKeyId: source.id,
      },
      { flow: 'downstream', redirectCanonical: redirect.value.canonical, codeChallenge: challenge },
    );
    const data = {
      id: `kc_${randomToken(12)}`,
      code: code.code,
      app_id: client.clientId,
      user_id: state.config.account.id,
      expires_at: new Date(code.expiresAt).toISOString(),
    };
    sendJson(res, 200, { ...data, data }, NO_STORE);
  });
}
