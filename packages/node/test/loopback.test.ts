import { followConsent } from '@nanogpt-signin/mock-server';
import { isNanoGptKey } from '@nanogpt-signin/core';
import { describe, expect, it } from 'vitest';
import { signInWithLoopback, type LoopbackSignInOptions, NanoGptNodeError } from '../src/index.js';
import { callbackPort, deferred, firstReport, freePort, isListening, modelsStatus } from './helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();

/** Starts a sign-in and hands back its promise and the URL it reported. */
async function start(options: Partial<LoopbackSignInOptions> = {}): Promise<{ result: Promise<{ key: string; scope: string }>; url: string }> {
  const seen = deferred<string>();
  const result = signInWithLoopback({ issuer: mock.url, openBrowser: false, onUrl: seen.resolve, ...options });
  return { result, url: await firstReport(seen.promise, result) };
}

describe('signInWithLoopback against the mock', () => {
  it('completes the shortcut flow through the consent form and returns a working key', async () => {
    const { result, url } = await start({ clientName: 'loopback test' });
    expect(new URL(url).pathname).toBe('/auth');
    expect(new URL(url).searchParams.get('callback_url')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const location = await followConsent(url);
    const page = await fetch(location);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const { key, scope } = await result;
    expect(isNanoGptKey(key)).toBe(true);
    expect(scope).toBe('models.read api.use');
    expect(html).toContain('Signed in');
    expect(html).not.toContain(key);
    expect(html).not.toContain(new URL(location).searchParams.get('code') ?? '<none>');
    expect(await modelsStatus(mock.url, key)).toBe(200);
    expect((await mock.controls.inspectKey(key)).kind).toBe('oauth');
    // The server is gone once the sign-in is over.
    expect(await isListening(callbackPort(url))).toBe(false);
  });

  it('ignores a tampered state and a wrong path, then accepts the real callback', async () => {
    const { result, url } = await start();
    const location = new URL(await followConsent(url));
    const tampered = new URL(location);
    tampered.searchParams.set('state', 'forged-state');
    expect((await fetch(tampered)).status).toBe(400);
    const noState = new URL(location);
    noState.searchParams.delete('state');
    expect((await fetch(noState)).status).toBe(400);
    const wrongPath = new URL(location);
    wrongPath.pathname = '/elsewhere';
    expect((await fetch(wrongPath)).status).toBe(400);
    // Nothing was exchanged by those requests: the code is still good.
    const counters = await mock.controls.counters();
    expect(counters.codesRedeemed).toBe(0);
    const answer = await fetch(location);
    expect(answer.status).toBe(200);
    await expect(result).resolves.toMatchObject({ scope: 'models.read api.use' });
  });

  it('answers 400 to a callback arriving after completion (while the server still drains)', async () => {
    const port = await freePort();
    const { result, url } = await start({ port });
    expect(callbackPort(url)).toBe(port);
    const location = await followConsent(url);
    // Two callbacks in flight together: exactly one is taken.
    const [first, second] = await Promise.all([fetch(location), fetch(location)]);
    expect([first.status, second.status].sort()).toEqual([200, 400]);
    await result;
    expect((await mock.controls.counters()).codesRedeemed).toBe(1);
  });

  it('ends with access_denied when the user denies', async () => {
    const { result, url } = await start();
    const location = await followConsent(url, { decision: 'deny' });
    expect(new URL(location).searchParams.get('error')).toBe('access_denied');
    const page = await fetch(location);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('cancelled');
    await expect(result).rejects.toMatchObject({ name: 'NanoGptNodeError', code: 'access_denied' });
  });

  it('ends with invalid_scope when the server redirects a scope error', async () => {
    const { result, url } = await start({ scope: 'models.read' });
    const location = await followConsent(url);
    expect(new URL(location).searchParams.get('error')).toBe('invalid_scope');
    expect((await fetch(location)).status).toBe(400);
    await expect(result).rejects.toMatchObject({ code: 'invalid_scope' });
  });

  it('reports an expired code as invalid_grant and shows a failure page', async () => {
    const { result, url } = await start();
    const location = await followConsent(url);
    await mock.controls.advanceClock(3600);
    const page = await fetch(location);
    expect(page.status).toBe(400);
    await expect(result).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('times out, closing the server', async () => {
    const urls: string[] = [];
    const result = signInWithLoopback({ issuer: mock.url, openBrowser: false, onUrl: (u) => urls.push(u), timeoutMs: 300 });
    await expect(result).rejects.toBeInstanceOf(NanoGptNodeError);
    await expect(result).rejects.toMatchObject({ code: 'timeout' });
    // On a very slow machine the timeout can fall before the URL is ready; otherwise the port is closed.
    for (const url of urls) expect(await isListening(callbackPort(url))).toBe(false);
  });

  it('stops on abort, closing the server', async () => {
    const controller = new AbortController();
    const { result, url } = await start({ signal: controller.signal });
    expect(await isListening(callbackPort(url))).toBe(true);
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'aborted' });
    expect(await isListening(callbackPort(url))).toBe(false);
  });

  it('rejects at once with an already aborted signal', async () => {
    await expect(signInWithLoopback({ issuer: mock.url, openBrowser: false, onUrl: () => undefined, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'aborted' });
  });

  it('keeps waiting when the browser cannot be opened, and reports why', async () => {
    const outcome = deferred<{ opened: boolean; reason?: string }>();
    const { result, url } = await start({
      openBrowser: () => Promise.reject(new Error('xdg-open not found')),
      onBrowser: outcome.resolve,
    });
    expect(await outcome.promise).toEqual({ opened: false, reason: 'could not open a browser: xdg-open not found' });
    await fetch(await followConsent(url));
    await expect(result).resolves.toMatchObject({ scope: 'models.read api.use' });
  });

  it('does not report a browser outcome that arrives after the sign-in ended', async () => {
    const launcher = deferred<void>();
    const outcomes: unknown[] = [];
    const controller = new AbortController();
    const { result } = await start({ signal: controller.signal, openBrowser: () => launcher.promise, onBrowser: (o) => outcomes.push(o) });
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'aborted' });
    launcher.resolve();
    await launcher.promise;
    await new Promise((resolve) => setImmediate(resolve)); // let the outcome's callbacks run
    expect(outcomes).toEqual([]);
  });

  it('hands the URL to openBrowser after onUrl', async () => {
    const order: string[] = [];
    const opened = deferred<string>();
    const seen = deferred<string>();
    const result = signInWithLoopback({
      issuer: mock.url,
      onUrl: (u) => {
        order.push('onUrl');
        seen.resolve(u);
      },
      openBrowser: (u) => {
        order.push('open');
        opened.resolve(u);
      },
    });
    const url = await seen.promise;
    expect(await opened.promise).toBe(url);
    expect(order).toEqual(['onUrl', 'open']);
    await fetch(await followConsent(url));
    await result;
  });

  it('completes the standard flow (dynamic registration, /oauth/authorize, /oauth/token)', async () => {
    const { result, url } = await start({ flow: 'standard', clientName: 'standard loopback' });
    expect(new URL(url).pathname).toBe('/oauth/authorize');
    await fetch(await followConsent(url, { limit: 2, usageLimitType: 'weekly' }));
    const { key, scope } = await result;
    expect(scope).toBe('models.read api.use');
    const inspected = await mock.controls.inspectKey(key);
    expect(inspected).toMatchObject({ limit: 2, usageLimitType: 'weekly' });
  });

  it('reports a busy port as port_in_use', async () => {
    const first = await start();
    const busy = callbackPort(first.url);
    await expect(signInWithLoopback({ issuer: mock.url, port: busy, openBrowser: false, onUrl: () => undefined })).rejects.toMatchObject({ code: 'port_in_use' });
    await fetch(await followConsent(first.url));
    await first.result;
  });

  it('rejects an unreachable issuer with network_error and closes the server', async () => {
    const port = await freePort();
    const seen: string[] = [];
    const result = signInWithLoopback({ issuer: `http://127.0.0.1:${port}`, flow: 'standard', openBrowser: false, onUrl: (u) => seen.push(u) });
    await expect(result).rejects.toMatchObject({ code: 'network_error' });
    expect(seen).toEqual([]);
  });
});
