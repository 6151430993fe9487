import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MockServerError, startMockServer, type MockServerOptions } from '../src/index.js';
import { start } from './helpers.js';

async function startError(options: MockServerOptions): Promise<MockServerError> {
  const error: unknown = await startMockServer(options).then(
    async (server) => {
      await server.close();
      throw new Error(`started with ${JSON.stringify(options)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MockServerError);
  return error as MockServerError;
}

describe('startMockServer options', () => {
  it.each<[string, MockServerOptions]>([
    ['negative port', { port: -1 }],
    ['fractional port', { port: 1.5 }],
    ['port above 65535', { port: 65536 }],
    ['zero code TTL', { codeTtlSeconds: 0 }],
    ['infinite code TTL', { codeTtlSeconds: Infinity }],
    ['code TTL over a day', { codeTtlSeconds: 86_401 }],
    ['legacy key that is not a bare UUID', { legacyKeys: ['sk-nano-123e4567-e89b-12d3-a456-426614174000'] }],
    ['negative rate limit', { rateLimit: { perSecond: -1 } }],
    ['negative balance', { account: { balanceUsd: -1 } }],
    ['infinite balance', { account: { balanceUsd: Infinity } }],
    ['legacy key that is no UUID', { legacyKeys: ['not-a-key'] }],
    ['negative stream delay', { streamChunkDelayMs: -1 }],
    ['fractional stream delay', { streamChunkDelayMs: 1.5 }],
    ['stream delay over 10 s', { streamChunkDelayMs: 10_001 }],
  ])('refuses %s with invalid_options', async (_, options) => {
    expect((await startError(options)).code).toBe('invalid_options');
  });

  it('reports a port in use as listen_failed', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const error = await startError({ port: (blocker.address() as AddressInfo).port });
      expect(error.code).toBe('listen_failed');
      expect(error.cause).toBeInstanceOf(Error);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('accepts a one-day code TTL', async () => {
    const server = await start({ codeTtlSeconds: 86_400 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
