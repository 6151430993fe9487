import { readParams } from '../http/body.js';
import { invalidRequest } from '../http/errors.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { validateRedirectUri } from '../oauth/redirect-uri.js';

function stringList(value: unknown, name: string, fallback: string[]): string[] {
  if (value === undefined || value === null) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalidRequest(`${name} must be an array of strings`);
  }
  return value as string[];
}

function httpsUri(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRequest(`${name} must be an https URL`);
  }
  if (url.protocol !== 'https:' || value.includes('#')) throw invalidRequest(`${name} must be an https URL without a fragment`);
  return value;
}

/** RFC 7591 dynamic client registration for public clients (no secrets, ever). */
export function registerRegistration(router: Router): void {
  router.on('POST', '/oauth/register', async ({ req, res, state }) => {
    const params = await readParams(req, ['json']);
    if (params.kind !== 'json') throw invalidRequest('Client metadata must be a JSON object');
    const meta = params.values;
    const clientName = meta.client_name;
    if (typeof clientName !== 'string' || clientName.trim() === '') throw invalidRequest('client_name is required');
    if (clientName.length > 200) throw invalidRequest('client_name is too long');
    const redirectUris = stringList(meta.redirect_uris, 'redirect_uris', []);
    if (redirectUris.length === 0) throw invalidRequest('redirect_uris must list at least one redirect URI');
    if (redirectUris.length > 20) throw invalidRequest('too many redirect_uris');
    const canonical: string[] = [];
    for (const uri of redirectUris) {
      const v = validateRedirectUri(uri);
      if (!v.ok) throw invalidRequest(`Invalid redirect URI: ${v.description}`);
      canonical.push(v.value.canonical);
    }
    const grantTypes = stringList(meta.grant_types, 'grant_types', ['authorization_code']);
    if (grantTypes.length === 0 || grantTypes.some((g) => g !== 'authorization_code')) {
      throw invalidRequest('grant_types may only contain authorization_code');
    }
    const responseTypes = stringList(meta.response_types, 'response_types', ['code']);
    if (responseTypes.length === 0 || responseTypes.some((r) => r !== 'code')) {
      throw invalidRequest('response_types may only contain code');
    }
    const authMethod = meta.token_endpoint_auth_method ?? 'none';
    if (authMethod !== 'none') throw invalidRequest('token_endpoint_auth_method must be none (public clients only)');
    const clientUri = httpsUri(meta.client_uri, 'client_uri');
    const logoUri = httpsUri(meta.logo_uri, 'logo_uri');
    if (meta.scope !== undefined && typeof meta.scope !== 'string') throw invalidRequest('scope must be a string');

    const metadata: Record<string, unknown> = {
      client_name: clientName,
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: responseTypes,
      token_endpoint_auth_method: 'none',
      ...(clientUri !== undefined ? { client_uri: clientUri } : {}),
      ...(logoUri !== undefined ? { logo_uri: logoUri } : {}),
      ...(typeof meta.scope === 'string' ? { scope: meta.scope } : {}),
    };
    const client = state.clients.register({ clientName, redirectUris, canonicalRedirects: canonical, metadata });
    sendJson(
      res,
      201,
      { client_id: client.clientId, client_id_issued_at: Math.floor(client.createdAt / 1000), ...metadata },
      NO_STORE,
    );
  });
}
