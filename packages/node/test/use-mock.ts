import { startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * One mock server for the calling test file, started before its tests, reset before each test
 * (so no test sees another's keys or counters) and closed after the last one. `controls` is the
 * mock-server package's typed client of its /__mock/ test controls.
 */
export function useMockServer(): Pick<MockServer, 'url' | 'controls'> {
  let server: MockServer | undefined;
  const running = (): MockServer => {
    if (!server) throw new Error('the mock server is not running (use mock.url and mock.controls inside tests only)');
    return server;
  };
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await running().controls.reset();
  });
  return {
    get url() {
      return running().url;
    },
    get controls() {
      return running().controls;
    },
  };
}
