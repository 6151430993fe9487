import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackServer, type CallbackServer } from '../src/callback-server.js';
import { NanoGptNodeError } from '../src/errors.js';

let server: CallbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A raw GET so the Host header can be forged (fetch will not). */
function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('loopback callback server', () => {
  it('binds 127.0.0.1 on a free port and builds the redirect URI', async () => {
    const controller = new AbortController();
    server = await startCallbackServer({ state: 's1', signal: controller.signal });
    expect(server.port).toBeGreaterThan(0);
    expect(server.redirectUri).toBe(`http://127.0.0.1:${server.port}/callback`);
  });

  it('answers 400 to wrong paths, wrong or missing state and foreign hosts, then accepts the right callback', async () => {
    const controller = new AbortController();
    server = await startCallbackServer({ state: 'right-state', signal: controller.signal });
    const { port } = server;
    expect((await get(port, '/callback?code=c&state=wrong')).status).toBe(400);
    expect((await get(port, '/callback?code=c')).status).toBe(400);
    expect((await get(port, '/other?code=c&state=right-state')).status).toBe(400);
    expect((await get(port, '/favicon.ico')).status).toBe(400);
    expect((await get(port, '/callback?code=c&state=right-state', `evil.example:${port}`)).status).toBe(400);

    const pending = get(port, '/callback?code=the-code&state=right-state');
    const callback = await server.received;
    expect(callback.url.searchParams.get('code')).toBe('the-code');
    callback.respond('success', 'Done', 'Close this tab.');
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Done');
    expect(answer.body).not.toContain('the-code');

    const late = await get(port, '/callback?code=again&state=right-state');
    expect(late.status).toBe(400);
    expect(late.body).toContain('already finished');
  });

  it('serves pages that leak nothing and load nothing', async () => {
    const controller = new AbortController();
    server = await startCallbackServer({ state: 'x', signal: controller.signal });
    const page = await get(server.port, '/nope');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(page.body).not.toMatch(/<script|src=|href=/i);
  });

  it('rejects with the abort reason and stops listening when aborted', async () => {
    const controller = new AbortController();
    server = await startCallbackServer({ state: 'x', signal: controller.signal });
    const reason = new NanoGptNodeError('aborted', 'stop');
    controller.abort(reason);
    await expect(server.received).rejects.toBe(reason);
    await server.close();
    await expect(get(server.port, '/callback?state=x&code=c')).rejects.toThrow();
  });

  it('reports a busy port as port_in_use', async () => {
    const controller = new AbortController();
    server = await startCallbackServer({ state: 'x', signal: controller.signal });
    await expect(startCallbackServer({ state: 'y', port: server.port, signal: controller.signal })).rejects.toMatchObject({ code: 'port_in_use' });
  });
});
