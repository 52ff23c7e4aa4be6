import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    // The official @elevenlabs/client needs a global WebSocket, which Node 20 has only behind this flag.
    pool: 'forks',
    execArgv: ['--experimental-websocket'],
    testTimeout: 30_000,
  },
});
