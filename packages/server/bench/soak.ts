/**
 * Virtual soak: `SESSIONS` conversations (protocol connection + `VoiceAgentSession`, offline models)
 * driven on one virtual clock with the benches' agent and limits (`bench-support.ts`) — each client
 * speaks 1.2 s every 5 s (100 ms chunks) and hears the paced reply. A warm-up of `WARMUP` virtual
 * minutes fills every bounded structure to its cap (each conversation's history reaches
 * `maxContextTurns`, 100 turns, after ≈ 4.2 minutes at 24 turns a minute); then `MINUTES` of soak are measured: the heap after a forced GC at the end of the
 * warm-up against the heap at every following minute. The growth while histories fill is printed
 * too (it is bounded by design, not a leak). Run:
 * `node --expose-gc --import tsx bench/soak.ts [sessions] [minutes] [warmupMinutes]`.
 */
import { createVirtualClock } from '@argentum/core';
import { benchConnectionSettings, loadServerModules, SinkSocket, userAudioChunk } from './bench-support';

const SESSIONS = Number(process.argv[2] ?? 1000);
const MINUTES = Number(process.argv[3] ?? 10);
const WARMUP = Number(process.argv[4] ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const clock = createVirtualClock();
const { openConversation, benchAgent } = await loadServerModules();
const agent = benchAgent();
const settings = benchConnectionSettings(clock.scheduler);

const SPEECH = Array.from({ length: 12 }, (_, index) => Buffer.from(userAudioChunk(true, index, 1600)));
const SILENCE = Buffer.from(userAudioChunk(false, 0, 1600));

const sockets: SinkSocket[] = [];
for (let index = 0; index < SESSIONS; index++) {
  const socket = new SinkSocket();
  sockets.push(socket);
  openConversation(socket, index, agent, settings);
}

const started = performance.now();
let tick = 0;
gc();
const heapAtStart = process.memoryUsage().heapUsed;
/** Heap after GC at the end of each virtual minute, warm-up included. */
const heapByMinute: number[] = [];
const totalTicks = (WARMUP + MINUTES) * 600; // 100 ms ticks
for (; tick < totalTicks; tick++) {
  for (let index = 0; index < SESSIONS; index++) {
    const phase = (tick + index) % 50;
    sockets[index]!.emit('message', phase < 12 ? SPEECH[phase]! : SILENCE, false);
  }
  // Let promise-based context updates run, then advance the clock by one chunk.
  await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  clock.advanceBy(100);
  if (tick % 600 === 599) {
    gc();
    heapByMinute.push(process.memoryUsage().heapUsed);
  }
}
const sent = sockets.reduce((sum, socket) => sum + socket.sentBytes, 0);
const open = sockets.filter((socket) => socket.readyState === 1).length;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const growth = (from: number, to: number) => (((to - from) / from) * 100).toFixed(2);
console.log(
  `${SESSIONS} sessions × ${WARMUP} + ${MINUTES} virtual minutes in ${((performance.now() - started) / 1000).toFixed(1)} s wall; ${open} still open; ${mb(sent)} MB sent`,
);
console.log(
  `heap after GC: ${mb(heapAtStart)} MB connected, then minute by minute (MB): ${heapByMinute.map(mb).join(' ')}`,
);
const warm = heapByMinute[WARMUP - 1] ?? heapAtStart;
const soak = heapByMinute.slice(WARMUP);
const peak = Math.max(...soak);
console.log(
  `warm-up (histories filling to their cap): minute 1 → ${WARMUP}: ${growth(heapByMinute[0]!, warm)}%`,
);
console.log(
  `soak, ${MINUTES} virtual minutes from the warm state: end ${growth(warm, soak.at(-1)!)}%, peak ${growth(warm, peak)}% (goal < 5%)`,
);
