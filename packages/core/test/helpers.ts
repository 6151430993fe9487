import { expect, vi } from 'vitest';

export const KEY = 'sk-nano-123e4567-e89b-12d3-a456-426614174a2b';
export const KEY2 = 'sk-nano-00000000-1111-2222-3333-444444444444';
export const ISSUER = 'https://nano.example';
export const REDIRECT = 'https://app.example/callback';

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(typeof body == 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export const okKey = (key = KEY) => json({ key, access_token: key, token_type: 'Bearer', scope: 'models.read api.use', user_id: 'u1' });

/** A fetch stub answering from a list of responders, recording calls. */
export function fakeFetch(...responders: Array<(url: string, init: RequestInit) => Response | Promise<Response>>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, init });
    const r = responders[Math.min(calls.length, responders.length) - 1];
    if (!r) throw new Error('no responder');
    return r(url, init);
  });
  return Object.assign(fn as unknown as typeof fetch, { calls });
}

/** Asserts a promise rejects with a NanoGptAuthError of `code`, returning it. */
export async function rejectsWith<T>(p: Promise<T>, code: string) {
  const e = await p.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (e: unknown) => e,
  );
  const err = e as { name?: string; code?: string; message: string };
  if (err.name !== 'NanoGptAuthError' || err.code !== code)
    throw new Error(`expected NanoGptAuthError ${code}, got ${err.name} ${err.code}: ${err.message}`);
  return e as import('../src/errors.js').NanoGptAuthError;
}

/** Asserts `run` throws a NanoGptAuthError of `code` synchronously, returning it. */
export function throwsWith(run: () => unknown, code: string) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ name: 'NanoGptAuthError', code });
  return error as import('../src/errors.js').NanoGptAuthError;
}
