import { describe, expect, it } from 'vitest';
import { noBrowserReason, tryOpenBrowser } from '../src/browser.js';
import { createDeadline, sleepWithin } from '../src/deadline.js';
import { interpretPoll } from '../src/device.js';
import { mintRefusal } from '../src/downstream.js';
import { formatRemaining } from '../src/cli/progress.js';
import { slug } from '../src/cli/key-output.js';
import { keyFromEnvText } from '../src/cli/account.js';
import { setKeyLine } from '../src/cli/env-file.js';
import { normalizeIssuer } from '../src/issuer.js';
import { parseRetryAfter } from '@nanogpt-signin/core';
import { NanoGptNodeError, toNodeError } from '../src/errors.js';
import { NanoGptAuthError, readCallback } from '@nanogpt-signin/core';

describe('device poll answers', () => {
  const key = 'sk-nano-00000000-0000-4000-8000-000000000001';
  it('maps each status', () => {
    expect(interpretPoll(202, { status: 'authorization_pending' }, undefined)).toEqual({ kind: 'pending' });
    expect(interpretPoll(200, { status: 'approved', key }, undefined)).toEqual({ kind: 'approved', result: { key, scope: null } });
    expect(() => interpretPoll(200, { status: 'approved', key: 'sk-nano-x' }, undefined)).toThrow(expect.objectContaining({ code: 'invalid_token_response' }));
    expect(interpretPoll(429, {}, 7)).toEqual({ kind: 'slow_down', retryAfter: 7 });
    expect(() => interpretPoll(410, { status: 'expired' }, undefined)).toThrow(expect.objectContaining({ code: 'device_code_expired' }));
    expect(() => interpretPoll(409, { status: 'consumed' }, undefined)).toThrow(expect.objectContaining({ code: 'device_code_consumed' }));
    expect(() => interpretPoll(404, { error: 'invalid_code' }, undefined)).toThrow(expect.objectContaining({ code: 'device_code_invalid' }));
    expect(() => interpretPoll(403, { status: 'denied', error: 'access_denied' }, undefined)).toThrow(expect.objectContaining({ code: 'access_denied' }));
    expect(() => interpretPoll(200, { status: 'approved' }, undefined)).toThrow(expect.objectContaining({ code: 'invalid_token_response' }));
    expect(interpretPoll(503, null, undefined)).toMatchObject({ kind: 'transient' });
  });

  it('reads the answer by its status code, as existing NanoGPT clients do', () => {
    expect(interpretPoll(200, { key }, undefined)).toEqual({ kind: 'approved', result: { key, scope: null } });
    expect(interpretPoll(202, {}, undefined)).toEqual({ kind: 'pending' });
    expect(interpretPoll(429, { error: 'rate_limited' }, undefined)).toEqual({ kind: 'slow_down', retryAfter: undefined });
    expect(() => interpretPoll(410, {}, undefined)).toThrow(expect.objectContaining({ code: 'device_code_expired' }));
    expect(() => interpretPoll(409, {}, undefined)).toThrow(expect.objectContaining({ code: 'device_code_consumed' }));
    expect(() => interpretPoll(404, {}, undefined)).toThrow(expect.objectContaining({ code: 'device_code_invalid' }));
  });

  it('key_revoked (status code unpublished) and any unknown terminal status fail the login clearly', () => {
    expect(() => interpretPoll(410, { status: 'key_revoked' }, undefined)).toThrow(expect.objectContaining({ code: 'device_key_revoked', message: expect.stringMatching(/revoked before this login fetched it; run the login again/) }));
    expect(() => interpretPoll(400, { status: 'key_revoked' }, undefined)).toThrow(expect.objectContaining({ code: 'device_key_revoked' }));
    expect(() => interpretPoll(400, { status: 'frozen' }, undefined)).toThrow(
      expect.objectContaining({ code: 'device_login_failed', message: 'The device login ended with status "frozen" (HTTP 400); run the login again.' }),
    );
    // A server string that is not a plain word is not printed.
    expect(() => interpretPoll(418, { status: '\u001b[31mred' }, undefined)).toThrow(
      expect.objectContaining({ code: 'device_login_failed', message: 'The device login ended with an unknown answer (HTTP 418); run the login again.' }),
    );
    expect(() => interpretPoll(403, { status: 'blocked' }, undefined)).toThrow(expect.objectContaining({ code: 'device_login_failed' }));
  });
});

