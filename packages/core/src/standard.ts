/**
 * The standard OAuth 2.0 authorization code + PKCE flow against NanoGPT: discovery (RFC 8414),
 * dynamic client registration (RFC 7591), `/oauth/authorize`, `/oauth/token`, and authorization
 * response validation including `iss` (RFC 9207). Import `standardFlow` from here and pass it as
 * `flow` to `createNanoGptAuth`; apps that don't import this entry don't ship its code.
 * @packageDocumentation
 */
import * as oauth from 'oauth4webapi';
import { DEFAULT_SCOPE } from './defaults.js';
import { errorCodeFromOAuth, NanoGptAuthError } from './errors.js';
import type { Flow } from './flow.js';
import { apiError, readApiErrorCode } from './api-errors.js';
import { parseKeyBody, readJsonBody, send, type SignInResult } from './http.js';
import { isLoopbackHost } from './issuer.js';
import { listPendingFlows } from './pending-flows.js';
import { readStoredJson, STORAGE_PREFIX, type StorageLike } from './storage.js';

/** RFC 8414 authorization server metadata (as returned by {@link discover}). */
export type AuthorizationServerMetadata = oauth.AuthorizationServer;

/** Options shared by the network calls of this entry. */
export interface StandardRequestOptions {
  /** fetch implementation. Default: global `fetch`. */
  fetch?: typeof fetch;
  /** Metadata from {@link discover}; skips a discovery request when given. */
  metadata?: AuthorizationServerMetadata;
}

/** oauth4webapi request options: our fetch (network errors mapped) and plain http for loopback only. */
const requestOptions = (issuer: string, fetchImpl?: typeof fetch) => ({
  [oauth.customFetch]: (url: string, init: RequestInit) => send(fetchImpl, url, init),
  [oauth.allowInsecureRequests]: isLoopbackHost(new URL(issuer).hostname),
});

/**
 * Maps oauth4webapi errors to {@link NanoGptAuthError}. Their details are not kept as `cause`:
 * they can hold response bodies and callback parameters (keys, codes, state) that must not reach logs.
 */
function toAuthError(error: unknown, otherwise: NanoGptAuthError['code'] = 'server_error'): NanoGptAuthError {
  if (error instanceof NanoGptAuthError) return error;
  if (error instanceof oauth.ResponseBodyError) return new NanoGptAuthError(errorCodeFromOAuth(error.error), '', { status: error.status });
  if (error instanceof oauth.AuthorizationResponseError) return new NanoGptAuthError(errorCodeFromOAuth(error.error));
  if (error instanceof oauth.WWWAuthenticateChallengeError)
    return new NanoGptAuthError(errorCodeFromOAuth(error.cause[0]?.parameters.error), '', { status: error.status });
  return new NanoGptAuthError(otherwise);
}

/** Runs `step`, turning whatever it throws into a {@link NanoGptAuthError} (`otherwise` for unknown failures). */
async function mapErrors<T>(step: () => Promise<T>, otherwise?: NanoGptAuthError['code']): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw toAuthError(error, otherwise);
  }
}

/**
 * Fetches and validates `<issuer>/.well-known/oauth-authorization-server` (the `issuer` in the
 * document must equal `issuer`). Errors: `network_error`, `server_error`.
 */
export const discover = (issuer: string, options: { fetch?: typeof fetch } = {}): Promise<AuthorizationServerMetadata> =>
  mapErrors(async () => {
    const issuerUrl = new URL(issuer);
    const response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', ...requestOptions(issuer, options.fetch) });
    return oauth.processDiscoveryResponse(issuerUrl, response);
  });

const metadataOf = (issuer: string, options: StandardRequestOptions) =>
  options.metadata ? Promise.resolve(options.metadata) : discover(issuer, options);

/** Parameters of {@link registerClient}. */
export interface RegisterClientParams extends StandardRequestOptions {
  issuer: string;
  clientName: string;
  redirectUris: string[];
}

/**
 * Registers a public client (RFC 7591, `token_endpoint_auth_method: none`) and returns its
 * client_id. Errors: `invalid_request` (bad metadata or redirect URI), `network_error`, `server_error`.
 */
