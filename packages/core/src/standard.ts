/**
 * The standard OAuth 2.0 authorization code + PKCE flow against NanoGPT: discovery (RFC 8414),
 * dynamic client registration (RFC 7591), `/oauth/authorize`, `/oauth/token`, and authorization
 * response validation including `iss` (RFC 9207). Import `standardFlow` from here and pass it as
 * `flow` to `createNanoGptAuth`; apps that don't import this entry don't ship its code.
 * @packageDocumentation
 */
import * as o from 'oauth4webapi';
import { NanoGptAuthError, errorCodeFromOAuth } from './errors.js';
import type { Flow } from './flow.js';
import { parseKeyBody, rateLimited, send, type SignInResult } from './http.js';
import { LOOPBACK_HOST } from './issuer.js';
import { DEFAULT_SCOPE } from './defaults.js';
import { NS, readJson, type StorageLike } from './storage.js';

/** RFC 8414 authorization server metadata (as returned by {@link discover}). */
export type AuthorizationServerMetadata = o.AuthorizationServer;

/** Options shared by the network calls of this entry. */
export interface StandardRequestOptions {
  /** fetch implementation. Default: global `fetch`. */
  fetch?: typeof fetch;
  /** Metadata from {@link discover}; skips a discovery request when given. */
  metadata?: AuthorizationServerMetadata;
}


/** oauth4webapi request options: our fetch (network errors mapped) and plain http for loopback only. */
const opts = (url: string, f?: typeof fetch) => ({
  [o.customFetch]: (u: string, init: RequestInit) => send(f, u, init),
  [o.allowInsecureRequests]: LOOPBACK_HOST.test(new URL(url).hostname),
});

/**
 * Maps oauth4webapi errors to {@link NanoGptAuthError}. Their details are not kept as `cause`:
 * they can hold response bodies and callback parameters (keys, codes, state) that must not reach logs.
 */
function mapError(e: unknown, processing: NanoGptAuthError['code'] = 'server_error'): NanoGptAuthError {
  if (e instanceof NanoGptAuthError) return e;
  if (e instanceof o.ResponseBodyError) return new NanoGptAuthError(errorCodeFromOAuth(e.error), '', { status: e.status });
  if (e instanceof o.AuthorizationResponseError) return new NanoGptAuthError(errorCodeFromOAuth(e.error));
  if (e instanceof o.WWWAuthenticateChallengeError)
    return new NanoGptAuthError(errorCodeFromOAuth(e.cause[0]?.parameters.error), '', { status: e.status });
  return new NanoGptAuthError(processing);
}

async function guard<T>(fn: () => Promise<T>, processing?: NanoGptAuthError['code']): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapError(e, processing);
  }
}

/**
 * Fetches and validates `<issuer>/.well-known/oauth-authorization-server` (the `issuer` in the
 * document must equal `issuer`). Errors: `network_error`, `server_error`.
 */
export const discover = (issuer: string, options: { fetch?: typeof fetch } = {}): Promise<AuthorizationServerMetadata> =>
  guard(async () => {
    const url = new URL(issuer);
    const res = await o.discoveryRequest(url, { algorithm: 'oauth2', ...opts(issuer, options.fetch) });
    return o.processDiscoveryResponse(url, res);
  });

