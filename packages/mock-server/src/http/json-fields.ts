import { invalidRequest } from './errors.js';

/**
 * Typed reads of JSON body fields: absent (undefined or null) gives the fallback, a value of the
 * wrong type is `invalid_request` naming the field.
 */
export function jsonString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  return value;
}

export function jsonStringList(value: unknown, name: string, fallback: string[] = []): string[] {
  if (value === undefined || value === null) return fallback;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalidRequest(`${name} must be an array of strings`);
  return value as string[];
}

export function jsonAmount(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidRequest(`${name} must be a non-negative number`);
  return value;
}