export const registerClient = (params: RegisterClientParams): Promise<{ clientId: string }> =>
  mapErrors(async () => {
    const server = await metadataOf(params.issuer, params);
    const response = await oauth.dynamicClientRegistrationRequest(
      server,
      {
        client_name: params.clientName,
        redirect_uris: params.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      requestOptions(params.issuer, params.fetch),
    );
    // RFC 7591 says 201; production's status is unpublished, so a 200 with the same body is accepted too.
    const created = response.status === 200 ? new Response(response.body, { status: 201, headers: response.headers }) : response;
    return { clientId: (await oauth.processDynamicClientRegistrationResponse(created)).client_id };
  });

/** Parameters of {@link buildAuthorizationUrl}. */
export interface AuthorizationUrlParams extends StandardRequestOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
  /** Default `api.use models.read`. */
  scope?: string;
  /** `consent` forces the consent screen even for an already approved web client. */
  prompt?: 'consent';
}

const missingMetadata = (field: string): never => {
  throw new NanoGptAuthError('server_error', `NanoGPT's metadata has no ${field}.`);
};

/** Builds the `/oauth/authorize` URL (from discovery) with every required parameter. */
export const buildAuthorizationUrl = (params: AuthorizationUrlParams): Promise<URL> =>
  mapErrors(async () => {
    const server = await metadataOf(params.issuer, params);
    const url = new URL(server.authorization_endpoint || missingMetadata('authorization_endpoint'));
    const query = url.searchParams;
    query.set('response_type', 'code');
    query.set('client_id', params.clientId);
    query.set('redirect_uri', params.redirectUri);
    query.set('scope', params.scope || DEFAULT_SCOPE);
    query.set('state', params.state);
    query.set('code_challenge', params.codeChallenge);
    query.set('code_challenge_method', 'S256');
    if (params.prompt) query.set('prompt', params.prompt);
    return url;
  });

/** Parameters of {@link exchangeAuthorizationCode}. */
export interface ExchangeAuthorizationCodeParams extends StandardRequestOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** The full callback URL (its `code`, `state`, `iss`, `error` are validated). */
  callbackUrl: string | URL;
  /** The state sent in the authorization request. */
  state: string;
  codeVerifier: string;
}

/**
 * Validates the authorization response (state, `iss` when present or advertised, error
 * parameters) and redeems the code at the token endpoint, once. The response must carry a
 * NanoGPT key as `access_token`. Errors: `state_mismatch`, `issuer_mismatch`, `access_denied`,
 * `missing_code`, `invalid_grant`, `invalid_request`, `invalid_scope`, `rate_limited`,
 * `invalid_token_response`, `network_error`, `server_error`.
 */
export async function exchangeAuthorizationCode(params: ExchangeAuthorizationCodeParams): Promise<SignInResult> {
  const server = await metadataOf(params.issuer, params);
  const client: oauth.Client = { client_id: params.clientId, token_endpoint_auth_method: 'none' };
  const callback = new URL(params.callbackUrl).searchParams;
  const iss = callback.get('iss');
  if (callback.get('state') !== params.state) throw new NanoGptAuthError('state_mismatch');
  if (iss !== null ? iss !== server.issuer : server.authorization_response_iss_parameter_supported)
    throw new NanoGptAuthError('issuer_mismatch');
  if (!callback.get('error') && !callback.get('code')) throw new NanoGptAuthError('missing_code');
  const validated = await mapErrors(async () => oauth.validateAuthResponse(server, client, callback, params.state), 'invalid_request');
  const response = await mapErrors(() =>
    oauth.authorizationCodeGrantRequest(
      server,
      client,
      oauth.None(),
      validated,
      params.redirectUri,
      params.codeVerifier,
      requestOptions(params.issuer, params.fetch),
    ),
  );
  if (!response.ok) throw await tokenEndpointError(response);
  const body = await mapErrors(() => oauth.processAuthorizationCodeResponse(server, client, response), 'invalid_token_response');
  const { key, scope } = parseKeyBody(body);
  return { key, scope };
}

// Errors in which the token endpoint said `invalid_client`: the client_id it was sent is unknown there.
const clientRefusals = new WeakSet<NanoGptAuthError>();

