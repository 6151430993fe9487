import { describe, expect, it } from 'vitest';
import { start } from './helpers.js';
import { openConnection } from './raw-http.js';

const discovery = (url: string) => fetch(`${url}/.well-known/oauth-authorization-server`).then(async (res) => {
  await res.arrayBuffer();
  return res.status;
});

describe('slow and surplus clients', () => {
  it('a request that declares 100 bytes and sends 10 gets a 408 and is closed; others are answered meanwhile', async () => {
    const server = await start({ timeouts: { headersMs: 200, requestMs: 400 } });
    const slow = await openConnection(server.url);
    slow.socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"code":"x`,
    );
    expect(await discovery(server.url)).toBe(200);
    const received = await slow.closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(await discovery(server.url)).toBe(200);
  });

  it('headers that never end get a 408 and are closed', async () => {
    const server = await start({ timeouts: { headersMs: 200, requestMs: 400 } });
    const slow = await openConnection(server.url);
    slow.socket.write(`GET /auth.md HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('connections beyond maxConnections are closed at once; the open ones are still served', async () => {
    const server = await start({ maxConnections: 2 });
    const request = `GET /auth.md HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`;
    const held = [await openConnection(server.url), await openConnection(server.url)];
    // Answered: the server has accepted both.
    for (const connection of held) {
      connection.socket.write(request);
      await connection.received(/^HTTP\/1\.1 200 /);
    }
    const surplus = await openConnection(server.url);
    surplus.socket.write(request);
    expect(await surplus.closed).toBe('');
    const [first] = held;
    first?.socket.write(request);
    expect(await first?.received(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 200 /)).toBeTruthy();
    for (const connection of held) connection.socket.destroy();
  });

  it('refuses timeouts and connection caps that make no sense', async () => {
    for (const options of [{ timeouts: { headersMs: 0 } }, { timeouts: { headersMs: 500, requestMs: 100 } }, { maxConnections: 0 }, { maxConnections: 1.5 }]) {
      await expect(start(options), JSON.stringify(options)).rejects.toMatchObject({ code: 'invalid_options' });
    }
  });
});
