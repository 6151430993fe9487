import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'button',
    include: ['test/**/*.test.ts'],
  },
});
