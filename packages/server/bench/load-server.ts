/**
 * The server side of the load benchmark, run as its own process (one core): a voice-agent server
 * with offline models, reporting event-loop delay (the lateness of every paced audio tick and
 * timer) per measurement window on stdout as JSON lines.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createEchoAgent } from '@argentum/core';
import { defineAgent } from '../src/server/server-agent';
import { createVoiceAgentServer } from '../src/server/voice-agent-server';
import { createScriptedStt } from '../src/testing/scripted-stt';
import { createToneTts } from '../src/testing/tone-tts';

const server = createVoiceAgentServer({
  agents: {
    echo: defineAgent({
      agents: createEchoAgent(),
      stt: createScriptedStt({ transcripts: (index) => `turn ${index} of the load test`, latencyMs: 100 }),
      tts: createToneTts({ msPerWord: 200, firstByteMs: 100 }),
    }),
  },
  maxConnections: 20_000,
  rateLimit: { messagesPerSecond: 200, burst: 400 },
  pingIntervalMs: 2000,
});
const { port } = await server.listen(0, '127.0.0.1');
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
process.stdout.write(`${JSON.stringify({ type: 'ready', port })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  for (const line of chunk.split('\n').filter((entry) => entry.length > 0)) {
    if (line === 'reset') {
      histogram.reset();
    } else if (line === 'report') {
      process.stdout.write(
        `${JSON.stringify({
          type: 'report',
          conversations: server.connectionCount,
          p50Ms: histogram.percentile(50) / 1e6,
          p99Ms: histogram.percentile(99) / 1e6,
          maxMs: histogram.max / 1e6,
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        })}\n`,
      );
    } else if (line === 'stop') {
      void server.close({ drainTimeoutMs: 100 }).then(() => process.exit(0));
    }
  }
});
