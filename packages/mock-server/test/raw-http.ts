import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request with exactly the headers given (fetch would set Host itself): to act as a browser
 * on a DNS-rebound name, or as a page on another site.
 */
export function rawRequest(
  serverUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(serverUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An open TCP connection to the server, and everything it has received until the server closed it. */
export interface RawConnection {
  socket: Socket;
  /** Resolves with all the bytes received once the server closes the connection. */
  closed: Promise<string>;
  /** Resolves with the received text once it matches `pattern`. */
  received(pattern: RegExp): Promise<string>;
}

export function openConnection(serverUrl: string): Promise<RawConnection> {
  const { hostname, port } = new URL(serverUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(text)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(text);
        }
      }
    });
    const closed = new Promise<string>((done) => socket.on('close', () => done(text)));
    socket.on('error', () => undefined);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        received: (pattern) =>
          pattern.test(text)
            ? Promise.resolve(text)
            : new Promise((done, fail) => {
                waiters.push({ pattern, resolve: done });
                void closed.then((all) => (pattern.test(all) ? done(all) : fail(new Error(`connection closed after ${JSON.stringify(all)}`))));
              }),
      }),
    );
    socket.once('error', reject);
  });
}
