import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse, base: string) => void;

/**
 * A tiny local authorization server on 127.0.0.1:0 for error-path tests of the standard flow:
 * each route answers from a replaceable handler; requests are recorded.
 */
export async function fakeAs() {
  const routes = new Map<string, Handler>();
  const requests: Array<{ method: string; path: string; body: string; headers: IncomingMessage['headers'] }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url!, base).pathname;
      requests.push({ method: req.method!, path, body, headers: req.headers });
      const h = routes.get(`${req.method} ${path}`);
      if (h) h(req, body, res, base);
      else send(res, 404, { error: 'not_found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metadata = {
    issuer: base,
    authorization_endpoint: base + '/oauth/authorize',
    token_endpoint: base + '/oauth/token',
    registration_endpoint: base + '/oauth/register',
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  };
  routes.set('GET /.well-known/oauth-authorization-server', (_q, _b, res) => send(res, 200, metadata));
  routes.set('POST /oauth/register', (_q, body, res) => send(res, 201, { ...JSON.parse(body), client_id: 'ngpt_test' }));
  return {
    base,
    metadata,
    routes,
    requests,
    count: (path: string) => requests.filter((r) => r.path === path).length,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
