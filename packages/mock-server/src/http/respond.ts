import type { ServerResponse } from 'node:http';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Answers that carry a secret (a key, a code) or a one-off state must not be cached. */
export const NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store' };

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * HTML pages. The CSP allows only inline styles and data: images, and deliberately sets NO
 * `form-action`: in Chromium it would also block the redirect to the app after the consent
 * POST (spec §11).
 */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    ...NO_STORE,
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A redirect (302 for GET authorization responses, 303 after the consent POST). */
export function sendRedirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, location, ...NO_STORE, 'content-length': 0 });
  res.end();
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': 0 });
  res.end();
}

/** The head of a server-sent event stream; events follow as `data: …\n\n` until `res.end()`. */
export function openEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
}
