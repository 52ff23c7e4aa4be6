/**
 * The JavaScript cost of a conversation without the network: `SESSIONS` connections over in-memory
 * sockets on a virtual clock, each fed the load benchmark's audio (100 ms chunks, 1.2 s of speech
 * every 5 s) and answered by the offline models, for `SECONDS` of virtual time. Reports the CPU time
 * per session-second of the server's own code (parsing, framing, the session pipeline, wire
 * messages) — the part of the load figure that is not the transport. Runs stay comparable on a
 * busy machine because the work is fixed (no timers, no sockets) and only CPU time is counted.
 *
 * Usage: `npx tsx bench/pipeline-cost.ts [sessions] [seconds] [srcFolder…]` — several source
 * folders are measured interleaved (A/B/A/B…, `PIPELINE_ROUNDS` rounds, default 3), each against the same core build.
 */
import { createVirtualClock } from '@argentum/core';
import { benchConnectionSettings, loadServerModules, SinkSocket, userAudioChunk } from './bench-support';

const SESSIONS = Number(process.argv[2] ?? 100);
const SECONDS = Number(process.argv[3] ?? 20);
const SOURCES = process.argv.slice(4);
if (SOURCES.length === 0) SOURCES.push(new URL('../src', import.meta.url).pathname);
const ROUNDS = Number(process.env.PIPELINE_ROUNDS ?? 3);
const SAMPLES = 1600;

const SPEECH = Array.from({ length: 12 }, (_, index) => Buffer.from(userAudioChunk(true, index, SAMPLES)));
const SILENCE = Buffer.from(userAudioChunk(false, 0, SAMPLES));

async function measure(source: string): Promise<{ cpuMsPerSessionSecond: number; messages: number }> {
  const { openConversation, benchAgent } = await loadServerModules(source);
  const clock = createVirtualClock();
  const agent = benchAgent();
  const sockets: SinkSocket[] = [];
  const settings = benchConnectionSettings(clock.scheduler);
  const connections: ReturnType<typeof openConversation>[] = [];
  for (let index = 0; index < SESSIONS; index++) {
    const socket = new SinkSocket();
    sockets.push(socket);
    connections.push(openConversation(socket, index, agent, settings));
  }
  const started = process.cpuUsage();
  // 10 ms steps; each client sends on its own 10 ms slot of the 100 ms cycle.
  for (let step = 0; step < SECONDS * 100; step++) {
    for (let index = step % 10; index < SESSIONS; index += 10) {
      const phase = (Math.floor(step / 10) + index) % 50;
      sockets[index]!.emit('message', phase < 12 ? SPEECH[phase]! : SILENCE, false);
    }
    clock.advanceBy(10);
    await new Promise((resolve) => setImmediate(resolve)); // the echo agent's promises
  }
  const used = process.cpuUsage(started);
  for (const connection of connections) connection.close(1000, 'done');
  return {
    cpuMsPerSessionSecond: (used.user + used.system) / 1000 / (SESSIONS * SECONDS),
    messages: sockets.reduce((sum, socket) => sum + socket.messages, 0),
  };
}

const results = new Map<string, number[]>(SOURCES.map((source) => [source, []]));
await measure(SOURCES[0]!); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const source of SOURCES) {
    const result = await measure(source);
    results.get(source)!.push(result.cpuMsPerSessionSecond);
    console.log(
      `${source}: ${result.cpuMsPerSessionSecond.toFixed(3)} ms CPU per session-second (${result.messages} messages sent)`,
    );
  }
}
for (const [source, costs] of results) {
  const sorted = [...costs].sort((a, b) => a - b);
  console.log(`median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} ms per session-second: ${source}`);
}