const meta = (issuer: string, r: StandardRequestOptions) => (r.metadata ? Promise.resolve(r.metadata) : discover(issuer, r));

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
export const registerClient = (p: RegisterClientParams): Promise<{ clientId: string }> =>
  guard(async () => {
    const as = await meta(p.issuer, p);
    const res = await o.dynamicClientRegistrationRequest(
      as,
      {
        client_name: p.clientName,
        redirect_uris: p.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      opts(p.issuer, p.fetch),
    );
    return { clientId: (await o.processDynamicClientRegistrationResponse(res)).client_id };
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

/** Builds the `/oauth/authorize` URL (from discovery) with every required parameter. */
export const buildAuthorizationUrl = (p: AuthorizationUrlParams): Promise<URL> =>
  guard(async () => {
    const as = await meta(p.issuer, p);
    const url = new URL(as.authorization_endpoint || fail('authorization_endpoint'));
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', p.clientId);
    q.set('redirect_uri', p.redirectUri);
    q.set('scope', p.scope || DEFAULT_SCOPE);
    q.set('state', p.state);
    q.set('code_challenge', p.codeChallenge);
    q.set('code_challenge_method', 'S256');
    if (p.prompt) q.set('prompt', p.prompt);
    return url;
  });

const fail = (what: string): never => {
  throw new NanoGptAuthError('server_error', `NanoGPT's metadata has no ${what}.`);
};

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
export async function exchangeAuthorizationCode(p: ExchangeAuthorizationCodeParams): Promise<SignInResult> {
  const as = await meta(p.issuer, p);
  const client: o.Client = { client_id: p.clientId, token_endpoint_auth_method: 'none' };
  const q = new URL(p.callbackUrl).searchParams;
  const iss = q.get('iss');
  if (q.get('state') !== p.state) throw new NanoGptAuthError('state_mismatch');
  if (iss != null ? iss !== as.issuer : as.authorization_response_iss_parameter_supported)
    throw new NanoGptAuthError('issuer_mismatch');
  if (!q.get('error') && !q.get('code')) throw new NanoGptAuthError('missing_code');
  const params = await guard(async () => o.validateAuthResponse(as, client, q, p.state), 'invalid_request');
  const res = await guard(() =>
    o.authorizationCodeGrantRequest(as, client, o.None(), params, p.redirectUri, p.codeVerifier, opts(p.issuer, p.fetch)),
  );
  if (res.status == 429) throw rateLimited(res);
  // A non-OAuth failure (e.g. a 5xx page) is a server error; a malformed 200 is a bad token response.
  const body = await guard(() => o.processAuthorizationCodeResponse(as, client, res), res.ok ? 'invalid_token_response' : 'server_error');
  const { key, scope } = parseKeyBody(body);
  return { key, scope };
}

/** Storage keys for the cached metadata and client_id (not secret). */
const metaKey = (issuer: string) => NS + 'as:' + issuer;
const clientKey = (issuer: string, redirectUri: string) => NS + 'client:' + issuer + ' ' + redirectUri;

async function cachedMeta(issuer: string, storage: StorageLike, f?: typeof fetch): Promise<AuthorizationServerMetadata> {
  const cached = readJson(storage, metaKey(issuer)) as AuthorizationServerMetadata | null;
  if (cached?.issuer === issuer) return cached;
  const as = await discover(issuer, { fetch: f });
  storage.setItem(metaKey(issuer), JSON.stringify(as));
  return as;
}

/**
 * The standard flow for `createNanoGptAuth({ flow: standardFlow })`: discovery, dynamic
 * registration when no `clientId` is given (metadata and client_id cached in the storage, keyed
 * by issuer and redirect URI), `/oauth/authorize` and `/oauth/token`.
 */
export const standardFlow: Flow = {
  id: 'standard',
  async authorize(p) {
    const metadata = await cachedMeta(p.issuer, p.storage, p.fetch);
    const ck = clientKey(p.issuer, p.redirectUri);
    let clientId = p.clientId || p.storage.getItem(ck);
    if (!clientId) {
      clientId = (
        await registerClient({
          issuer: p.issuer,
          clientName: p.clientName || 'NanoGPT app',
          redirectUris: [p.redirectUri],
          fetch: p.fetch,
          metadata,
        })
      ).clientId;
      p.storage.setItem(ck, clientId);
    }
    const url = await buildAuthorizationUrl({ ...p, clientId, metadata });
    return { url, clientId };
  },
  async exchange(p) {
    if (!p.clientId) throw new NanoGptAuthError('invalid_request', 'The pending sign-in has no client_id.');
    try {
      return await exchangeAuthorizationCode({
        issuer: p.issuer,
        clientId: p.clientId,
        redirectUri: p.redirectUri,
        callbackUrl: p.callbackUrl,
        state: p.state,
        codeVerifier: p.codeVerifier,
        fetch: p.fetch,
        metadata: await cachedMeta(p.issuer, p.storage, p.fetch),
      });
    } catch (e) {
      // 401 from the token endpoint = the server no longer knows this client (invalid_client):
      // forget the cached registration so the next sign-in registers again.
      if ((e as NanoGptAuthError).status == 401) p.storage.removeItem(clientKey(p.issuer, p.redirectUri));
      throw e;
    }
  },
};
