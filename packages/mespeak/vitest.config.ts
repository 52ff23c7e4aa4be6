import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mespeak',
    include: ['src/**/*.test.ts'],
    // These tests run the real speech engine (≈ 30–80 ms per sentence on a shared 2-core machine).
    testTimeout: 30_000,
  },
});
