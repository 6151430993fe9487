import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'button',
    include: ['test/**/*.test.ts'],
    // The element needs a DOM; the no-DOM test file asks for `node` itself.
    environment: 'happy-dom',
  },
});
