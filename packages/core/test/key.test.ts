import { describe, expect, it } from 'vitest';
import { isNanoGptKey, maskKey, memoryStorage, NanoGptAuthError } from '../src/index.js';
import { KEY } from './helpers.js';

describe('keys', () => {
  it('recognises sk-nano-<uuid> and bare UUIDs, case-insensitively', () => {
    expect(isNanoGptKey(KEY)).toBe(true);
    expect(isNanoGptKey('123e4567-e89b-12d3-a456-426614174a2b')).toBe(true);
    expect(isNanoGptKey(KEY.toUpperCase().replace('SK-NANO-', 'sk-nano-'))).toBe(true);
  });

  it.each([
    '',
    'sk-nano-',
    'sk-nano-123e4567e89b12d3a456426614174a2b',
    'sk-nano-123e4567-e89b-12d3-a456-426614174a2',
    'sk-nano-123e4567-e89b-12d3-a456-426614174a2bc',
    'sk-nano-123e4567-e89b-12d3-a456-42661417za2b',
    'sk-other-123e4567-e89b-12d3-a456-426614174a2b',
    ' ' + KEY,
    KEY + '\n',
  ])('rejects %j', (v) => expect(isNanoGptKey(v)).toBe(false));

  it('rejects non-strings', () => {
    expect(isNanoGptKey(undefined as unknown as string)).toBe(false);
    expect(isNanoGptKey(42 as unknown as string)).toBe(false);
  });

  it('masks keys revealing at most the last 4 characters', () => {
    expect(maskKey(KEY)).toBe('sk-nano-…4a2b');
    expect(maskKey('123e4567-e89b-12d3-a456-426614174a2b')).toBe('…4a2b');
    expect(maskKey('not-a-key-secret')).toBe('…');
    expect(maskKey('')).toBe('…');
  });
});

describe('memoryStorage', () => {
  it('stores, reads and removes strings; instances are independent', () => {
    const a = memoryStorage();
    const b = memoryStorage();
    expect(a.getItem('x')).toBeNull();
    a.setItem('x', '1');
    expect(a.getItem('x')).toBe('1');
    expect(b.getItem('x')).toBeNull();
    a.removeItem('x');
    expect(a.getItem('x')).toBeNull();
  });
});

describe('NanoGptAuthError', () => {
  it('is an Error with a stable code, status, retryAfter, cause and a default message', () => {
    const cause = new Error('x');
    const error = new NanoGptAuthError('rate_limited', undefined, { status: 429, retryAfter: 3, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(NanoGptAuthError);
    expect(error.name).toBe('NanoGptAuthError');
    expect(error.code).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(3);
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/rate limited/i);
    expect(new NanoGptAuthError('invalid_request', 'custom').message).toBe('custom');
  });
});
