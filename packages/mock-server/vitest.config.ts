import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mock-server',
    include: ['test/**/*.test.ts'],
    // Every test speaks real HTTP to a real server; on a loaded 2-core machine a few hundred
    // requests can take longer than vitest's 5 s default. No assertion depends on timing.
    testTimeout: 30_000,
  },
});
