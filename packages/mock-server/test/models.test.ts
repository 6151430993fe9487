import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/index.js';
import { chat, control, dashboardKey, get, hello, json, start } from './helpers.js';

type Listed = Array<Record<string, unknown>>;
const list = async (res: Response): Promise<Listed> => (await json(res)).data as Listed;
const ids = (data: Listed): unknown[] => data.map((model) => model.id);

describe('GET /api/v1/models (spec §2: public)', () => {
  it('answers 200 with no key, an unknown, a revoked, an expired or a wrongly-originated key', async () => {
    const server = await start();
    const revoked = await dashboardKey(server);
    await control(server, 'keys/revoke', { key: revoked });
    const expired = await dashboardKey(server, { expiresAt: '2000-01-01T00:00:00Z' });
    const elsewhere = await dashboardKey(server, { restrictions: { origins: ['https://a.example'] } });
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer sk-nano-00000000-0000-4000-8000-000000000000' },
      { authorization: 'Bearer not-a-key' },
      { authorization: `Bearer ${revoked}` },
      { 'x-api-key': expired },
      { authorization: `Bearer ${elsewhere}`, origin: 'https://b.example' },
    ];
    for (const headers of cases) {
      const res = await get(`${server.url}/api/v1/models`, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(ids(await list(res))).toEqual(CATALOGUE.map((model) => model.id));
    }
  });

  it('lists models in the OpenAI list shape: id, object, created, owned_by only', async () => {
    const server = await start();
    const body = await json(await get(`${server.url}/api/v1/models`));
    expect(body.object).toBe('list');
    const data = body.data as Listed;
    expect(data.length).toBeGreaterThan(5);
    for (const model of data) {
      expect(Object.keys(model).sort()).toEqual(['created', 'id', 'object', 'owned_by']);
      expect(model.object).toBe('model');
      expect(typeof model.id).toBe('string');
      expect(typeof model.owned_by).toBe('string');
      expect(Number.isInteger(model.created)).toBe(true);
    }
  });

  it('a realistic catalogue: the docs example gpt-4.1-nano, provider-prefixed ids, free and priced models', async () => {
    const server = await start();
    const data = await list(await get(`${server.url}/api/v1/models?detailed=true`));
    expect(ids(data)).toContain('gpt-4.1-nano');
    expect(data.some((model) => String(model.id).includes('/'))).toBe(true);
    const prompt = (model: Record<string, unknown>) => (model.pricing as { prompt: number }).prompt;
    expect(data.some((model) => prompt(model) === 0)).toBe(true);
    expect(data.some((model) => prompt(model) > 0)).toBe(true);
  });

  it('detailed=true adds name, description, context_length and pricing per million tokens in USD', async () => {
    const server = await start();
    const data = await list(await get(`${server.url}/api/v1/models?detailed=true`));
    const nano = data.find((model) => model.id === 'gpt-4.1-nano');
    expect(nano).toMatchObject({
      id: 'gpt-4.1-nano',
      object: 'model',
      owned_by: 'openai',
      name: 'GPT-4.1 nano',
      description: expect.any(String),
      context_length: expect.any(Number),
      pricing: { prompt: 0.1, completion: 0.4, currency: 'USD', unit: 'per_million_tokens' },
    });
    for (const model of data) expect(model).toHaveProperty('pricing.unit', 'per_million_tokens');
    expect(Object.keys((await list(await get(`${server.url}/api/v1/models?detailed=false`)))[0] ?? {})).not.toContain('pricing');
  });

  it('sort=mostused and sort=favorites (with a valid key) put the most used models first; invalid sort values are ignored', async () => {
    const server = await start();
    const key = await dashboardKey(server);
    const catalogue = CATALOGUE.map((model) => model.id);
    const last = catalogue.at(-1) ?? '';
    const secondLast = catalogue.at(-2) ?? '';
    for (let i = 0; i < 2; i++) expect((await chat(server, key, hello(last))).status).toBe(200);
    expect((await chat(server, key, hello(secondLast))).status).toBe(200);
    const rest = catalogue.filter((id) => id !== last && id !== secondLast);
    expect(ids(await list(await get(`${server.url}/api/v1/models?sort=mostused`)))).toEqual([last, secondLast, ...rest]);
    expect(ids(await list(await get(`${server.url}/api/v1/models?sort=favorites&detailed=true`, { authorization: `Bearer ${key}` })))).toEqual([last, secondLast, ...rest]);
    // favorites needs a valid key; without one it falls back to the normal order
    expect(ids(await list(await get(`${server.url}/api/v1/models?sort=favorites`)))).toEqual(catalogue);
    for (const sort of ['nonsense', '', 'MOSTUSED']) {
      const res = await get(`${server.url}/api/v1/models?sort=${sort}`);
      expect(res.status).toBe(200);
      expect(ids(await list(res))).toEqual(catalogue);
    }
  });
});
