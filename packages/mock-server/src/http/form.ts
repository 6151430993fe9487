/**
 * Strict `application/x-www-form-urlencoded` / query-string parsing.
 * Unlike URLSearchParams it refuses invalid percent-encoding and non-UTF-8 bytes instead of
 * silently replacing them, and it keeps repeated names so callers can reject them
 * (RFC 6749 §3.1: parameters MUST NOT be included more than once).
 */
export type FormParams = Map<string, string[]>;

export class FormDecodeError extends Error {
  constructor() {
    super('The request is not valid UTF-8 form or query encoding');
    this.name = 'FormDecodeError';
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new FormDecodeError();
  }
}

export function parseForm(input: string): FormParams {
  const params: FormParams = new Map();
  if (input === '') return params;
  for (const pair of input.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = decode(equals === -1 ? '' : pair.slice(equals + 1));
    const list = params.get(name);
    if (list !== undefined) list.push(value);
    else params.set(name, [value]);
  }
  return params;
}
