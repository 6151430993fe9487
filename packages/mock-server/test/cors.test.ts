import { describe, expect, it } from 'vitest';
import { dashboardKey, get, pkce, shortcutUrl, start } from './helpers.js';

const ORIGIN = 'http://127.0.0.1:5173';

describe('CORS', () => {
  it.each(['/oauth/token', '/oauth/register', '/api/v1/auth/keys', '/api/v1/models', '/.well-known/oauth-authorization-server'])(
    'answers the preflight for %s',
    async (path) => {
      const server = await start();
      const res = await fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('Authorization, X-API-Key, Content-Type, X-Title, X-App-Name');
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    },
  );

  it('echoes the Origin on answers, errors included, and exposes Retry-After and WWW-Authenticate', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    const cases: Array<Record<string, string>> = [{ authorization: `Bearer ${key}` }, {}];
    for (const headers of cases) {
      const res = await get(`${server.url}/api/v1/models`, { origin: ORIGIN, ...headers });
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After, WWW-Authenticate');
    }
    const md = await get(`${server.url}/auth.md`, { origin: ORIGIN });
    expect(md.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('does not add CORS to the consent pages', async () => {
    const server = await start();
    const res = await get(shortcutUrl(server, { callback_url: 'http://127.0.0.1:5555/cb', code_challenge: pkce().challenge }), { origin: ORIGIN });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${server.url}/consent`, { method: 'OPTIONS', headers: { origin: ORIGIN } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});
