import { createServer } from 'node:net';

/** The status of an authenticated API call with `key` (`/api/v1/usage`: since spec v2 `/api/v1/models` is public and answers 200 to any key). */
export async function modelsStatus(mockUrl: string, key: string): Promise<number> {
  const response = await fetch(`${mockUrl}/api/v1/usage`, { headers: { Authorization: `Bearer ${key}` } });
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

export interface HeldSleep {
  /** Pass as the device login's `sleep`: the wait lasts until the test calls `wake()`. */
  sleep: (ms: number) => Promise<void>;
  /** Ends the next wait (first waiting for the login to start one) and resolves with its length in ms. */
  wake(): Promise<number>;
}

/**
 * Waits between polls that the test ends instead of a timer, so a device-login test spends no time
 * sleeping and each poll happens exactly when the test has set the server up for it.
 * `beforeWake(ms)` runs before a wait ends, e.g. to move the mock's clock by as much.
 */
export function holdSleeps(beforeWake: (ms: number) => Promise<unknown> = async () => undefined): HeldSleep {
  const waits: { ms: number; end: () => void }[] = [];
  let waitStarted: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise<void>((end) => {
        waits.push({ ms, end });
        waitStarted?.();
      }),
    async wake() {
      let next = waits.shift();
      while (!next) {
        await new Promise<void>((resolve) => (waitStarted = resolve));
        next = waits.shift();
      }
      waitStarted = null;
      await beforeWake(next.ms);
      next.end();
      return next.ms;
    },
  };
}
