import { startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { control } from './helpers.js';

/**
 * One mock server for the calling test file, started before its tests, reset before each test
 * (so no test sees another's keys or counters) and closed after the last one.
 */
export function useMockServer(): Pick<MockServer, 'url'> {
  let server: MockServer | undefined;
  const url = (): string => {
    if (!server) throw new Error('the mock server is not running (use mock.url inside tests only)');
    return server.url;
  };
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await control(url(), '/__mock/reset');
  });
  return {
    get url() {
      return url();
    },
  };
}
