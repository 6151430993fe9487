import { describe, expect, it } from 'vitest';
import { dashboardKey, get, start } from './helpers.js';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POSTS = ['/oauth/register', '/oauth/token', '/consent', '/api/v1/auth/keys', '/api/v1/auth/keys/code', '/api/cli-login/start', '/api/cli-login/poll', '/api/v1/chat/completions', '/__mock/keys', '/__mock/keys/inspect', '/__mock/consents/approve', '/__mock/clock', '/__mock/rate-limit', '/__mock/device/approve', '/__mock/balance', '/__mock/keys/usage', '/__mock/models/catalogue-only'];
const GETS = ['/auth', '/oauth/authorize', '/cli-login/verify', '/cli-login/done', '/api/v1/models', '/api/v1/usage', '/__mock/pending'];
const TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', ''];
const FRAGMENTS = ['{', '}', '[', ']', '"', ':', ',', 'null', '1e999', '1e300', '-0', '"code"', '"redirect_uris"', '=', '&', '%', '%ZZ', '%C3%28', '%00', '+', 'code', 'client_id', 'redirect_uri', 'http://127.0.0.1:1/cb', 'https://x/#', '\u0000', '\ud800', 'é', '__proto__', 'constructor', '"__proto__"', '{"__proto__":{"x":1}}', 'limit', '-1', 'NaN', 'true', 'from', 'to', 'group_by', '2030-01-01', '9999-12-31', 'model', 'messages', 'stream'];

/** Percent-encode every byte except the ones that shape a query (so bad escapes get through). */
function rawQuery(query: string): string {
  return [...Buffer.from(query, 'utf8')]
    .map((b) => (/[A-Za-z0-9%&=+._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`))
    .join('');
}

describe('fuzzed input never yields a 5xx', () => {
  it('random bodies, content types and query strings', async () => {
    const server = await start({ deviceRateLimit: { startPerMinute: null, pollPerMinute: null } });
    const key = await dashboardKey(server);
    const rand = prng(Number(process.env.FUZZ_SEED ?? 20261127));
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const junk = () => Array.from({ length: Math.floor(rand() * 12) }, () => pick(FRAGMENTS)).join('');
    const bytes = () => Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
    for (let i = 0; i < 300; i++) {
      const path = pick(POSTS);
      const type = pick(TYPES);
      const body = rand() < 0.3 ? bytes() : junk();
      const headers: Record<string, string> = type === '' ? {} : { 'content-type': type };
      if (rand() < 0.5) headers.authorization = `Bearer ${key}`;
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
      expect(res.status, `${path} ${type} ${String(body)}`).toBeLessThan(500);
      await res.arrayBuffer();
    }
    for (let i = 0; i < 200; i++) {
      const path = pick(GETS);
      const query = Array.from({ length: Math.floor(rand() * 6) }, () => `${pick(FRAGMENTS)}=${junk()}`).join('&');
      const res = await get(`${server.url}${path}?${rawQuery(query)}`, { authorization: `Bearer ${key}` });
      expect(res.status, `${path}?${query}`).toBeLessThan(500);
      await res.arrayBuffer();
    }
    expect((await get(`${server.url}/.well-known/oauth-authorization-server`)).status).toBe(200);
  }, 60_000);
});
