/**
 * The machine-facing documents an agent reads to sign in and to learn what the API offers
 * (spec §3). Production publishes that they exist, not their fields: these shapes are the mock's
 * own [mock]; every URL in them is absolute and served by the mock.
 */
import { sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { SCOPES } from '../oauth/scopes.js';

/** How a request to an endpoint authenticates. */
export type EndpointAuthentication = 'none' | 'api_key' | 'pkce' | 'device_code' | 'browser';

export interface ManifestEndpoint {
  method: 'GET' | 'POST';
  path: string;
  url: string;
  authentication: EndpointAuthentication;
  description: string;
}

/** Every endpoint the mock serves besides its `/__mock/*` test controls. */
const ENDPOINTS: ReadonlyArray<Omit<ManifestEndpoint, 'url'>> = [
  { method: 'GET', path: '/.well-known/oauth-authorization-server', authentication: 'none', description: 'OAuth authorization server metadata (RFC 8414)' },
  { method: 'GET', path: '/.well-known/oauth-protected-resource', authentication: 'none', description: 'Protected resource metadata of the API (RFC 9728)' },
  { method: 'GET', path: '/.well-known/oauth-protected-resource/api/v1', authentication: 'none', description: 'The same, at the resource-specific path (RFC 9728 §3.1)' },
  { method: 'GET', path: '/.well-known/nanogpt-agent-auth', authentication: 'none', description: 'How an agent gets a NanoGPT API key' },
  { method: 'GET', path: '/api/v1/agent-capabilities', authentication: 'none', description: 'This manifest' },
  { method: 'GET', path: '/auth.md', authentication: 'none', description: 'Machine-facing sign-in guide (markdown)' },
  { method: 'GET', path: '/api', authentication: 'none', description: 'API keys and documentation page' },
  { method: 'GET', path: '/mcp', authentication: 'none', description: 'MCP setup page' },
  { method: 'POST', path: '/oauth/register', authentication: 'none', description: 'Dynamic client registration (RFC 7591), public clients' },
  { method: 'GET', path: '/oauth/authorize', authentication: 'browser', description: 'Authorization endpoint: the consent page' },
  { method: 'POST', path: '/oauth/token', authentication: 'pkce', description: 'Token endpoint: code + code_verifier for an API key' },
  { method: 'GET', path: '/auth', authentication: 'browser', description: 'Shortcut key handoff: the consent page' },
  { method: 'POST', path: '/consent', authentication: 'browser', description: "The consent form's submission" },
  { method: 'POST', path: '/api/v1/auth/keys', authentication: 'pkce', description: 'Shortcut exchange: code + code_verifier for an API key' },
  { method: 'POST', path: '/api/v1/auth/keys/code', authentication: 'api_key', description: 'A one-time code for a downstream key, minted with a source key' },
  { method: 'POST', path: '/api/cli-login/start', authentication: 'none', description: 'Device login: start' },
  { method: 'POST', path: '/api/cli-login/poll', authentication: 'device_code', description: 'Device login: poll for the key' },
  { method: 'GET', path: '/cli-login/verify', authentication: 'browser', description: 'Device login: the approval page' },
  { method: 'GET', path: '/cli-login/done', authentication: 'browser', description: 'Device login: the page after approval or denial' },
  { method: 'GET', path: '/api/v1/models', authentication: 'none', description: 'Model catalogue (public; a key only personalises it); ?detailed=true adds pricing' },
  { method: 'GET', path: '/api/v1/usage', authentication: 'api_key', description: "The calling key's spend, requests and tokens over a UTC date range" },
  { method: 'POST', path: '/api/v1/chat/completions', authentication: 'api_key', description: 'OpenAI-compatible chat completions; stream: true answers server-sent events' },
];

export function agentCapabilities(issuer: string) {
  return {
    object: 'agent_capabilities',
    issuer,
    api_base: `${issuer}/api/v1`,
    mock: true,
    authentication: {
      token_format: 'sk-nano-api-key',
      headers: ['Authorization: Bearer <key>', 'X-API-Key: <key>'],
      sign_in: `${issuer}/.well-known/nanogpt-agent-auth`,
    },
    errors: {
      api: 'OpenAI envelope {"error":{"message","type","code","param"}} on /api/v1/* API endpoints',
      oauth: 'flat {"error","error_description"} on /oauth/*, /api/v1/auth/keys and /api/v1/auth/keys/code',
      device_login: '{"status"} or {"error"} on /api/cli-login/*',
    },
    streaming: { endpoint: `${issuer}/api/v1/chat/completions`, format: 'text/event-stream', terminator: 'data: [DONE]' },
    endpoints: ENDPOINTS.map((endpoint): ManifestEndpoint => ({ ...endpoint, url: `${issuer}${endpoint.path}` })),
  };
}

export function agentAuthMetadata(issuer: string) {
  return {
    issuer,
    service_documentation: `${issuer}/auth.md`,
    capabilities: `${issuer}/api/v1/agent-capabilities`,
    credential: { type: 'api_key', token_format: 'sk-nano-api-key', header: 'Authorization: Bearer <key>', alternative_header: 'X-API-Key: <key>' },
    scopes_supported: [...SCOPES],
    methods: [
      { method: 'oauth_shortcut', authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/api/v1/auth/keys`, code_challenge_methods_supported: ['S256'] },
      {
        method: 'oauth_authorization_code',
        metadata: `${issuer}/.well-known/oauth-authorization-server`,
        registration_endpoint: `${issuer}/oauth/register`,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        code_challenge_methods_supported: ['S256'],
      },
      { method: 'downstream_key_code', code_endpoint: `${issuer}/api/v1/auth/keys/code`, token_endpoint: `${issuer}/api/v1/auth/keys` },
      {
        method: 'device_login',
        start_endpoint: `${issuer}/api/cli-login/start`,
        poll_endpoint: `${issuer}/api/cli-login/poll`,
        verification_uri: `${issuer}/cli-login/verify`,
      },
      { method: 'bring_your_own_key', key_management: `${issuer}/api` },
    ],
    unsupported: ['anonymous_spend_capable_credentials', 'agent_verified_registration_id_jag'],
  };
}

export function registerAgentDocuments(router: Router): void {
  router
    .on('GET', '/.well-known/nanogpt-agent-auth', ({ res, state }) => sendJson(res, 200, agentAuthMetadata(state.issuer)))
    .on('GET', '/api/v1/agent-capabilities', ({ res, state }) => sendJson(res, 200, agentCapabilities(state.issuer)));
}
