import type { IncomingHttpHeaders } from 'node:http';

/** A request header's first value, trimmed; a blank one counts as absent. */
export function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers[name];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value === undefined || value === '' ? undefined : value;
}
