import { expect, vi } from 'vitest';
import type { NanoGptAuthError, NanoGptAuthErrorCode } from '../src/index.js';

export const KEY = 'sk-nano-123e4567-e89b-12d3-a456-426614174a2b';
export const KEY2 = 'sk-nano-00000000-1111-2222-3333-444444444444';
export const ISSUER = 'https://nano.example';
export const REDIRECT = 'https://app.example/callback';

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export const okKey = (key = KEY) => json({ key, access_token: key, token_type: 'Bearer', scope: 'models.read api.use', user_id: 'u1' });

/** A fetch stub answering from a list of responders, recording calls. */
export function fakeFetch(...responders: Array<(url: string, init: RequestInit) => Response | Promise<Response>>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const stub = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, init });
    const respond = responders[Math.min(calls.length, responders.length) - 1];
    if (!respond) throw new Error('no responder');
    return respond(url, init);
  });
  return Object.assign(stub as unknown as typeof fetch, { calls });
}

// The one way core tests assert a typed error: rejectsWith / throwsWith, which return the error
// for further checks (status, retryAfter, message).

/** Asserts `promise` rejects with a NanoGptAuthError of `code`, returning it. */
export async function rejectsWith(promise: Promise<unknown>, code: NanoGptAuthErrorCode): Promise<NanoGptAuthError> {
  const error = await promise.then(
    () => 'resolved instead',
    (reason: unknown) => reason,
  );
  expect(error).toMatchObject({ name: 'NanoGptAuthError', code });
  return error as NanoGptAuthError;
}

/** Asserts `run` throws a NanoGptAuthError of `code` synchronously, returning it. */
export function throwsWith(run: () => unknown, code: NanoGptAuthErrorCode): NanoGptAuthError {
  let error: unknown = 'returned instead';
  try {
    run();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toMatchObject({ name: 'NanoGptAuthError', code });
  return error as NanoGptAuthError;
}
