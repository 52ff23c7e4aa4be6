import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'auction-debate',
    include: ['src/**/*.test.ts'],
    // The end-to-end tests synthesize real speech (mespeak) and run local provider servers.
    testTimeout: 120_000,
  },
});
