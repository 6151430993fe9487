import { HttpError } from '../http/errors.js';
import { FormDecodeError, parseForm } from '../http/form.js';
import { aliasedString, describeRepeated, firstNonBlank, optionalString, type Params } from '../http/params.js';
import { sendHtml, sendRedirect } from '../http/respond.js';
import type { Context, Router } from '../http/router.js';
import { checkChallenge } from '../oauth/pkce.js';
import { displayHost, validateRedirectUri, withQuery, type ValidRedirect } from '../oauth/redirect-uri.js';
import { normaliseScope } from '../oauth/scopes.js';
import type { NewConsent } from '../store/consents.js';
import { consentPage, errorPage } from '../ui/pages.js';

/** An error shown on the server's own page (never redirected). */
class PageError extends Error {
  constructor(
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

const pageError = (description: string): PageError => new PageError('invalid_request', description);

function queryParams(query: string): Params {
  try {
    return { kind: 'form', values: parseForm(query) };
  } catch (error) {
    if (error instanceof FormDecodeError) throw pageError(error.message);
    throw error;
  }
}

/** Read a string; problems (repeated, not a string) become errors on the server's page. */
function pageString(params: Params, name: string): string | undefined {
  return readForPage(() => optionalString(params, name));
}

function readForPage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof HttpError) throw pageError(error.message);
    throw error;
  }
}

/** State for error redirects: echoed when it was sent once; omitted when repeated. */
function stateForRedirect(params: Params): string | undefined {
  try {
    return optionalString(params, 'state');
  } catch {
    return undefined;
  }
}

/** Once the redirect URI is trusted, errors go back to the app with the request's state (RFC 6749 §4.1.2.1). */
function errorsToApp(ctx: Context, redirect: ValidRedirect, params: Params) {
  const stateParam = stateForRedirect(params);
  const fail = (error: string, description: string): void =>
    sendRedirect(ctx.res, 302, withQuery(redirect.uri, { error, error_description: description, state: stateParam }));
  return { stateParam, fail };
}

/** A validated authorization request becomes a pending consent bound to its redirect; the page shows it. */
function showConsent(
  ctx: Context,
  redirect: ValidRedirect,
  request: Pick<NewConsent, 'flow' | 'clientId' | 'clientName' | 'scope' | 'state' | 'codeChallenge'>,
): void {
  const consent = ctx.state.consents.open({
    ...request,
    redirectUri: redirect.uri,
    redirectCanonical: redirect.canonical,
    allowedOrigins: redirect.origins,
    userCode: undefined,
  });
  sendHtml(ctx.res, 200, consentPage(consent, ctx.state.account));
}

/** Run a GET handler, rendering `PageError`s on the server's own error page. */
function handle(ctx: Context, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof PageError) {
      sendHtml(ctx.res, 400, errorPage(error.error, error.message));
      return;
    }
    throw error;
  }
}

/** GET /oauth/authorize (spec §7.2). */
function authorize(ctx: Context): void {
  handle(ctx, () => {
    const { state } = ctx;
    const params = queryParams(ctx.query);
    const clientId = pageString(params, 'client_id');
    if (clientId === undefined) throw pageError('client_id is required');
    const client = state.clients.findRegistered(clientId);
    if (client === undefined) throw new PageError('invalid_client', 'Unknown client_id; register the client first');
    const redirectUri = pageString(params, 'redirect_uri');
    if (redirectUri === undefined) throw pageError('redirect_uri is required');
    const validated = validateRedirectUri(redirectUri);
    if (!validated.ok) throw pageError(`Invalid redirect_uri: ${validated.description}`);
    const redirect = validated.value;
    if (!client.canonicalRedirects.includes(redirect.canonical)) {
      throw pageError('redirect_uri does not exactly match a redirect URI registered for this client');
    }
    const { stateParam, fail } = errorsToApp(ctx, redirect, params);

    const repeated = describeRepeated(params);
    if (repeated !== undefined) return fail('invalid_request', repeated);
    const get = (name: string) => optionalString(params, name);
    const responseType = get('response_type');
    if (responseType === undefined) return fail('invalid_request', 'response_type is required');
    if (responseType !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    const scopeParam = get('scope');
    if (scopeParam === undefined) return fail('invalid_scope', 'scope is required and must include api.use');
    const scope = normaliseScope(scopeParam);
    if (!scope.ok) return fail('invalid_scope', scope.description);
    if (stateParam === undefined) return fail('invalid_request', 'state is required');
    const challenge = get('code_challenge');
    const challengeError = checkChallenge(challenge, get('code_challenge_method'), true);
    if (challengeError !== null || challenge === undefined) return fail('invalid_request', challengeError ?? 'code_challenge is required');
    const prompt = get('prompt');
    if (prompt !== undefined && prompt !== 'consent') return fail('invalid_request', 'prompt may only be consent');

    const { clientName } = client;
    showConsent(ctx, redirect, { flow: 'authorize', clientId, clientName, scope: scope.scope, state: stateParam, codeChallenge: challenge });
  });
}

const NAME_ALIASES = ['client_name', 'app_name', 'name', 'title'] as const;

/** GET /auth: the shortcut key handoff (spec §6.1). */
function shortcut(ctx: Context): void {
  handle(ctx, () => {
    const { state } = ctx;
    const params = queryParams(ctx.query);
    const callback = readForPage(() => aliasedString(params, ['callback_url', 'redirect_uri']));
    if (callback === undefined) throw pageError('callback_url is required');
    const validated = validateRedirectUri(callback);
    if (!validated.ok) throw pageError(`Invalid callback_url: ${validated.description}`);
    const redirect = validated.value;
    const challenge = pageString(params, 'code_challenge');
    const method = pageString(params, 'code_challenge_method');
    const challengeError = checkChallenge(challenge, method, false);
    if (challengeError !== null || challenge === undefined) throw pageError(challengeError ?? 'code_challenge is required');

    const { stateParam, fail } = errorsToApp(ctx, redirect, params);
    const repeated = describeRepeated(params);
    if (repeated !== undefined) return fail('invalid_request', repeated);
    const scope = normaliseScope(optionalString(params, 'scope'));
    if (!scope.ok) return fail('invalid_scope', scope.description);
    const clientName = (firstNonBlank(params, NAME_ALIASES) ?? displayHost(redirect.uri)).slice(0, 100);

    const { clientId } = state.clients.forCallback(redirect, clientName);
    showConsent(ctx, redirect, { flow: 'shortcut', clientId, clientName, scope: scope.scope, state: stateParam, codeChallenge: challenge });
  });
}

export function registerAuthorize(router: Router): void {
  router.on('GET', '/oauth/authorize', authorize).on('GET', '/auth', shortcut);
}

