import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { NanoGptNodeError } from './errors.js';
import { sendPage, type PageKind } from './pages.js';

/**
 * A one-shot RFC 8252 loopback redirect receiver: an HTTP server on 127.0.0.1 that waits for
 * exactly one request to `/callback` carrying the expected `state`. Everything else (another
 * path, another method, a wrong or missing state, a foreign Host header, anything after the
 * first valid callback) gets a 400 page and the wait goes on.
 */
export interface CallbackServerOptions {
  /** The port to bind; 0 (default) lets the OS choose a free one. */
  port?: number;
  /** The `state` the callback must carry. */
  state: string;
  /** Fired when the wait is over for good (timeout / abort): the server closes at once. */
  signal: AbortSignal;
}

export interface ReceivedCallback {
  /** The full callback URL as the browser requested it (holds the code: never log it). */
  readonly url: URL;
  /** Answers the browser's request (held open until then) with a small page. */
  respond(kind: PageKind, heading: string, detail: string): void;
}

export interface CallbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/callback` */
  readonly redirectUri: string;
  /** Resolves with the first request that carries the right state. */
  readonly received: Promise<ReceivedCallback>;
  close(): Promise<void>;
}

export const CALLBACK_PATH = '/callback';
const CLOSE_GRACE_MS = 1000;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(new NanoGptNodeError('port_in_use', `Port ${port} on 127.0.0.1 is already in use; choose another port or leave it out.`, { cause: error }));
      } else if (error.code === 'EACCES') {
        reject(new NanoGptNodeError('port_in_use', `Not allowed to listen on port ${port}; choose a port above 1023 or leave it out.`, { cause: error }));
      } else {
        reject(new NanoGptNodeError('network_error', 'Could not start the local sign-in server.', { cause: error }));
      }
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  if (options.signal.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new NanoGptNodeError('aborted', 'Cancelled.');
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new NanoGptNodeError('invalid_request', `Invalid port: ${String(options.port)}.`);
  }

  let accepted = false;
  let resolveReceived!: (callback: ReceivedCallback) => void;
  let rejectReceived!: (error: unknown) => void;
  const received = new Promise<ReceivedCallback>((resolve, reject) => {
    resolveReceived = resolve;
    rejectReceived = reject;
  });
  received.catch(() => undefined);

  const server = createServer();
  let port = requestedPort;

  const badRequest = (res: ServerResponse, detail: string): void =>
    sendPage(res, 400, 'bad_request', 'Invalid sign-in request', detail);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      badRequest(res, 'This local sign-in server only answers requests addressed to 127.0.0.1.');
      return;
    }
    if (req.method !== 'GET') {
      badRequest(res, 'Only the sign-in redirect is expected here.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== CALLBACK_PATH) {
      badRequest(res, 'Nothing here: this server only receives the sign-in redirect.');
      return;
    }
    if (accepted) {
      badRequest(res, 'This sign-in has already finished. You can close this tab.');
      return;
    }
    const state = url.searchParams.get('state');
    if (state === null || !sameSecret(state, options.state)) {
      badRequest(res, 'This redirect does not belong to the sign-in in progress (state mismatch). Start again from your terminal if needed.');
      return;
    }
    accepted = true;
    let answered = false;
    resolveReceived({
      url,
      respond(kind, heading, detail) {
        if (answered) return;
        answered = true;
        sendPage(res, kind === 'success' ? 200 : 400, kind, heading, detail);
      },
    });
  });

  port = await listen(server, requestedPort);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  const onAbort = (): void => {
    rejectReceived(options.signal.reason);
    server.closeAllConnections();
    void close();
  };
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  void received.then(
    () => options.signal.removeEventListener('abort', onAbort),
    () => undefined,
  );

  return {
    port,
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    received,
    close,
  };
}
