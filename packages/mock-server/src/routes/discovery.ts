import { sendHtml, sendJson, sendText } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { SCOPES } from '../oauth/scopes.js';
import type { MockState } from '../state.js';
import { messagePage } from '../ui/pages.js';

/** RFC 8414 metadata with NanoGPT's extensions, exactly the published fields (spec §3). */
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
    resource_documentation: `${issuer}/api`,
    'x-nanogpt-token-format': 'sk-nano-api-key',
    'x-nanogpt-oauth-shortcut-authorization_endpoint': `${issuer}/auth`,
    'x-nanogpt-oauth-shortcut-token_endpoint': `${issuer}/api/v1/auth/keys`,
    'x-nanogpt-oauth-shortcut-code_endpoint': `${issuer}/api/v1/auth/keys/code`,
  };
}

/**
 * RFC 9728 metadata of the API. What it points to is published (spec §3); the pointer field
 * names are not, so they are the mock's own `x-nanogpt-*` names [mock].
 */
export function protectedResourceMetadata(issuer: string) {
  return {
    resource: `${issuer}/api/v1`,
    authorization_servers: [issuer],
    bearer_methods_supported: ['header'],
    scopes_supported: [...SCOPES],
    resource_name: 'NanoGPT API',
    resource_documentation: `${issuer}/api`,
    'x-nanogpt-agent-auth-metadata': `${issuer}/.well-known/nanogpt-agent-auth`,
    'x-nanogpt-authorization-server-metadata': `${issuer}/.well-known/oauth-authorization-server`,
    'x-nanogpt-agent-capabilities': `${issuer}/api/v1/agent-capabilities`,
    'x-nanogpt-api-documentation': `${issuer}/api`,
    'x-nanogpt-mcp-setup': `${issuer}/mcp`,
  };
}

function authMarkdown(state: MockState): string {
  const issuer = state.issuer;
  return `# Sign in with NanoGPT (mock server)

This is a mock of the NanoGPT authorization server and API, for development and tests.

- Issuer: ${issuer}
- Discovery: ${issuer}/.well-known/oauth-authorization-server
- Protected resource metadata: ${issuer}/.well-known/oauth-protected-resource
- Agent sign-in metadata: ${issuer}/.well-known/nanogpt-agent-auth
- Capability manifest: ${issuer}/api/v1/agent-capabilities
- API base: ${issuer}/api/v1

## API keys
Keys look like \`sk-nano-<uuid>\` (older accounts: a bare UUID). Send one as \`Authorization: Bearer <key>\`
or \`X-API-Key: <key>\`, never in a URL. Errors on /api/v1/* use the OpenAI envelope
\`{"error":{"message","type","code","param"}}\`: 401 \`missing_api_key\` / \`invalid_api_key\`,
403 \`api_key_origin_not_allowed\`, 429 \`rate_limit_exceeded\`, \`daily_rpd_limit_exceeded\`,
\`daily_usd_limit_exceeded\`; 402 when the balance is too low.

- \`GET ${issuer}/api/v1/models\` is public: it answers with or without a key, so it never tells whether a key works.
- \`GET ${issuer}/api/v1/usage\` is authenticated: the key's spend, requests and tokens. Use it to check a key.

## Scopes
\`models.read\`, \`api.use\` (required). Granted scopes are reported as \`models.read api.use\`.

## Ways to get a key
- Shortcut: GET ${issuer}/auth?callback_url=..&code_challenge=..&state=..&client_name=..,
  then POST ${issuer}/api/v1/auth/keys {code, code_verifier}.
- Standard OAuth 2.0 + PKCE (S256): POST ${issuer}/oauth/register, GET ${issuer}/oauth/authorize, POST ${issuer}/oauth/token.
  No client secrets, no refresh tokens.
- Downstream key code: POST ${issuer}/api/v1/auth/keys/code with a source key.
- Device login: POST ${issuer}/api/cli-login/start, open ${issuer}/cli-login/verify, POST ${issuer}/api/cli-login/poll.
- Bring your own key: a key the user created in NanoGPT's settings.

Not supported: anonymous spend-capable credentials, agent-verified (ID-JAG) registration.
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
    .on('GET', '/auth.md', ({ res, state }) => sendText(res, 200, 'text/markdown; charset=utf-8', authMarkdown(state)))
    // Production's pages for people; the mock answers them so the metadata's links are not dead.
    .on('GET', '/api', ({ res }) =>
      sendHtml(res, 200, messagePage('NanoGPT API (mock)', 'On nano-gpt.com this page lists your API keys and the API documentation. In the mock, keys are managed with the /__mock/keys test controls.')),
    )
    .on('GET', '/mcp', ({ res }) =>
      sendHtml(res, 200, messagePage('NanoGPT MCP (mock)', "On nano-gpt.com this page explains NanoGPT's MCP server. The mock does not serve MCP.")),
    );
}
