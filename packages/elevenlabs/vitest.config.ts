import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'elevenlabs',
    include: ['src/**/*.test.ts'],
  },
});
