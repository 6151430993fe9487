import { HttpError, invalidRequest } from './errors.js';
import type { FormParams } from './form.js';

/**
 * Request parameters from a query string, a form body or a JSON object, read through one
 * interface. Form/query values are lists (repetition is detectable); JSON values keep their type.
 */
export type Params =
  | { kind: 'form'; values: FormParams }
  | { kind: 'json'; values: Record<string, unknown> };

/**
 * Read an optional string parameter. Throws `invalid_request` when it is repeated (form/query)
 * or is not a string (JSON). Empty strings count as absent, as in RFC 6749 §3.1.
 */
export function optionalString(params: Params, name: string, makeError = invalidRequest): string | undefined {
  let value: unknown;
  if (params.kind === 'form') {
    const list = params.values.get(name);
    if (list === undefined) return undefined;
    if (list.length > 1) throw makeError(`The ${name} parameter is repeated`);
    value = list[0];
  } else {
    value = params.values[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw makeError(`The ${name} parameter must be a string`);
  }
  return value === '' ? undefined : (value as string);
}

export function requiredString(params: Params, name: string, makeError = invalidRequest): string {
  const value = optionalString(params, name, makeError);
  if (value === undefined) throw makeError(`The ${name} parameter is required`);
  return value;
}

/** The first present alias (each alias read strictly). Two different values are an error. */
export function aliasedString(params: Params, names: readonly string[], makeError = invalidRequest): string | undefined {
  let found: string | undefined;
  let foundName = '';
  for (const name of names) {
    const value = optionalString(params, name, makeError);
    if (value === undefined) continue;
    if (found !== undefined && value !== found) {
      throw makeError(`The ${foundName} and ${name} parameters disagree`);
    }
    if (found === undefined) {
      found = value;
      foundName = name;
    }
  }
  return found;
}

/** A parameter as sent: a form/query value (read strictly, as a string) or a JSON value of any type. */
export function rawParam(params: Params, name: string): unknown {
  return params.kind === 'form' ? optionalString(params, name) : params.values[name];
}

/** A non-negative USD amount from a JSON number or a decimal string; empty = absent. */
export function optionalAmount(params: Params, name: string): number | undefined {
  const raw = rawParam(params, name);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > 1_000_000) {
    throw new HttpError(400, 'invalid_request', `The ${name} parameter must be a non-negative USD amount`);
  }
  return Math.round(value * 100) / 100;
}

/** `Repeated parameter: …` naming every repeated form/query name (RFC 6749 §3.1), or undefined. */
export function describeRepeated(params: Params): string | undefined {
  if (params.kind !== 'form') return undefined;
  const repeated = [...params.values].filter(([, values]) => values.length > 1).map(([name]) => name);
  return repeated.length === 0 ? undefined : `Repeated parameter: ${repeated.join(', ')}`;
}

/** Refuse a parameter set that repeats a name: `invalid_request` (RFC 6749 §3.1). */
export function rejectRepeated(params: Params): void {
  const description = describeRepeated(params);
  if (description !== undefined) throw invalidRequest(description);
}

/** The first of `names` present and not blank, trimmed (display names with aliases). */
export function firstNonBlank(params: Params, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = optionalString(params, name)?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Latest time the mock represents (ISO 8601 keeps four-digit years; `Date` itself ends in 275760). */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Epoch ms of an ISO 8601 time (`YYYY-MM-DD...`), or null. `Date.parse` alone is too lenient:
 * it reads `"1"` as the year 2001.
 */
export function parseIsoTime(text: string): number | null {
  const epochMs = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(epochMs) || epochMs > MAX_TIME_MS ? null : epochMs;
}
