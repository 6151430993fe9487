import { describe, expect, it } from 'vitest';
import { apiError, chat, hello, json, start } from './helpers.js';

interface Chunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** The `data:` payloads of a server-sent event stream, in order. */
async function events(res: Response): Promise<string[]> {
  const text = await res.text();
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice('data: '.length);
    });
}

const chunks = (payloads: string[]): Chunk[] => payloads.slice(0, -1).map((payload) => JSON.parse(payload) as Chunk);

describe('streaming chat completions (spec §2: stream: true)', () => {
  it('answers OpenAI chat.completion.chunk events ending in data: [DONE], with the same text as the plain answer', async () => {
    const server = await start({ streamChunkDelayMs: 0 });
    const { key } = await server.controls.createKey();
    const plain = await json(await chat(server, key, hello('gpt-4.1-nano')));
    const res = await chat(server, key, hello('gpt-4.1-nano', { stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const payloads = await events(res);
    expect(payloads.at(-1)).toBe('[DONE]');
    const list = chunks(payloads);
    expect(list.length).toBeGreaterThan(4);
    for (const chunk of list) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4.1-nano', id: list[0]?.id });
      expect(chunk).not.toHaveProperty('usage');
      expect(chunk.id).toMatch(/^chatcmpl-/);
    }
    expect(list[0]?.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    expect(list.at(-1)?.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    const text = list.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    const message = (plain.choices as Array<{ message: { content: string } }>)[0]?.message.content;
    expect(text).toBe(message);
    expect(text).toContain('Hello mock');
    // one word a chunk
    expect(list.slice(1, -1).length).toBe(text.trim().split(/\s+/).length);
  });

  it('stream_options.include_usage: usage null on every chunk and a last chunk with no choices carrying the usage', async () => {
    const server = await start({ streamChunkDelayMs: 0 });
    const { key } = await server.controls.createKey();
    const plain = await json(await chat(server, key, hello('gpt-4.1-nano')));
    const list = chunks(await events(await chat(server, key, hello('gpt-4.1-nano', { stream: true, stream_options: { include_usage: true } }))));
    const last = list.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(plain.usage);
    for (const chunk of list.slice(0, -1)) expect(chunk.usage).toBeNull();
    const withoutUsage = chunks(await events(await chat(server, key, hello('gpt-4.1-nano', { stream: true, stream_options: { include_usage: false } }))));
    expect(withoutUsage.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('is costed like the plain call: the same usage, cost and balance', async () => {
    const server = await start({ streamChunkDelayMs: 0 });
    const { key } = await server.controls.createKey();
    await chat(server, key, hello('anthropic/claude-opus-4.6'));
    const afterPlain = await server.controls.keyUsage(key);
    const balanceAfterPlain = await server.controls.balance();
    await events(await chat(server, key, hello('anthropic/claude-opus-4.6', { stream: true })));
    const afterStream = await server.controls.keyUsage(key);
    expect(afterStream.totals.requests).toBe(2);
    expect(afterStream.totals.costUsd).toBeCloseTo(afterPlain.totals.costUsd * 2, 12);
    expect(afterStream.totals.inputTokens).toBe(afterPlain.totals.inputTokens * 2);
    expect(25 - (await server.controls.balance())).toBeCloseTo((25 - balanceAfterPlain) * 2, 9);
  });

  it('refusals come before the stream, as normal JSON errors', async () => {
    const server = await start({ streamChunkDelayMs: 0 });
    const { key } = await server.controls.createKey({ restrictions: { limit: 0 } });
    const capped = await chat(server, key, hello('gpt-4.1-nano', { stream: true }));
    expect(capped.status).toBe(429);
    expect(capped.headers.get('content-type')).toContain('application/json');
    expect((await apiError(capped)).code).toBe('monthly_usd_limit_exceeded');
    const unauthenticated = await chat(server, 'sk-nano-00000000-0000-4000-8000-000000000000', hello('gpt-4.1-nano', { stream: true }));
    expect(unauthenticated.status).toBe(401);
  });

  it('chunks arrive over time: the first is readable while the rest wait out the delay, and a client that leaves ends the stream', async () => {
    const server = await start({ streamChunkDelayMs: 10_000 });
    const { key } = await server.controls.createKey();
    const res = await chat(server, key, hello('gpt-4.1-nano', { stream: true }));
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^data: \{.*"role":"assistant".*\}\n\n$/);
    expect(first).not.toContain('[DONE]');
    await reader.cancel();
    // the server is still answering others
    expect((await chat(server, key, hello('nano-mock-echo'))).status).toBe(200);
  });
});
