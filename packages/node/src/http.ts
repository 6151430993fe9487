import { NanoGptNodeError } from './errors.js';
import { printable } from './terminal-text.js';

/** The value `text` holds as JSON; undefined when it is not JSON (which never parses to undefined). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a JSON body; null when the body is not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? (parseJson(text) ?? null) : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(body: unknown, name: string): string | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(body: unknown, name: string): number | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The error text a server answer carries, safe to show: short, single line, no control characters ('' when none). */
export function errorText(body: unknown): string {
  const text = stringField(body, 'error_description') ?? stringField(body, 'message') ?? stringField(body, 'error') ?? '';
  return printable(text).replace(/\s+/g, ' ').slice(0, 200);
}

export async function postJson(
  doFetch: typeof fetch,
  url: URL,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ response: Response; body: unknown }> {
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof NanoGptNodeError) throw error;
    throw new NanoGptNodeError('network_error', `Could not reach ${url.origin}.`, { cause: error });
  }
  return { response, body: await readJson(response) };
}
