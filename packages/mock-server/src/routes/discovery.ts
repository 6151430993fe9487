import { sendJson, sendText } from '../http/respond.js';
import type { Router } from '../http/router.js';
import type { MockState } from '../state.js';
import { SCOPES } from '../oauth/scopes.js';

export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    registration_endpoint: `${issuer}/oauth/register`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...SCOPES],
    service_documentation: `${issuer}/auth.md`,
    'x-nanogpt-token-format': 'sk-nano-api-key',
    'x-nanogpt-oauth-shortcut-authorization_endpoint': `${issuer}/auth`,
    'x-nanogpt-oauth-shortcut-token_endpoint': `${issuer}/api/v1/auth/keys`,
    'x-nanogpt-oauth-shortcut-code_endpoint': `${issuer}/api/v1/auth/keys/code`,
  };
}

export function protectedResourceMetadata(issuer: string) {
  return {
    resource: `${issuer}/api/v1`,
    authorization_servers: [issuer],
    bearer_methods_supported: ['header'],
    scopes_supported: [...SCOPES],
    resource_name: 'NanoGPT API',
    resource_documentation: `${issuer}/auth.md`,
  };
}

function authMarkdown(state: MockState): string {
  const issuer = state.issuer;
  return `# Sign in with NanoGPT (mock server)

This is a mock of the NanoGPT authorization server and API, for development and tests.

- Issuer: ${issuer}
- Discovery: ${issuer}/.well-known/oauth-authorization-server
- Protected resource metadata: ${issuer}/.well-known/oauth-protected-resource
- API base: ${issuer}/api/v1

## API keys
Keys look like \`sk-nano-<uuid>\`. Send one as \`Authorization: Bearer <key>\` or \`X-API-Key: <key>\`,
never in a URL. Errors: 401 \`missing_api_key\`, 401 \`invalid_api_key\`, 403 \`api_key_origin_not_allowed\`, 429.

## Scopes
\`models.read\`, \`api.use\` (required). Granted scopes are reported as \`models.read api.use\`.

## Flows
- Shortcut: GET ${issuer}/auth?callback_url=..&code_challenge=..&state=..&client_name=..,
  then POST ${issuer}/api/v1/auth/keys {code, code_verifier}.
- Standard OAuth 2.0 + PKCE (S256): POST ${issuer}/oauth/register, GET ${issuer}/oauth/authorize, POST ${issuer}/oauth/token.
  No client secrets, no refresh tokens.
- Downstream key code: POST ${issuer}/api/v1/auth/keys/code with a source key.
- Device login: POST ${issuer}/api/cli-login/start, open ${issuer}/cli-login/verify, POST ${issuer}/api/cli-login/poll.
`;
}

export function registerDiscovery(router: Router): void {
  router
    .on('GET', '/.well-known/oauth-authorization-server', ({ res, state }) =>
      sendJson(res, 200, authorizationServerMetadata(state.issuer)),
    )
    .on('GET', '/.well-known/oauth-protected-resource', ({ res, state }) =>
      sendJson(res, 200, protectedResourceMetadata(state.issuer)),
    )
    .on('GET', '/.well-known/oauth-protected-resource/api/v1', ({ res, state }) =>
      sendJson(res, 200, protectedResourceMetadata(state.issuer)),
    )
    .on('GET', '/auth.md', ({ res, state }) => sendText(res, 200, 'text/markdown; charset=utf-8', authMarkdown(state)));
}