describe('dotenv update', () => {
  it('replaces the first NANOGPT_API_KEY line in place, drops duplicates, keeps the rest and the line ending', () => {
    expect(setKeyLine('', 'k')).toBe('NANOGPT_API_KEY=k\n');
    expect(setKeyLine('A=1', 'k')).toBe('A=1\nNANOGPT_API_KEY=k\n');
    expect(setKeyLine('A=1\nNANOGPT_API_KEY=old\nB=2\nNANOGPT_API_KEY=older\n', 'k')).toBe('A=1\nNANOGPT_API_KEY=k\nB=2\n');
    expect(setKeyLine('export NANOGPT_API_KEY = old\r\nB=2\r\n', 'k')).toBe('export NANOGPT_API_KEY=k\r\nB=2\r\n');
    expect(setKeyLine('# NANOGPT_API_KEY=commented\nOTHER_NANOGPT_API_KEY=x\n', 'k')).toBe('# NANOGPT_API_KEY=commented\nOTHER_NANOGPT_API_KEY=x\nNANOGPT_API_KEY=k\n');
  });

  it('reads the key back from dotenv text', () => {
    expect(keyFromEnvText('A=1\nexport NANOGPT_API_KEY="sk-nano-x"\n')).toBe('sk-nano-x');
    expect(keyFromEnvText('A=1\n')).toBeUndefined();
  });
});

describe('downstream refusals', () => {
  it('says what to do', () => {
    expect(mintRefusal(401, { error: 'invalid_api_key' }).code).toBe('source_key_invalid');
    expect(mintRefusal(400, { error: 'invalid_request', error_description: 'Keys created by OAuth cannot mint codes' }).code).toBe('source_key_oauth');
    expect(mintRefusal(400, { error: 'invalid_request', error_description: 'Keys with spend restrictions cannot mint downstream key codes' }).code).toBe('source_key_restricted');
    expect(mintRefusal(400, { error: 'invalid_request', error_description: 'x', reason: 'oauth_source_key' }).code).toBe('source_key_oauth');
    expect(mintRefusal(400, { error: 'invalid_request', error_description: 'oauth', reason: 'restricted_source_key' }).code).toBe('source_key_restricted');
    expect(mintRefusal(500, null).code).toBe('server_error');
    expect(mintRefusal(400, { error: 'invalid_request', error_description: 'callback_url is required' }).code).toBe('invalid_request');
  });
});

describe('callback errors', () => {
  // The loopback server reads callbacks with the core's readCallback and types its errors with toNodeError.
  const callbackError = (url: URL): NanoGptNodeError | null => {
    try {
      readCallback(url, { issuer: 'http://127.0.0.1:4010' });
      return null;
    } catch (error) {
      return toNodeError(error);
    }
  };

  it('maps error parameters and a missing code', () => {
    expect(callbackError(new URL('http://127.0.0.1:1/callback?error=access_denied&state=s'))?.code).toBe('access_denied');
    expect(callbackError(new URL('http://127.0.0.1:1/callback?error=invalid_scope&state=s'))?.code).toBe('invalid_scope');
    expect(callbackError(new URL('http://127.0.0.1:1/callback?error=weird&state=s'))?.code).toBe('server_error');
    expect(callbackError(new URL('http://127.0.0.1:1/callback?state=s'))?.code).toBe('missing_code');
    expect(callbackError(new URL('http://127.0.0.1:1/callback?code=c&state=s'))).toBeNull();
    expect(callbackError(new URL('http://127.0.0.1:1/callback?code=c&state=s&iss=http%3A%2F%2F127.0.0.1%3A4010'))).toBeNull();
    expect(callbackError(new URL('http://127.0.0.1:1/callback?code=c&state=s&iss=https%3A%2F%2Fevil.example'))?.code).toBe('issuer_mismatch');
  });
});

