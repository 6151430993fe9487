import { describe, expect, it } from 'vitest';
import { buildRouter } from '../src/server.js';
import { get, json, postJson, start } from './helpers.js';

describe('discovery (spec §2)', () => {
  it('serves RFC 8414 metadata derived from the listening address', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await get(`${server.url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const i = server.url;
    expect(await json(res)).toEqual({
      issuer: i,
      authorization_endpoint: `${i}/oauth/authorize`,
      token_endpoint: `${i}/oauth/token`,
      registration_endpoint: `${i}/oauth/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['models.read', 'api.use'],
      service_documentation: `${i}/auth.md`,
      resource_documentation: `${i}/api`,
      'x-nanogpt-token-format': 'sk-nano-api-key',
      'x-nanogpt-oauth-shortcut-authorization_endpoint': `${i}/auth`,
      'x-nanogpt-oauth-shortcut-token_endpoint': `${i}/api/v1/auth/keys`,
      'x-nanogpt-oauth-shortcut-code_endpoint': `${i}/api/v1/auth/keys/code`,
    });
  });

  it('serves RFC 9728 protected resource metadata', async () => {
    const server = await start();
    const body = await json(await get(`${server.url}/.well-known/oauth-protected-resource`));
    expect(body.resource).toBe(`${server.url}/api/v1`);
    expect(body.authorization_servers).toEqual([server.url]);
    expect(body.bearer_methods_supported).toEqual(['header']);
  });

  it('the protected resource metadata points to agent auth, the AS metadata, the capability manifest, the API docs and MCP (spec §3)', async () => {
    const server = await start();
    const i = server.url;
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/api/v1']) {
      expect(await json(await get(`${i}${path}`))).toMatchObject({
        resource_documentation: `${i}/api`,
        'x-nanogpt-agent-auth-metadata': `${i}/.well-known/nanogpt-agent-auth`,
        'x-nanogpt-authorization-server-metadata': `${i}/.well-known/oauth-authorization-server`,
        'x-nanogpt-agent-capabilities': `${i}/api/v1/agent-capabilities`,
        'x-nanogpt-api-documentation': `${i}/api`,
        'x-nanogpt-mcp-setup': `${i}/mcp`,
      });
    }
  });

  it('every URL in the discovery documents is absolute and served by the mock', async () => {
    const server = await start();
    const urls = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string' && /^[a-z]+:\/\//.test(value)) urls.add(value);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
    };
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource', '/.well-known/nanogpt-agent-auth', '/api/v1/agent-capabilities']) {
      const res = await get(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      collect(await res.json());
    }
    expect(urls.size).toBeGreaterThan(20);
    // The issuer and the resource (the API base) are identifiers, not endpoints.
    urls.delete(server.url);
    urls.delete(`${server.url}/api/v1`);
    for (const url of urls) {
      expect(url.startsWith(`${server.url}/`), url).toBe(true);
      // POST-only endpoints answer HEAD with 405: served, with another method.
      const res = await fetch(url, { method: 'HEAD', redirect: 'manual' });
      expect(res.status === 404 ? `${url} answered 404` : 'served').toBe('served');
    }
  });

  it('/.well-known/nanogpt-agent-auth lists the ways to get a key and what is not supported', async () => {
    const server = await start();
    const body = await json(await get(`${server.url}/.well-known/nanogpt-agent-auth`));
    expect(body).toMatchObject({ issuer: server.url, service_documentation: `${server.url}/auth.md`, scopes_supported: ['models.read', 'api.use'] });
    expect((body.methods as Array<{ method: string }>).map((entry) => entry.method)).toEqual([
      'oauth_shortcut', 'oauth_authorization_code', 'downstream_key_code', 'device_login', 'bring_your_own_key',
    ]);
    expect(body.unsupported).toEqual(['anonymous_spend_capable_credentials', 'agent_verified_registration_id_jag']);
  });

  it('/api/v1/agent-capabilities is a public manifest of exactly the endpoints the mock serves (besides its test controls)', async () => {
    const server = await start();
    const res = await get(`${server.url}/api/v1/agent-capabilities`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ object: 'agent_capabilities', issuer: server.url, api_base: `${server.url}/api/v1`, mock: true });
    const listed = (body.endpoints as Array<{ method: string; path: string; url: string }>).map((entry) => {
      expect(entry.url).toBe(`${server.url}${entry.path}`);
      return `${entry.method} ${entry.path}`;
    });
    const served = buildRouter(false).list().flatMap(({ path, methods }) => methods.map((method) => `${method} ${path}`));
    expect(listed.sort()).toEqual(served.sort());
  });

  it('/auth.md names the other ways to get a key and what is not supported', async () => {
    const server = await start();
    const text = await (await get(`${server.url}/auth.md`)).text();
    for (const phrase of ['Device login', 'Bring your own key', 'ID-JAG', 'anonymous spend-capable credentials', '/api/v1/usage']) expect(text).toContain(phrase);
  });

  it('registration answers 201 with client_uri and logo_uri normalised (spec §8)', async () => {
    const server = await start();
    const res = await postJson(`${server.url}/oauth/register`, {
      client_name: 'Normalised', redirect_uris: ['http://127.0.0.1:8787/callback'], client_uri: 'https://EXAMPLE.com', logo_uri: 'https://example.com:443/logo.png',
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ client_uri: 'https://example.com/', logo_uri: 'https://example.com/logo.png', redirect_uris: ['http://127.0.0.1:8787/callback'] });
  });

  it('serves /auth.md as markdown naming this server', async () => {
    const server = await start();
    const res = await get(`${server.url}/auth.md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    expect(await res.text()).toContain(`${server.url}/oauth/authorize`);
  });

  it('serves HEAD like GET without a body', async () => {
    const server = await start();
    const res = await fetch(`${server.url}/.well-known/oauth-authorization-server`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});
