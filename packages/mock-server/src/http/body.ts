import type { IncomingMessage } from 'node:http';
import { HttpError, invalidRequest } from './errors.js';
import { FormDecodeError, parseForm } from './form.js';
import type { Params } from './params.js';

/** Bodies above this size are answered 413 (nothing the surface accepts comes close). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Past this many discarded bytes an oversized upload is cut off instead of drained. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

const tooLarge = (): HttpError =>
  new HttpError(413, 'invalid_request', `The request body is larger than ${MAX_BODY_BYTES} bytes`, {
    headers: { connection: 'close' },
  });

/**
 * Read the whole body, up to `MAX_BODY_BYTES`. An oversized body is drained (so the client can
 * read the 413) and then refused; a wildly oversized one is cut off.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversized = Number.isFinite(declared) && declared > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) oversized = true;
      if (oversized) {
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) {
          req.pause();
          reject(tooLarge());
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (oversized ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', () => reject(invalidRequest('The request body could not be read')));
  });
}

export type BodyFormat = 'json' | 'form';

function mediaType(req: IncomingMessage): string {
  const header = req.headers['content-type'] ?? '';
  return (header.split(';')[0] ?? '').trim().toLowerCase();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw invalidRequest('The request body is not valid UTF-8');
  }
}

/**
 * Parse a body in one of the accepted formats. An empty body is an empty parameter set
 * (whatever its content type); anything else must carry an accepted content type.
 */
export function parseBody(req: IncomingMessage, body: Buffer, accepted: readonly BodyFormat[]): Params {
  if (body.length === 0) return { kind: 'form', values: new Map() };
  const type = mediaType(req);
  const isJson = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  if (isJson && accepted.includes('json')) {
    let value: unknown;
    try {
      value = JSON.parse(decodeUtf8(body));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw invalidRequest('The request body is not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidRequest('The request body must be a JSON object');
    }
    return { kind: 'json', values: value as Record<string, unknown> };
  }
  if (type === 'application/x-www-form-urlencoded' && accepted.includes('form')) {
    const text = decodeUtf8(body);
    try {
      return { kind: 'form', values: parseForm(text) };
    } catch (error) {
      if (error instanceof FormDecodeError) throw invalidRequest(error.message);
      throw error;
    }
  }
  const names = accepted.map((format) => (format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'));
  throw new HttpError(415, 'invalid_request', `Unsupported content type; send ${names.join(' or ')}`);
}

/** Read and parse in one step. */
export async function readParams(req: IncomingMessage, accepted: readonly BodyFormat[]): Promise<Params> {
  return parseBody(req, await readBody(req), accepted);
}
