import { createServer } from 'node:net';

/** POSTs to one of the mock's /__mock/ test controls (JSON in and out). */
export async function control<T = Record<string, unknown>>(mockUrl: string, path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${mockUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** GETs one of the mock's /__mock/ test controls. */
export async function controlGet<T = Record<string, unknown>>(mockUrl: string, path: string): Promise<T> {
  const response = await fetch(`${mockUrl}${path}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export interface InspectedKey {
  id: string;
  name: string;
  kind: string;
  scope: string;
  allowedOrigins: string[];
  limit: number | null;
  usageLimitType: string | null;
  expiresAt: string | null;
  revoked: boolean;
  maskedKey: string;
}

export const inspectKey = (mockUrl: string, key: string): Promise<InspectedKey> => control<InspectedKey>(mockUrl, '/__mock/keys/inspect', { key });

export async function createSourceKey(mockUrl: string, body: Record<string, unknown> = {}): Promise<string> {
  return (await control<{ id: string; key: string }>(mockUrl, '/__mock/keys', body)).key;
}

export async function modelsStatus(mockUrl: string, key: string): Promise<number> {
  const response = await fetch(`${mockUrl}/api/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

/** A promise plus its resolver, for values that arrive through callbacks. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The first value a running sign-in reports through a callback (its URL, its user code), or the
 * sign-in's own error when it ends before reporting. `result` is marked handled: await it later.
 */
export function firstReport<T>(reported: Promise<T>, result: Promise<unknown>): Promise<T> {
  result.catch(() => undefined);
  const ended = result.then(
    () => Promise.reject(new Error('the sign-in ended before reporting')),
    (error: unknown) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
  );
  ended.catch(() => undefined);
  return Promise.race([reported, ended]);
}

/** The loopback port a sign-in URL redirects to. */
export function callbackPort(authorizationUrl: string): number {
  const url = new URL(authorizationUrl);
  const redirect = url.searchParams.get('callback_url') ?? url.searchParams.get('redirect_uri') ?? '';
  return Number(new URL(redirect).port);
}

/** Whether something still listens on 127.0.0.1:port. */
export async function isListening(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
