/**
 * The server side of the load benchmark, run as its own process: a voice-agent server with offline
 * models (scripted STT, echo agent, tone TTS). Per measurement window it reports on stdout, as JSON
 * lines:
 *
 * - `timerLate*`: the real lateness of the server's timed work — every action scheduled on the
 *   server's scheduler (the sessions' paced audio ticks, the simulated providers' delays, pings),
 *   measured as fired time − due time;
 * - `cpuMsPerSessionSecond`: the process's CPU time (user + system) per conversation per second;
 * - `busy`: the event loop's utilisation (the fraction of wall time it was running callbacks);
 * - `eld*`: the event-loop delay histogram (1 ms resolution: its floor is the sampling interval,
 *   about 1.1 ms at p50 on an idle process, so it overstates lateness).
 *
 * - `gc*`: garbage-collection pauses (share of wall time, p99 and longest pause) — on a quiet
 *   machine the tail of the timer lateness is mostly these pauses and the work queued behind them.
 *
 * `LOAD_SERVER_SOURCE=<folder>` loads the server from another copy of `src/` (for A/B runs);
 * `LOAD_SERVER=floor` runs the transport-only baseline instead (`transport-floor-server.ts`).
 * Diagnostics: `LOAD_GC_LOG=1` prints each pause over 3 ms and each timer more than 5 ms late
 * (to stderr, to line them up); `LOAD_ALLOC_PROFILE=<file>` writes a sampling allocation profile
 * (every allocation, collected or not; open it in Chrome DevTools' Memory tab) when stopped; with
 * `LOAD_ALLOC_PROFILE_PROMOTED=1` it leaves out what died young (where promoted garbage comes from).
 */
import { writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createMeasuredScheduler, loadServerModules, watchGc } from './bench-support';
import { type BenchServer, createTransportFloorServer } from './transport-floor-server';

const { benchAgent, createVoiceAgentServer } = await loadServerModules(process.env.LOAD_SERVER_SOURCE);

/** Lateness of timed work, µs (started − due), for actions scheduled with a delay. */
const timerLateness = createHistogram();
const measuredScheduler = createMeasuredScheduler(timerLateness, (lateMs, startedAt) => {
  if (process.env.LOAD_GC_LOG === '1')
    process.stderr.write(`late ${lateMs.toFixed(1)} at ${startedAt.toFixed(0)}\n`);
});

const server: BenchServer =
  process.env.LOAD_SERVER === 'floor'
    ? createTransportFloorServer({ scheduler: measuredScheduler, pingIntervalMs: 2000 })
    : createVoiceAgentServer({
        agents: { echo: benchAgent() },
        scheduler: measuredScheduler,
        maxConnections: 20_000,
        rateLimit: { messagesPerSecond: 200, burst: 400 },
        pingIntervalMs: 2000,
      });

/** Garbage-collection pauses per window. */
const gc = watchGc((entry) => {
  if (process.env.LOAD_GC_LOG === '1' && entry.duration > 3)
    process.stderr.write(
      `at ${entry.startTime.toFixed(0)} gc kind ${(entry as unknown as { detail: { kind: number } }).detail.kind} ${entry.duration.toFixed(1)} ms heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB\n`,
    );
});

const inspector = new InspectorSession();
if (process.env.LOAD_ALLOC_PROFILE) {
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    // LOAD_ALLOC_PROFILE_PROMOTED=1: leave out what died young, so the profile shows where the
    // objects that lived long enough to be promoted (the full collections' work) were allocated.
    includeObjectsCollectedByMinorGC: process.env.LOAD_ALLOC_PROFILE_PROMOTED !== '1',
  } as never);
}
const { port } = await server.listen(Number(process.env.LOAD_SERVER_PORT ?? 0), '127.0.0.1');
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let cpu = process.cpuUsage();
let wall = performance.now();
let utilisation = performance.eventLoopUtilization();
let conversationSeconds = 0;
let sampledAt = wall;
// Integrates the conversation count over the window (clients join between windows, not inside).
const sampler = setInterval(() => {
  const now = performance.now();
  conversationSeconds += (server.connectionCount * (now - sampledAt)) / 1000;
  sampledAt = now;
}, 100);
sampler.unref();

process.stdout.write(`${JSON.stringify({ type: 'ready', port })}\n`);
process.stdin.setEncoding('utf8');
// The driver gone: stop (never linger as an orphan).
process.stdin.on('end', () => process.exit(0));
process.stdin.on('data', (chunk: string) => {
  for (const line of chunk.split('\n').filter((entry) => entry.length > 0)) {
    if (line === 'reset') {
      delay.reset();
      timerLateness.reset();
      gc.reset();
      cpu = process.cpuUsage();
      wall = performance.now();
      sampledAt = wall;
      conversationSeconds = 0;
      utilisation = performance.eventLoopUtilization();
    } else if (line === 'report') {
      const now = performance.now();
      conversationSeconds += (server.connectionCount * (now - sampledAt)) / 1000;
      sampledAt = now;
      const used = process.cpuUsage(cpu);
      const elapsedMs = now - wall;
      const cpuMs = (used.user + used.system) / 1000;
      const late = (percentile: number) =>
        timerLateness.count === 0 ? 0 : timerLateness.percentile(percentile) / 1000;
      process.stdout.write(
        `${JSON.stringify({
          type: 'report',
          conversations: server.connectionCount,
          cpuPercent: (cpuMs / elapsedMs) * 100,
          systemPercent: (used.system / 1000 / elapsedMs) * 100,
          cpuMsPerSessionSecond: conversationSeconds === 0 ? 0 : cpuMs / conversationSeconds,
          busy: performance.eventLoopUtilization(utilisation).utilization,
          timersPerSecond: (timerLateness.count / elapsedMs) * 1000,
          timerLateP50Ms: late(50),
          timerLateP99Ms: late(99),
          timerLateMaxMs: timerLateness.count === 0 ? 0 : timerLateness.max / 1000,
          eldP50Ms: delay.percentile(50) / 1e6,
          eldP99Ms: delay.percentile(99) / 1e6,
          gcPercent: (gc.totalMs / elapsedMs) * 100,
          gcPauseP99Ms: gc.pauses.count === 0 ? 0 : gc.pauses.percentile(99) / 1000,
          gcPauseMaxMs: gc.pauses.count === 0 ? 0 : gc.pauses.max / 1000,
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        })}\n`,
      );
    } else if (line === 'stop' && process.env.LOAD_ALLOC_PROFILE) {
      void inspector.post('HeapProfiler.stopSampling').then((result) => {
        writeFileSync(
          process.env.LOAD_ALLOC_PROFILE!,
          JSON.stringify((result as { profile: unknown }).profile),
        );
        process.exit(0);
      });
    } else if (line === 'stop') {
      void server.close({ drainTimeoutMs: 100 }).then(() => process.exit(0));
    }
  }
});
