import { describe, expect, it } from 'vitest';
import { MockControlError, MockControls } from '../src/index.js';
import { get, pkce, shortcutUrl, start } from './helpers.js';
import { rawRequest } from './raw-http.js';

const CALLBACK = 'http://127.0.0.1:5555/callback';
const EVIL = 'https://evil.example';

/** What a page on another site sends with fetch(url, { mode: 'no-cors', method: 'POST' }): no preflight needed. */
const crossSitePage = { origin: EVIL, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'content-type': 'text/plain' };

async function openConsent(url: string): Promise<void> {
  const res = await get(shortcutUrl({ url } as never, { callback_url: CALLBACK, code_challenge: pkce().challenge, state: 'st' }));
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

describe('the /__mock/ controls refuse what a web page could send', () => {
  it('a page on another site can neither read the pending consents, approve one, nor mint a key', async () => {
    const server = await start();
    await openConsent(server.url);
    const reads = await fetch(`${server.url}/__mock/pending`, { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } });
    expect(reads.status).toBe(403);
    expect(reads.headers.get('access-control-allow-origin')).toBeNull();
    expect(await reads.json()).toMatchObject({ error: 'forbidden' });
    for (const path of ['/__mock/consents/approve', '/__mock/keys']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: crossSitePage });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    // Nothing happened: the consent still waits and the account has no key.
    expect((await server.controls.pending()).consents).toHaveLength(1);
    expect(await server.controls.listKeys()).toEqual([]);
    expect((await server.controls.counters()).codesIssued).toBe(0);
  });

  it('any Origin is refused, the same site (another port of 127.0.0.1) and a sandboxed page (null) too', async () => {
    const server = await start();
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost:5173', 'null', server.url]) {
      const res = await fetch(`${server.url}/__mock/counters`, { headers: { origin } });
      expect(res.status, origin).toBe(403);
    }
  });

  it('a link or an image from another site (Sec-Fetch-Site, no Origin) is refused', async () => {
    const server = await start();
    for (const site of ['cross-site', 'same-site']) {
      const res = await fetch(`${server.url}/__mock/reset`, { method: 'POST', headers: { 'sec-fetch-site': site } });
      expect(res.status, site).toBe(403);
    }
    // Typed into the address bar (`none`) the page is the user's own.
    expect((await fetch(`${server.url}/__mock/pending`, { headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
  });

  it('a DNS-rebound host name reaching 127.0.0.1 is refused; the server address and its loopback aliases are not', async () => {
    const server = await start();
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1:${server.port + 1}`, `127.0.0.1`]) {
      const res = await rawRequest(server.url, '/__mock/pending', { headers: { host } });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body), host).toMatchObject({ error: 'forbidden' });
    }
    const mint = await rawRequest(server.url, '/__mock/keys', { method: 'POST', headers: { host: `evil.example:${server.port}`, 'content-type': 'application/json' }, body: '{}' });
    expect(mint.status).toBe(403);
    expect(await server.controls.listKeys()).toEqual([]);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      expect((await rawRequest(server.url, '/__mock/pending', { headers: { host } })).status, host).toBe(200);
    }
    // The sign-in endpoints themselves are the public surface: no Host rule there.
    expect((await rawRequest(server.url, '/.well-known/oauth-authorization-server', { headers: { host: 'evil.example' } })).status).toBe(200);
  });

  it('sends no CORS headers on the controls, preflights included', async () => {
    const server = await start();
    const preflight = await fetch(`${server.url}/__mock/keys`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    const plain = await fetch(`${server.url}/__mock/counters`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('MockControls (Node: no Origin, the server address as Host) keeps working; a refusal is code forbidden', async () => {
    const server = await start();
    await openConsent(server.url);
    const decision = await server.controls.approveConsent();
    expect(new URL(decision.location).searchParams.get('code')).toBeTruthy();
    const { key } = await server.controls.createKey();
    expect((await server.controls.inspectKey(key)).maskedKey).toBe(`sk-nano-…${key.slice(-4)}`);
    // A client that lets a page's Origin through gets a typed refusal.
    const withOrigin = new MockControls(server.url, { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, origin: EVIL } }) });
    const error: unknown = await withOrigin.counters().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MockControlError);
    expect(error).toMatchObject({ code: 'forbidden', status: 403, error: 'forbidden' });
  });
});
