import { describe, expect, it } from 'vitest';
import { createDownstreamKey } from '../src/index.js';
import { modelsStatus } from './helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();

/*
 * The way existing third-party apps call NanoGPT keeps working: the shortcut exchange is done
 * server-side with JSON and grant_type, and the key is read from `key` or `access_token`.
 */
describe('the shortcut exchange as third-party apps do it', () => {
  it('posts JSON with grant_type and accepts an answer that carries only access_token', async () => {
    const exchanges: { contentType: string | null; body: unknown }[] = [];
    const onlyAccessToken: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const response = await fetch(input, init);
      if (!url.endsWith('/api/v1/auth/keys')) return response;
      exchanges.push({ contentType: new Headers(init?.headers).get('content-type'), body: JSON.parse(String(init?.body)) });
      const { key: _key, ...rest } = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(rest), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const { key: source } = await mock.controls.createKey();
    const { key } = await createDownstreamKey({ sourceKey: source, issuer: mock.url, fetch: onlyAccessToken });
    expect(exchanges).toEqual([{ contentType: 'application/json', body: { grant_type: 'authorization_code', code: expect.any(String), code_verifier: expect.any(String) } }]);
    expect(key).not.toBe(source);
    expect(await modelsStatus(mock.url, key)).toBe(200);
  });
});
