import { describe, expect, it } from 'vitest';
import { get, json, start } from './helpers.js';

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
