import { describe, expect, it } from 'vitest';
import { control, dashboardKey, get, json, postJson, start } from './helpers.js';

const LEGACY = '3f2a8c1e-7b4d-4e6f-9a0b-1c2d3e4f5a6b';

describe('API authentication (spec §1)', () => {
  it('401 missing_api_key with the WWW-Authenticate resource_metadata hint', async () => {
    const server = await start();
    const cases: Array<Record<string, string>> = [{}, { authorization: 'Bearer ' }, { authorization: 'Basic dXNlcjpwdw==' }, { 'x-api-key': '  ' }];
    for (const headers of cases) {
      const res = await get(`${server.url}/api/v1/models`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource"`);
      expect(await json(res)).toEqual({ error: 'missing_api_key', error_description: expect.any(String) });
    }
  });

  it('401 invalid_api_key for unknown, revoked and expired keys', async () => {
    const server = await start();
    const unknown = await get(`${server.url}/api/v1/models`, { authorization: 'Bearer sk-nano-00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect((await json(unknown)).error).toBe('invalid_api_key');

    const revoked = await dashboardKey(server);
    expect((await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${revoked}` })).status).toBe(200);
    await control(server, 'keys/revoke', { key: revoked });
    expect((await json(await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${revoked}` }))).error).toBe('invalid_api_key');

    const expiring = await dashboardKey(server, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await get(`${server.url}/api/v1/models`, { 'x-api-key': expiring })).status).toBe(200);
    await control(server, 'clock', { advanceSeconds: 3601 });
    const expired = await get(`${server.url}/api/v1/models`, { 'x-api-key': expiring });
    expect(expired.status).toBe(401);
    expect((await json(expired)).error).toBe('invalid_api_key');
  });

  it('accepts Bearer and X-API-Key, and configured legacy bare-UUID keys', async () => {
    const server = await start({ legacyKeys: [LEGACY] });
    const key = await dashboardKey(server);
    expect((await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/models`, { authorization: `bearer ${key}` })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/models`, { 'x-api-key': key })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${LEGACY}` })).status).toBe(200);
    const other = await start();
    expect((await get(`${other.url}/api/v1/models`, { authorization: `Bearer ${LEGACY}` })).status).toBe(401);
  });

  it('403 api_key_origin_not_allowed for a foreign Origin; no Origin is not checked', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    await control(server, 'keys/origins', { key, origins: ['http://127.0.0.1:5173'] });
    const auth = { authorization: `Bearer ${key}` };
    expect((await get(`${server.url}/api/v1/models`, { ...auth, origin: 'http://127.0.0.1:5173' })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/models`, auth)).status).toBe(200);
    for (const origin of ['http://127.0.0.1:5174', 'https://evil.example', 'null']) {
      const res = await get(`${server.url}/api/v1/models`, { ...auth, origin });
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual({ error: 'api_key_origin_not_allowed', error_description: expect.any(String) });
    }
    // an empty list lifts the restriction
    await control(server, 'keys/origins', { key, origins: [] });
    expect((await get(`${server.url}/api/v1/models`, { ...auth, origin: 'https://evil.example' })).status).toBe(200);
  });

  it('429 with Retry-After over the per-key rate limit; 0 refuses everything; null lifts it', async () => {
    let now = Date.UTC(2030, 0, 1, 0, 0, 0, 100);
    const server = await start({ rateLimit: { perSecond: 2 }, now: () => now });
    const key = await dashboardKey(server);
    const call = () => get(`${server.url}/api/v1/models`, { authorization: `Bearer ${key}` });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await json(limited)).error).toBe('rate_limit_exceeded');
    // other keys have their own budget
    expect((await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${await dashboardKey(server)}` })).status).toBe(200);
    now += 1000;
    expect((await call()).status).toBe(200);
    await control(server, 'rate-limit', { perSecond: 0 });
    expect((await call()).status).toBe(429);
    await control(server, 'rate-limit', { perSecond: null });
    for (let i = 0; i < 5; i++) expect((await call()).status).toBe(200);
  });

  it('429 once a key reaches its daily request cap (restrictions.requestLimit), until the next UTC day', async () => {
    const server = await start({ now: () => Date.UTC(2030, 0, 1, 12) });
    const key = await dashboardKey(server, { restrictions: { requestLimit: 2 } });
    const call = () => get(`${server.url}/api/v1/models`, { 'x-api-key': key });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const capped = await call();
    expect(capped.status).toBe(429);
    expect(capped.headers.get('retry-after')).toBe(String(12 * 3600));
    await control(server, 'clock', { advanceSeconds: 12 * 3600 });
    expect((await call()).status).toBe(200);
  });

  it('checks the key before the origin and the origin before the rate limit', async () => {
    const server = await start({ rateLimit: { perSecond: 0 } });
    const key = await dashboardKey(server, { restrictions: { origins: ['https://a.example'] } });
    expect((await get(`${server.url}/api/v1/models`, { 'x-api-key': 'nope' })).status).toBe(401);
    expect((await get(`${server.url}/api/v1/models`, { 'x-api-key': key, origin: 'https://b.example' })).status).toBe(403);
    expect((await get(`${server.url}/api/v1/models`, { 'x-api-key': key, origin: 'https://a.example' })).status).toBe(429);
  });
});

describe('GET /api/v1/models', () => {
  it('lists models in the OpenAI list shape', async () => {
    const server = await start();
    const res = await get(`${server.url}/api/v1/models`, { authorization: `Bearer ${await dashboardKey(server)}` });
    const body = await json(res);
    expect(body.object).toBe('list');
    const data = body.data as Array<Record<string, unknown>>;
    expect(data.length).toBeGreaterThan(1);
    for (const m of data) {
      expect(m.object).toBe('model');
      expect(typeof m.id).toBe('string');
      expect(typeof m.owned_by).toBe('string');
    }
  });
});

describe('POST /api/v1/chat/completions', () => {
  it('answers a canned completion mentioning the last user message', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    const res = await postJson(
      `${server.url}/api/v1/chat/completions`,
      { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: [{ type: 'text', text: 'Hello mock' }] }] },
      { authorization: `Bearer ${key}` },
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('gpt-4o-mini');
    const choice = (body.choices as Array<{ message: { role: string; content: string }; finish_reason: string }>)[0];
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content).toContain('Hello mock');
    expect(choice?.finish_reason).toBe('stop');
    expect((body.usage as { total_tokens: number }).total_tokens).toBeGreaterThan(0);
  });

  it('needs a key and valid messages', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    expect((await postJson(`${server.url}/api/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }] })).status).toBe(401);
    for (const body of [{}, { messages: [] }, { messages: 'hi' }, { messages: [null] }, { messages: [{ content: 'x' }] }, { model: 7, messages: [{ role: 'user', content: 'x' }] }]) {
      const res = await postJson(`${server.url}/api/v1/chat/completions`, body, { authorization: `Bearer ${key}` });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error).toBe('invalid_request');
    }
    const unknown = await postJson(`${server.url}/api/v1/chat/completions`, { model: 'nope', messages: [{ role: 'user', content: 'x' }] }, { authorization: `Bearer ${key}` });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error).toBe('model_not_found');
  });
});
