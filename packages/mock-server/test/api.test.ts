import { describe, expect, it } from 'vitest';
import { apiError, chat, control, dashboardKey, get, hello, json, postJson, start } from './helpers.js';

const LEGACY = '3f2a8c1e-7b4d-4e6f-9a0b-1c2d3e4f5a6b';

// /api/v1/models is public (spec §2), so authentication is shown on /api/v1/usage and chat completions.
describe('API authentication (spec §1, §2)', () => {
  it('401 missing_api_key in the OpenAI envelope with the WWW-Authenticate resource_metadata hint', async () => {
    const server = await start();
    const cases: Array<Record<string, string>> = [{}, { authorization: 'Bearer ' }, { authorization: 'Basic dXNlcjpwdw==' }, { 'x-api-key': '  ' }];
    for (const headers of cases) {
      const res = await get(`${server.url}/api/v1/usage`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource"`);
      expect(await json(res)).toEqual({ error: { message: expect.any(String), type: 'authentication_error', code: 'missing_api_key', param: null } });
    }
    const fromChat = await postJson(`${server.url}/api/v1/chat/completions`, hello('gpt-4.1-nano'));
    expect(fromChat.status).toBe(401);
    expect(fromChat.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect((await apiError(fromChat)).code).toBe('missing_api_key');
  });

  it('401 invalid_api_key for unknown, revoked and expired keys', async () => {
    const server = await start();
    const unknown = await get(`${server.url}/api/v1/usage`, { authorization: 'Bearer sk-nano-00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect(await apiError(unknown)).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });

    const revoked = await dashboardKey(server);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${revoked}` })).status).toBe(200);
    await control(server, 'keys/revoke', { key: revoked });
    expect((await apiError(await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${revoked}` }))).code).toBe('invalid_api_key');
    expect((await apiError(await chat(server, revoked, hello('gpt-4.1-nano')))).code).toBe('invalid_api_key');

    const expiring = await dashboardKey(server, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await get(`${server.url}/api/v1/usage`, { 'x-api-key': expiring })).status).toBe(200);
    await control(server, 'clock', { advanceSeconds: 3601 });
    const expired = await get(`${server.url}/api/v1/usage`, { 'x-api-key': expiring });
    expect(expired.status).toBe(401);
    expect((await apiError(expired)).code).toBe('invalid_api_key');
  });

  it('accepts Bearer and X-API-Key, and configured legacy bare-UUID keys', async () => {
    const server = await start({ legacyKeys: [LEGACY] });
    const key = await dashboardKey(server);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `bearer ${key}` })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/usage`, { 'x-api-key': key })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${LEGACY}` })).status).toBe(200);
    expect((await chat(server, LEGACY, hello('gpt-4.1-nano'))).status).toBe(200);
    const other = await start();
    expect((await get(`${other.url}/api/v1/usage`, { authorization: `Bearer ${LEGACY}` })).status).toBe(401);
  });

  it('403 api_key_origin_not_allowed for a foreign Origin; no Origin is not checked', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    await control(server, 'keys/origins', { key, origins: ['http://127.0.0.1:5173'] });
    const auth = { authorization: `Bearer ${key}` };
    expect((await get(`${server.url}/api/v1/usage`, { ...auth, origin: 'http://127.0.0.1:5173' })).status).toBe(200);
    expect((await get(`${server.url}/api/v1/usage`, auth)).status).toBe(200);
    for (const origin of ['http://127.0.0.1:5174', 'https://evil.example', 'null']) {
      const res = await get(`${server.url}/api/v1/usage`, { ...auth, origin });
      expect(res.status).toBe(403);
      expect(await json(res)).toEqual({ error: { message: expect.any(String), type: 'permission_error', code: 'api_key_origin_not_allowed', param: null } });
    }
    expect((await apiError(await chat(server, key, hello('gpt-4.1-nano'), { origin: 'https://evil.example' }))).code).toBe('api_key_origin_not_allowed');
    // an empty list lifts the restriction
    await control(server, 'keys/origins', { key, origins: [] });
    expect((await get(`${server.url}/api/v1/usage`, { ...auth, origin: 'https://evil.example' })).status).toBe(200);
  });

  it('429 rate_limit_exceeded with Retry-After over the per-key rate limit; 0 refuses everything; null lifts it', async () => {
    let now = Date.UTC(2030, 0, 1, 0, 0, 0, 100);
    const server = await start({ rateLimit: { perSecond: 2 }, now: () => now });
    const key = await dashboardKey(server);
    const call = () => get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${key}` });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await apiError(limited)).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    // other keys have their own budget
    expect((await get(`${server.url}/api/v1/usage`, { authorization: `Bearer ${await dashboardKey(server)}` })).status).toBe(200);
    now += 1000;
    expect((await call()).status).toBe(200);
    await control(server, 'rate-limit', { perSecond: 0 });
    expect((await call()).status).toBe(429);
    expect((await chat(server, key, hello('gpt-4.1-nano'))).status).toBe(429);
    await control(server, 'rate-limit', { perSecond: null });
    for (let i = 0; i < 5; i++) expect((await call()).status).toBe(200);
  });

  it('checks the key before the origin and the origin before the rate limit', async () => {
    const server = await start({ rateLimit: { perSecond: 0 } });
    const key = await dashboardKey(server, { restrictions: { origins: ['https://a.example'] } });
    expect((await get(`${server.url}/api/v1/usage`, { 'x-api-key': 'nope' })).status).toBe(401);
    expect((await get(`${server.url}/api/v1/usage`, { 'x-api-key': key, origin: 'https://b.example' })).status).toBe(403);
    expect((await get(`${server.url}/api/v1/usage`, { 'x-api-key': key, origin: 'https://a.example' })).status).toBe(429);
  });

  it('the OAuth endpoints under /api/v1 keep the flat OAuth shape', async () => {
    const server = await start();
    const code = await postJson(`${server.url}/api/v1/auth/keys/code`, {});
    expect(code.status).toBe(401);
    expect(await json(code)).toEqual({ error: 'missing_api_key', error_description: expect.any(String) });
    const exchange = await postJson(`${server.url}/api/v1/auth/keys`, { code: 'x', code_verifier: 'y'.repeat(43) });
    expect(exchange.status).toBe(400);
    expect(await json(exchange)).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  });
});

describe('POST /api/v1/chat/completions', () => {
  it('answers a canned completion mentioning the last user message', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    const res = await chat(server, key, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: [{ type: 'text', text: 'Hello mock' }] }],
    });
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

  it('needs a key and valid messages; bad requests are 400 in the OpenAI envelope naming the field', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    expect((await postJson(`${server.url}/api/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }] })).status).toBe(401);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{}, 'missing_required_parameter', 'model'],
      [{ messages: [{ role: 'user', content: 'x' }] }, 'missing_required_parameter', 'model'],
      [{ model: 7, messages: [{ role: 'user', content: 'x' }] }, 'invalid_parameter_value', 'model'],
      [{ model: '', messages: [{ role: 'user', content: 'x' }] }, 'invalid_parameter_value', 'model'],
      [{ model: 'has spaces', messages: [{ role: 'user', content: 'x' }] }, 'invalid_parameter_value', 'model'],
      [{ model: 'gpt-4.1-nano' }, 'missing_required_parameter', 'messages'],
      [{ model: 'gpt-4.1-nano', messages: [] }, 'invalid_parameter_value', 'messages'],
      [{ model: 'gpt-4.1-nano', messages: 'hi' }, 'invalid_parameter_value', 'messages'],
      [{ model: 'gpt-4.1-nano', messages: [null] }, 'invalid_parameter_value', 'messages'],
      [{ model: 'gpt-4.1-nano', messages: [{ content: 'x' }] }, 'invalid_parameter_value', 'messages'],
      [hello('gpt-4.1-nano', { stream: 'yes' }), 'invalid_parameter_value', 'stream'],
      [hello('gpt-4.1-nano', { stream_options: { include_usage: true } }), 'invalid_parameter_value', 'stream_options'],
      [hello('gpt-4.1-nano', { stream: true, stream_options: true }), 'invalid_parameter_value', 'stream_options'],
      [hello('gpt-4.1-nano', { stream: true, stream_options: { include_usage: 'yes' } }), 'invalid_parameter_value', 'stream_options'],
    ];
    for (const [body, code, param] of cases) {
      const res = await chat(server, key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await apiError(res), JSON.stringify(body)).toEqual({ message: expect.any(String), type: 'invalid_request_error', code, param });
    }
    for (const text of ['{"model":', '[1]']) {
      const res = await fetch(`${server.url}/api/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: text });
      expect(res.status).toBe(400);
      expect(await apiError(res)).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    }
  });

  it('accepts any well-formed model id by default: provider-prefixed, variants, newer than the catalogue', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    for (const model of ['gpt-4.1-nano', 'openai/gpt-5.6-sol', 'moonshotai/kimi-k2.6:thinking:caching', 'zai-org/glm-5:fast', 'some-lab/model-from-next-year']) {
      const res = await chat(server, key, hello(model));
      expect(res.status, model).toBe(200);
      expect((await json(res)).model).toBe(model);
    }
  });

  it('catalogueOnly (option and control) refuses models outside the catalogue with 404 model_not_found', async () => {
    const server = await start({ catalogueOnly: true });
    const key = await dashboardKey(server);
    const unknown = await chat(server, key, hello('some-lab/unknown-model'));
    expect(unknown.status).toBe(404);
    expect(await apiError(unknown)).toEqual({ message: expect.any(String), type: 'not_found_error', code: 'model_not_found', param: 'model' });
    expect((await chat(server, key, hello('gpt-4.1-nano'))).status).toBe(200);
    await server.controls.setCatalogueOnly(false);
    expect((await chat(server, key, hello('some-lab/unknown-model'))).status).toBe(200);
    await server.controls.setCatalogueOnly(true);
    expect((await chat(server, key, hello('some-lab/unknown-model'))).status).toBe(404);
    // reset restores the configured option
    await server.controls.setCatalogueOnly(false);
    await server.controls.reset();
    expect((await chat(server, await dashboardKey(server), hello('some-lab/unknown-model'))).status).toBe(404);

    const open = await start();
    await open.controls.setCatalogueOnly(true);
    expect((await chat(open, await dashboardKey(open), hello('nope'))).status).toBe(404);
  });
});
