import { readParams } from '../http/body.js';
import { invalidRequest } from '../http/errors.js';
import { jsonString, jsonStringList } from '../http/json-fields.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { validateRedirectUri } from '../oauth/redirect-uri.js';

function httpsUri(value: unknown, name: string): string | undefined {
  const text = jsonString(value, name);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidRequest(`${name} must be an https URL`);
  }
  if (url.protocol !== 'https:' || text.includes('#')) throw invalidRequest(`${name} must be an https URL without a fragment`);
  // Answered normalised, as production does: https://example.com comes back as https://example.com/ [pub].
  return url.href;
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
    const redirectUris = jsonStringList(meta.redirect_uris, 'redirect_uris');
    if (redirectUris.length === 0) throw invalidRequest('redirect_uris must list at least one redirect URI');
    if (redirectUris.length > 20) throw invalidRequest('too many redirect_uris');
    const canonicalRedirects: string[] = [];
    for (const uri of redirectUris) {
      const redirect = validateRedirectUri(uri);
      if (!redirect.ok) throw invalidRequest(`Invalid redirect URI: ${redirect.description}`);
      canonicalRedirects.push(redirect.value.canonical);
    }
    const grantTypes = jsonStringList(meta.grant_types, 'grant_types', ['authorization_code']);
    if (grantTypes.length === 0 || grantTypes.some((grantType) => grantType !== 'authorization_code')) {
      throw invalidRequest('grant_types may only contain authorization_code');
    }
    const responseTypes = jsonStringList(meta.response_types, 'response_types', ['code']);
    if (responseTypes.length === 0 || responseTypes.some((responseType) => responseType !== 'code')) {
      throw invalidRequest('response_types may only contain code');
    }
    const authMethod = meta.token_endpoint_auth_method ?? 'none';
    if (authMethod !== 'none') throw invalidRequest('token_endpoint_auth_method must be none (public clients only)');
    const clientUri = httpsUri(meta.client_uri, 'client_uri');
    const logoUri = httpsUri(meta.logo_uri, 'logo_uri');
    if (meta.scope !== undefined && typeof meta.scope !== 'string') throw invalidRequest('scope must be a string');

    // Absent optional fields stay undefined, and JSON leaves them out of the answer.
    const metadata: Record<string, unknown> = {
      client_name: clientName,
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: responseTypes,
      token_endpoint_auth_method: 'none',
      client_uri: clientUri,
      logo_uri: logoUri,
      scope: meta.scope,
    };
    const client = state.clients.register({ clientName, redirectUris, canonicalRedirects, metadata });
    sendJson(
      res,
      201,
      { client_id: client.clientId, client_id_issued_at: Math.floor(client.createdAt / 1000), ...metadata },
      NO_STORE,
    );
  });
}