describe('browser', () => {
  it('knows when no browser can open', () => {
    expect(noBrowserReason({ CI: 'true', DISPLAY: ':0' }, 'linux')).toBe('running in CI');
    expect(noBrowserReason({}, 'linux')).toBe('no display');
    expect(noBrowserReason({ SSH_CONNECTION: '1 2 3 4' }, 'linux')).toMatch(/SSH/);
    expect(noBrowserReason({ DISPLAY: ':0' }, 'linux')).toBeNull();
    expect(noBrowserReason({}, 'darwin')).toBeNull();
  });

  it('never throws when opening fails', async () => {
    expect(await tryOpenBrowser('http://x', false)).toMatchObject({ opened: false });
    expect(await tryOpenBrowser('http://x', () => Promise.reject(new Error('nope')))).toEqual({ opened: false, reason: 'could not open a browser: nope' });
    expect(await tryOpenBrowser('http://x', () => undefined)).toEqual({ opened: true });
  });
});

describe('deadline', () => {
  it('rejects sleeps with timeout or aborted', async () => {
    const timed = createDeadline({ timeoutMs: 1, what: 'x' });
    await expect(sleepWithin(10_000, timed)).rejects.toMatchObject({ code: 'timeout' });
    timed.dispose();
    const controller = new AbortController();
    const aborted = createDeadline({ signal: controller.signal, what: 'x' });
    const pending = sleepWithin(10_000, aborted);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    aborted.dispose();
  });
});

describe('small helpers', () => {
  it('formats', () => {
    expect(formatRemaining(299_500)).toBe('5:00');
    expect(formatRemaining(61_000)).toBe('1:01');
    expect(formatRemaining(-5)).toBe('0:00');
    expect(slug('My Agent #1')).toBe('my-agent-1');
    expect(slug(undefined)).toBe('agent');
    expect(slug('***')).toBe('agent');
    expect(normalizeIssuer('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
    expect(() => normalizeIssuer('ftp://x')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(normalizeIssuer('http://localhost:4010')).toBe('http://localhost:4010');
    expect(() => normalizeIssuer('https://nano-gpt.com/api/v1')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(normalizeIssuer('https://NANO-gpt.com:443')).toBe('https://nano-gpt.com');
    expect(normalizeIssuer('http://[::1]:4010')).toBe('http://[::1]:4010');
    // Keys would travel in clear: http only on loopback.
    expect(() => normalizeIssuer('http://nano-gpt.com')).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('https') }));
    expect(() => normalizeIssuer('http://127.0.0.1.example.com:4010')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    const at = (value: string): Response => new Response(null, { status: 429, headers: { 'retry-after': value } });
    expect(parseRetryAfter(at('30'), now)).toBe(30);
    expect(parseRetryAfter(at('Fri, 27 Nov 2026 12:01:00 GMT'), now)).toBe(60);
    expect(parseRetryAfter(at('Fri, 27 Nov 2026 11:00:00 GMT'), now)).toBe(0);
    expect(parseRetryAfter(at('soon'), now)).toBeUndefined();
    expect(parseRetryAfter(at('1.5'), now)).toBeUndefined(); // Date.parse would read 2001: 'retry now'
    expect(parseRetryAfter(new Response(null, { status: 429 }), now)).toBeUndefined();
  });
});

describe('toNodeError', () => {
  it('keeps core codes, marks fetch failures as network errors and the rest as internal', () => {
    const core = toNodeError(new NanoGptAuthError('invalid_grant', undefined, { status: 400 }));
    expect(core).toBeInstanceOf(NanoGptNodeError);
    expect(core).toMatchObject({ code: 'invalid_grant', status: 400 });
    expect(toNodeError(new TypeError('fetch failed')).code).toBe('network_error');
    expect(toNodeError(new Error('callback blew up')).code).toBe('internal_error');
    const own = new NanoGptNodeError('timeout', 'x');
    expect(toNodeError(own)).toBe(own);
  });
});
