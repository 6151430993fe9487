import { describe, expect, it } from 'vitest';
import { followConsent, MockConsentError } from '../src/index.js';
import { codeFrom, control, get, json, pkce, postForm, postJson, shortcutUrl, start } from './helpers.js';

const CB = 'http://127.0.0.1:5555/cb';
type Server = Awaited<ReturnType<typeof start>>;

async function openConsent(server: Server, extra: Record<string, string> = {}) {
  const pair = pkce();
  const res = await get(shortcutUrl(server, { callback_url: CB, code_challenge: pair.challenge, state: 'st', client_name: 'Demo App', ...extra }));
  const html = await res.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return { res, html, pair, consentId: field('consent_id'), csrf: field('csrf_token') };
}

describe('consent page', () => {
  it('shows app, redirect host, account, balance, scopes, spend warning, cap and the two buttons', async () => {
    const server = await start({ account: { email: 'ada@example.org', balanceUsd: 12.5 } });
    const { res, html } = await openConsent(server);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('Demo App');
    expect(html).toContain('127.0.0.1:5555');
    expect(html).toContain('ada@example.org');
    expect(html).toContain('$12.50');
    expect(html).toContain('<code>models.read</code>');
    expect(html).toContain('<code>api.use</code>');
    expect(html).toMatch(/Spend warning/);
    expect(html).toMatch(/<form method="post" action="\/consent">/);
    expect(html).toMatch(/<input[^>]*name="limit"/);
    expect(html).toMatch(/<select[^>]*name="usage_limit_type"[^>]*>.*value="daily".*value="weekly".*value="monthly"/s);
    expect(html).toContain('<button type="submit" name="decision" value="approve" class="primary">Approve</button>');
    expect(html).toContain('<button type="submit" name="decision" value="deny">Deny</button>');
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it('shows the default test account with $25.00', async () => {
    const server = await start();
    const { html } = await openConsent(server);
    expect(html).toContain('test@example.com');
    expect(html).toContain('$25.00');
  });

  it('sends a CSP without form-action (spec §11) and anti-framing headers', async () => {
    const server = await start();
    const { res } = await openConsent(server);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('form-action');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('escapes everything it echoes', async () => {
    const server = await start();
    const evil = `<script>alert("x")</script>'&`;
    const { html } = await openConsent(server, { client_name: evil });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    const err = await get(`${server.url}/auth?callback_url=${encodeURIComponent('https://<b>x</b>.example/#"')}&code_challenge=${pkce().challenge}`);
    expect(await err.text()).not.toContain('<b>x</b>');
  });

  it('the form POST answers 303 to the redirect URI with code and state', async () => {
    const server = await start();
    const { consentId, csrf, pair } = await openConsent(server);
    const res = await fetch(`${server.url}/consent`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent_id: consentId, csrf_token: csrf, decision: 'approve', limit: '', usage_limit_type: 'monthly' }).toString(),
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location.startsWith(`${CB}?code=`)).toBe(true);
    const token = await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(location), code_verifier: pair.verifier }));
    expect(await control(server, 'keys/inspect', { key: token.key })).toMatchObject({ limit: null, usageLimitType: null });
  });

  it('stores a $0 cap (blocks paid spend) and defaults the period to monthly', async () => {
    const server = await start();
    const { consentId, csrf, pair } = await openConsent(server);
    const res = await fetch(`${server.url}/consent`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent_id: consentId, csrf_token: csrf, decision: 'approve', limit: '0' }).toString(),
    });
    const token = await json(await postJson(`${server.url}/api/v1/auth/keys`, { code: codeFrom(res.headers.get('location') ?? ''), code_verifier: pair.verifier }));
    expect(await control(server, 'keys/inspect', { key: token.key })).toMatchObject({ limit: 0, usageLimitType: 'monthly' });
  });

  it('refuses a wrong CSRF token, an unknown or answered consent, and a missing decision', async () => {
    const server = await start();
    const { consentId, csrf } = await openConsent(server);
    const submit = (body: Record<string, string>) => postForm(`${server.url}/consent`, body);
    const wrong = await submit({ consent_id: consentId, csrf_token: 'x'.repeat(32), decision: 'approve' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('data-error="invalid_request"');
    expect((await submit({ consent_id: consentId, csrf_token: csrf })).status).toBe(400);
    expect((await submit({ consent_id: 'consent_nope', csrf_token: csrf, decision: 'approve' })).status).toBe(400);
    // still pending after those failures
    const ok = await fetch(`${server.url}/consent`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent_id: consentId, csrf_token: csrf, decision: 'deny' }).toString(),
    });
    expect(ok.status).toBe(303);
    const replay = await submit({ consent_id: consentId, csrf_token: csrf, decision: 'approve' });
    expect(replay.status).toBe(400);
  });

  it('re-shows the form with a message for an invalid cap, keeping the consent pending', async () => {
    const server = await start();
    const { consentId, csrf } = await openConsent(server);
    for (const [limit, period] of [['-1', 'monthly'], ['abc', 'monthly'], ['5', 'yearly']]) {
      const res = await postForm(`${server.url}/consent`, { consent_id: consentId, csrf_token: csrf, decision: 'approve', limit: limit ?? '', usage_limit_type: period ?? '' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain('<button type="submit" name="decision" value="approve"');
    }
    expect((await control<{ consents: unknown[] }>(server, 'pending')).consents).toHaveLength(1);
  });

  it('a consent expires: its POST is refused after 10 minutes', async () => {
    const server = await start();
    const { consentId, csrf } = await openConsent(server);
    await control(server, 'clock', { advanceSeconds: 601 });
    expect((await postForm(`${server.url}/consent`, { consent_id: consentId, csrf_token: csrf, decision: 'approve' })).status).toBe(400);
  });
});

describe('followConsent', () => {
  it('throws MockConsentError with the page text for an error page', async () => {
    const server = await start();
    const error = await followConsent(`${server.url}/auth?callback_url=http://example.com/cb&code_challenge=${pkce().challenge}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockConsentError);
    expect(error).toMatchObject({ code: 'error_page', status: 400, error: 'invalid_request' });
    expect((error as Error).message).toContain('loopback');
  });

  it('returns a redirect answered by the GET itself (error sent to the app)', async () => {
    const server = await start();
    const location = await followConsent(shortcutUrl(server, { callback_url: CB, code_challenge: pkce().challenge, scope: 'models.read', state: 'z' }));
    expect(new URL(location).searchParams.get('error')).toBe('invalid_scope');
  });

  it('throws no_consent_form for a page without a form', async () => {
    const server = await start();
    const error = await followConsent(`${server.url}/auth.md`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'no_consent_form' });
  });

  it('uses the fetch it is given', async () => {
    const server = await start();
    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return fetch(input, init);
    };
    await followConsent(shortcutUrl(server, { callback_url: CB, code_challenge: pkce().challenge }), { fetch: spy });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toBe(`POST ${server.url}/consent`);
  });
});