/**
 * The error of a failed token response, whichever envelope its body has (see
 * {@link readApiErrorCode}): 429 `rate_limited`, else the mapped OAuth code (a non-OAuth failure,
 * e.g. a 5xx page, is a `server_error`).
 */
async function tokenEndpointError(response: Response): Promise<NanoGptAuthError> {
  if (response.status === 429) return apiError(response);
  const code = readApiErrorCode(await readJsonBody(response));
  const error = new NanoGptAuthError(errorCodeFromOAuth(code), '', { status: response.status });
  if (code === 'invalid_client') clientRefusals.add(error);
  return error;
}

/** Storage keys for the cached metadata and client_id (not secret). */
const metadataKey = (issuer: string) => STORAGE_PREFIX + 'as:' + issuer;
const clientIdKey = (issuer: string, redirectUri: string) => STORAGE_PREFIX + 'client:' + issuer + ' ' + redirectUri;

async function cachedMetadata(issuer: string, storage: StorageLike, fetchImpl?: typeof fetch): Promise<AuthorizationServerMetadata> {
  const cached = readStoredJson(storage, metadataKey(issuer)) as AuthorizationServerMetadata | null;
  if (cached?.issuer === issuer) return cached;
  const metadata = await discover(issuer, { fetch: fetchImpl });
  storage.setItem(metadataKey(issuer), JSON.stringify(metadata));
  return metadata;
}

/** True when a standard sign-in with `clientId` for this issuer and redirect URI is still pending (it never came back). */
const isForgotten = (storage: StorageLike, issuer: string, redirectUri: string, clientId: string) =>
  listPendingFlows(storage).some(
    (pending) => pending.flow === 'standard' && pending.issuer === issuer && pending.redirectUri === redirectUri && pending.clientId === clientId,
  );

/**
 * The standard flow for `createNanoGptAuth({ flow: standardFlow })`: discovery, dynamic
 * registration when no `clientId` is given (metadata and client_id cached in the storage, keyed
 * by issuer and redirect URI), `/oauth/authorize` and `/oauth/token`. A cached client is dropped
 * (and registered afresh) when the token endpoint answers 401, and when a sign-in that used it
 * never came back.
 */
export const standardFlow: Flow = {
  id: 'standard',
  async authorize(params) {
    const metadata = await cachedMetadata(params.issuer, params.storage, params.fetch);
    const storageKey = clientIdKey(params.issuer, params.redirectUri);
    let clientId = params.clientId || params.storage.getItem(storageKey);
    // A sign-in that left with the cached client and never came back (no callback, not even an
    // error) most likely hit the server's "invalid_client" page: it forgot the client (a restarted
    // or reset server). Register afresh rather than send the user there again.
    if (!params.clientId && clientId && isForgotten(params.storage, params.issuer, params.redirectUri, clientId)) clientId = null;
    if (!clientId) {
      const registered = await registerClient({
        issuer: params.issuer,
        clientName: params.clientName || 'NanoGPT app',
        redirectUris: [params.redirectUri],
        fetch: params.fetch,
        metadata,
      });
      clientId = registered.clientId;
      params.storage.setItem(storageKey, clientId);
    }
    const url = await buildAuthorizationUrl({ ...params, clientId, metadata });
    return { url, clientId };
  },
  async exchange(params) {
    if (!params.clientId) throw new NanoGptAuthError('invalid_request', 'The pending sign-in has no client_id.');
    try {
      return await exchangeAuthorizationCode({
        issuer: params.issuer,
        clientId: params.clientId,
        redirectUri: params.redirectUri,
        callbackUrl: params.callbackUrl,
        state: params.state,
        codeVerifier: params.codeVerifier,
        fetch: params.fetch,
        metadata: await cachedMetadata(params.issuer, params.storage, params.fetch),
      });
    } catch (error) {
      // The server no longer knows this client: `invalid_client` (RFC 6749, usually a 401), or
      // `invalid_grant`, which production may answer instead. Forget the cached registration so
      // the next sign-in registers again.
      const refused = error as NanoGptAuthError;
      if (clientRefusals.has(refused) || refused.status === 401 || refused.code === 'invalid_grant')
        params.storage.removeItem(clientIdKey(params.issuer, params.redirectUri));
      throw error;
    }
  },
};
