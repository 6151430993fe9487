import type { IncomingMessage, ServerResponse } from 'node:http';

/** Paths a browser app on another origin may call (token endpoints, API, metadata); never the test controls. */
export function isCorsPath(path: string): boolean {
  return (
    path.startsWith('/api/') ||
    path === '/oauth/token' ||
    path === '/oauth/register' ||
    path.startsWith('/.well-known/') ||
    path === '/auth.md'
  );
}

/** Echo the Origin (no credentials: keys travel in headers, never in cookies). */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', 'Retry-After, WWW-Authenticate');
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  applyCors(req, res);
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': 'Authorization, X-API-Key, Content-Type, X-Title, X-App-Name',
    'access-control-max-age': '600',
    'content-length': 0,
  });
  res.end();
}
