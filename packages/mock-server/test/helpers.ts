import { createHash, randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { startMockServer, type MockServer, type MockServerOptions } from '../src/index.js';

const servers: MockServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Start a real mock server on a free port; closed after the test. */
export async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export async function postForm(url: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body).toString(),
  });
}

export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, redirect: 'manual' });
}

export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.append(name, value);
  return search.toString();
}

/** Shortcut flow up to the code. */
export function shortcutUrl(server: MockServer, params: Record<string, string | undefined>): string {
  return `${server.url}/auth?${query(params)}`;
}

export async function control<T = Record<string, unknown>>(server: MockServer, path: string, body?: unknown): Promise<T> {
  const res = body === undefined ? await fetch(`${server.url}/__mock/${path}`) : await postJson(`${server.url}/__mock/${path}`, body);
  if (!res.ok) throw new Error(`control ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function dashboardKey(server: MockServer, body: Record<string, unknown> = {}): Promise<string> {
  return (await control<{ key: string }>(server, 'keys', body)).key;
}

export function codeFrom(location: string): string {
  const code = new URL(location).searchParams.get('code');
  if (code === null) throw new Error(`no code in ${location}`);
  return code;
}

export async function register(server: MockServer, redirectUris: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const res = await postJson(`${server.url}/oauth/register`, { client_name: 'Test App', redirect_uris: redirectUris, ...extra });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { client_id: string }).client_id;
}

export function authorizeUrl(server: MockServer, params: Record<string, string | undefined>): string {
  return `${server.url}/oauth/authorize?${query({ response_type: 'code', scope: 'api.use models.read', state: 'st', code_challenge_method: 'S256', ...params })}`;
}

export async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

/** The OpenAI error envelope of an `/api/v1/*` API answer (spec §2). */
export interface ApiErrorBody {
  message: string;
  type: string;
  code: string;
  param: string | null;
}

/** The `error` object of an OpenAI-envelope answer; fails when the body has any other shape. */
export async function apiError(res: Response): Promise<ApiErrorBody> {
  const body = await json(res);
  const error = body.error as ApiErrorBody;
  if (typeof error !== 'object' || error === null || typeof error.message !== 'string' || typeof error.type !== 'string') {
    throw new Error(`not an OpenAI error envelope: ${JSON.stringify(body)}`);
  }
  return error;
}

/** POST /api/v1/chat/completions with a key. */
export function chat(server: MockServer, key: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return postJson(`${server.url}/api/v1/chat/completions`, body, { authorization: `Bearer ${key}`, ...headers });
}

export const hello = (model: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model,
  messages: [{ role: 'user', content: 'Hello mock' }],
  ...extra,
});
