import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { control, dashboardKey, get, json, pkce, postJson, start } from './helpers.js';

type Server = Awaited<ReturnType<typeof start>>;

const JSON_ENDPOINTS = ['/oauth/register', '/oauth/token', '/api/v1/auth/keys', '/api/cli-login/start', '/api/cli-login/poll', '/__mock/keys'];

async function alive(server: Server) {
  expect((await get(`${server.url}/.well-known/oauth-authorization-server`)).status).toBe(200);
}

function send(server: Server, path: string, body: RequestInit['body'], contentType: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
}

describe('bad input never crashes the server and never yields a 5xx', () => {
  it('malformed JSON -> 400 invalid_request', async () => {
    const server = await start();
    for (const path of JSON_ENDPOINTS) {
      const res = await send(server, path, '{"code": ', 'application/json');
      expect(res.status, path).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    await alive(server);
  });

  it('JSON that is not an object -> 400 invalid_request', async () => {
    const server = await start();
    for (const body of ['[]', 'null', '"code"', '42', 'true']) {
      const res = await send(server, '/api/v1/auth/keys', body, 'application/json');
      expect(res.status, body).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
  });

  it('parameters of the wrong JSON type -> 400 invalid_request', async () => {
    const server = await start();
    for (const body of [{ code: 1, code_verifier: 'x'.repeat(43) }, { code: ['a'], code_verifier: 'x'.repeat(43) }, { code: 'a', code_verifier: { v: 1 } }]) {
      const res = await postJson(`${server.url}/api/v1/auth/keys`, body);
      expect(res.status).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    const reg = await postJson(`${server.url}/oauth/register`, { client_name: { x: 1 }, redirect_uris: 'http://127.0.0.1:1/cb' });
    expect(reg.status).toBe(400);
  });

  it('wrong content type -> 415 invalid_request', async () => {
    const server = await start();
    for (const path of JSON_ENDPOINTS) {
      const res = await send(server, path, 'code=x', 'text/plain');
      expect(res.status, path).toBe(415);
      expect((await json(res)).error).toBe('invalid_request');
    }
    // registration is JSON only
    expect((await send(server, '/oauth/register', 'client_name=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    // a body without any content type
    const none = await fetch(`${server.url}/oauth/token`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(none.status).toBe(415);
  });

  it('huge bodies -> 413 (declared length and chunked)', async () => {
    const server = await start();
    const big = JSON.stringify({ code: 'x'.repeat(200_000) });
    for (const path of ['/oauth/token', '/api/v1/auth/keys', '/oauth/register', '/__mock/keys']) {
      const res = await send(server, path, big, 'application/json');
      expect(res.status, path).toBe(413);
      expect((await json(res)).error).toBe('invalid_request');
    }
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(10_000).fill(65));
        controller.close();
      },
    });
    const res = await fetch(`${server.url}/api/v1/auth/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    const form = await send(server, '/consent', `consent_id=${'a'.repeat(100_000)}`, 'application/x-www-form-urlencoded');
    expect(form.status).toBe(413);
    await alive(server);
  });

  it('non-UTF-8 bodies and percent-encodings -> 400', async () => {
    const server = await start();
    const latin1 = new Uint8Array([0x7b, 0x22, 0x63, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xe9, 0xff, 0x22, 0x7d]); // {"code":"\xe9\xff"}
    expect((await send(server, '/api/v1/auth/keys', latin1, 'application/json')).status).toBe(400);
    expect((await send(server, '/oauth/token', new Uint8Array([0x63, 0x3d, 0xff]), 'application/x-www-form-urlencoded')).status).toBe(400);
    const pct = await send(server, '/oauth/token', 'grant_type=authorization_code&code=%FF%FE', 'application/x-www-form-urlencoded');
    expect(pct.status).toBe(400);
    expect((await json(pct)).error).toBe('invalid_request');
    const badPct = await send(server, '/oauth/token', 'code=%E0%A4%A', 'application/x-www-form-urlencoded');
    expect(badPct.status).toBe(400);
    const page = await get(`${server.url}/auth?callback_url=http://127.0.0.1:5555/cb&code_challenge=%FF`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('data-error="invalid_request"');
    const authorize = await get(`${server.url}/oauth/authorize?client_id=%C3%28`);
    expect(authorize.status).toBe(400);
    await alive(server);
  });

  it('repeated parameters -> invalid_request (RFC 6749 §3.1)', async () => {
    const server = await start();
    const pair = pkce();
    const page = await get(`${server.url}/auth?callback_url=http://127.0.0.1:5555/cb&code_challenge=${pair.challenge}&code_challenge=${pair.challenge}`);
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    const dupCallback = await get(`${server.url}/auth?callback_url=http://127.0.0.1:5555/cb&callback_url=http://127.0.0.1:5556/cb&code_challenge=${pair.challenge}`);
    expect(dupCallback.status).toBe(400);
    const dupState = await get(`${server.url}/auth?callback_url=http://127.0.0.1:5555/cb&code_challenge=${pair.challenge}&state=a&state=b`);
    expect(dupState.status).toBe(302);
    const url = new URL(dupState.headers.get('location') ?? '');
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.has('state')).toBe(false);
    for (const path of ['/api/v1/auth/keys', '/api/cli-login/poll', '/api/cli-login/start']) {
      const res = await send(server, path, 'code=a&code=b&device_code=a&device_code=b&client_name=a&client_name=b', 'application/x-www-form-urlencoded');
      expect(res.status, path).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    const key = await dashboardKey(server);
    const mint = await send(server, '/api/v1/auth/keys/code', `redirect_uri=x&redirect_uri=y`, 'application/x-www-form-urlencoded', { authorization: `Bearer ${key}` });
    expect(mint.status).toBe(400);
  });

  it('missing parameters -> 400 invalid_request', async () => {
    const server = await start();
    for (const path of ['/oauth/token', '/api/v1/auth/keys', '/api/cli-login/poll', '/oauth/register']) {
      const res = await postJson(`${server.url}${path}`, {});
      expect(res.status, path).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    const empty = await fetch(`${server.url}/oauth/token`, { method: 'POST' });
    expect(empty.status).toBe(400);
  });

  it('unknown paths -> 404 JSON; wrong methods -> 405 JSON', async () => {
    const server = await start();
    for (const path of ['/nope', '/oauth/authorize/', '/%zz', '/.well-known/openid-configuration']) {
      const res = await get(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect((await json(res)).error).toBe('not_found');
    }
    // Under /api/v1 (but the OAuth endpoints) errors come in the OpenAI envelope, 404 and 405 too (spec §2).
    const unknownApi = await get(`${server.url}/api/v1/nope`);
    expect(unknownApi.status).toBe(404);
    expect((await json(unknownApi)).error).toMatchObject({ code: 'not_found', type: 'not_found_error', message: expect.any(String) });
    const wrong = await fetch(`${server.url}/oauth/token`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await json(wrong)).error).toBe('method_not_allowed');
    const put = await fetch(`${server.url}/api/v1/models`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET');
    expect((await json(put)).error).toMatchObject({ code: 'method_not_allowed', type: 'invalid_request_error' });
    const del = await fetch(`${server.url}/nope`, { method: 'DELETE' });
    expect(del.status).toBe(404);
  });

  it('malformed HTTP on the socket -> 400, and the server keeps serving', async () => {
    const server = await start();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await alive(server);
  });

  it('a consent POST with JSON or garbage shows an error page', async () => {
    const server = await start();
    expect((await send(server, '/consent', '{"decision":"approve"}', 'application/json')).status).toBe(400);
    expect((await send(server, '/consent', 'decision=approve&decision=deny', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await send(server, '/consent', new Uint8Array([0xff]), 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it('odd but valid input is handled: extra params ignored, charset parameter accepted', async () => {
    const server = await start();
    const res = await send(server, '/api/cli-login/start', JSON.stringify({ client_name: 'ok', extra: [1, 2] }), 'application/json; charset=UTF-8');
    expect(res.status).toBe(200);
    expect((await control(server, 'counters')).deviceLoginsStarted).toBe(1);
  });
});
