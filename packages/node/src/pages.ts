import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The small pages the loopback server shows in the user's browser. They carry no secrets, load
 * nothing from elsewhere and run no script; the only inline style is allowed by its hash.
 */
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1d1d1f}' +
  'h1{font-size:1.4rem}.ok{color:#0a7a2f}.fail{color:#b3261e}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
};

export type PageKind = 'success' | 'failure' | 'bad_request';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage(kind: PageKind, heading: string, detail: string): string {
  const cls = kind === 'success' ? 'ok' : 'fail';
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${escapeHtml(heading)}</title><style>${STYLE}</style></head>` +
    `<body><h1 class="${cls}">${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p></body></html>`
  );
}

export function sendPage(res: ServerResponse, status: number, kind: PageKind, heading: string, detail: string): void {
  const body = renderPage(kind, heading, detail);
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}
