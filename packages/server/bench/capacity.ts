/**
 * Capacity of the session pipeline on one core, in real time, without the network: N conversations
 * (the server's own connection class: parse and decode each `user_audio_chunk` → frames → VAD →
 * endpointing → scripted STT → echo agent → tone TTS → playback controller → `audio` messages
 * encoded and serialized) in one process pinned to one CPU with `taskset` (the garbage collector's
 * helper threads included), each fed 100 ms chunks by a 1 ms driver that spreads the clients evenly
 * (1.2 s of speech every 5 s), the server's sockets replaced by in-memory ones. This is the
 * TARGETS row "concurrent real-time sessions on one core (decode → VAD → state machine → mix →
 * encode)"; `load.ts` measures the same server over loopback WebSockets, where the kernel and the
 * `ws` framing add their own cost (compare `LOAD_SERVER=floor` there).
 *
 * Frame lateness, per step (p99 of each):
 * - input: each chunk handed to its connection − the moment it was due (the work queued ahead of it);
 * - timers: the server's timed work — the sessions' paced audio ticks, the simulated providers'
 *   delays, pings — fired − due;
 * - output: each `audio` message against its listener's playback schedule (`PlaybackSchedule`),
 *   plus underruns (a listener would hear a gap).
 *
 * Each step also splits the timed work that ran more than 5 ms late between full (mark-compact)
 * collections and the rest (see `FullCollectionAttribution`), which tells a long run's p99 apart
 * from a window's.
 *
 * It reports the largest step at which all three stay < 5 ms, and the largest at which the output
 * alone does (with no underruns: what a listener hears). Bounded: the listed steps, a 3 s
 * warm-up and `stepSeconds` of measurement each, then it exits.
 *
 * Usage: `npx tsx bench/capacity.ts [stepSeconds]`. The pinned child runs with the flags the
 * `argentum-server` command starts Node with (`bin/node-flags.js`), those Node was given (`node <V8
 * flags> --import tsx bench/capacity.ts …` keeps yours), or `ARGENTUM_NODE_FLAGS` ('' for Node's
 * defaults); the header prints them;
 * `CAPACITY_STEPS=250,500,1000` (default 250…1500), `CAPACITY_CPU=1` (the CPU to pin to, default 0;
 * `none`: not pinned), `CAPACITY_JSON=1`, `CAPACITY_SERVER_SOURCE=<src folder>` (A/B against another
 * copy of the server), `CAPACITY_OUTPUT=<chunkMs>,<leadMs>` (the sessions' output pacing; default
 * 100,300: the session's default).
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { createHistogram, performance } from 'node:perf_hooks';
import { nodeFlagsToAdd } from '../bin/node-flags.js';
import {
  base64PcmDurationMs,
  benchConnectionSettings,
  createMeasuredScheduler,
  FullCollectionAttribution,
  loadServerModules,
  PlaybackSchedule,
  pongFor,
  runtimeFlags,
  SinkSocket,
  speechPhase,
  userAudioChunk,
  watchGc,
  watchMachineLoad,
} from './bench-support';

const cpu = process.env.CAPACITY_CPU ?? '0';
if (cpu !== 'none' && process.env.CAPACITY_PINNED !== '1') {
  // Re-run this file pinned to one CPU; the child does the work.
  const result = spawnSync(
    'taskset',
    ['-c', cpu, process.execPath, ...nodeFlagsToAdd(), ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, CAPACITY_PINNED: '1' },
    },
  );
  if (result.error !== undefined)
    throw new Error(`taskset failed (${result.error.message}); set CAPACITY_CPU=none`);
  process.exit(result.status ?? 1);
}

const STEP_SECONDS = Number(process.argv[2] ?? 10);
const WARMUP_SECONDS = 3;
const STEPS = (process.env.CAPACITY_STEPS ?? '250,500,750,1000,1250,1500').split(',').map(Number);
const GOAL_MS = 5;
/** The session's output pacing (`CAPACITY_OUTPUT=200,300`: 200 ms chunks sent 300 ms ahead). */
const OUTPUT = (() => {
  const [chunkMs = 100, leadMs = 300] = (process.env.CAPACITY_OUTPUT ?? '100,300').split(',').map(Number);
  return { chunkMs, leadMs };
})();
const CHUNK_MS = 100;
const SAMPLES = 1600;
const CYCLE = 50; // chunks per 5 s
const SPEECH_CHUNKS = 12; // 1.2 s
const SAMPLE_RATE = 16000;
const SPEECH = Array.from({ length: SPEECH_CHUNKS }, (_, index) =>
  Buffer.from(userAudioChunk(true, index, SAMPLES)),
);
const SILENCE = Buffer.from(userAudioChunk(false, 0, SAMPLES));
const AUDIO_PREFIX = '{"type":"audio","audio_event":{"audio_base_64":"';

/** Pongs the clients owe, delivered by the driver. */
const pongs: [ListeningSocket, Buffer][] = [];
const inputLateness = createHistogram();
const timerLateness = createHistogram();
const outputLateness = createHistogram();
let underruns = 0;
let audioMessages = 0;
const attribution = new FullCollectionAttribution();
const gc = watchGc((entry) => attribution.onGc(entry));

/** An in-memory socket that plays the agent's audio against a listener's schedule. */
class ListeningSocket extends SinkSocket {
  readonly #playback = new PlaybackSchedule(OUTPUT.chunkMs);
  override send(data: string): void {
    super.send(data);
    if (!data.startsWith(AUDIO_PREFIX)) {
      // The client answers a ping with a pong, on the driver's next millisecond (its round trip).
      const pong = pongFor(data);
      if (pong !== undefined) pongs.push([this, Buffer.from(pong)]);
      return;
    }
    const arrivedAt = performance.now();
    const end = data.indexOf('"', AUDIO_PREFIX.length);
    const padding = data[end - 2] === '=' ? 2 : data[end - 1] === '=' ? 1 : 0;
    // `","event_id":<n>`: the id follows the payload's closing quote.
    const eventId = Number.parseInt(data.slice(end + 13, end + 30), 10);
    const { lateMs, underrun } = this.#playback.receive(
      eventId,
      base64PcmDurationMs(end - AUDIO_PREFIX.length, padding, SAMPLE_RATE),
      arrivedAt,
    );
    audioMessages++;
    if (underrun) underruns++;
    outputLateness.record(Math.max(1, Math.round(lateMs * 1000)));
  }
}

const { openConversation, benchAgent } = await loadServerModules(process.env.CAPACITY_SERVER_SOURCE);
const agent = benchAgent(OUTPUT);
const settings = benchConnectionSettings(
  createMeasuredScheduler(timerLateness, (_lateMs, startedAt) => attribution.onLate(startedAt)),
);
const clients: { socket: ListeningSocket; tick: number }[] = [];

function connect(index: number): void {
  const socket = new ListeningSocket();
  openConversation(socket, index, agent, settings);
  clients.push({ socket, tick: speechPhase(index, CHUNK_MS, CYCLE) });
}

// The driver: slot s of each 100 ms serves clients s, s + 100, …; a late wake-up serves every slot
// it missed, each recorded as late as it was.
let slot = 0;
let nextSlotAt = performance.now();
const driver = setInterval(() => {
  const now = performance.now();
  for (const [socket, pong] of pongs.splice(0)) socket.emit('message', pong, false);
  while (nextSlotAt <= now) {
    const lateUs = Math.max(1, Math.round((now - nextSlotAt) * 1000));
    for (let index = slot % CHUNK_MS; index < clients.length; index += CHUNK_MS) {
      const client = clients[index]!;
      const phase = client.tick++ % CYCLE;
      client.socket.emit('message', phase < SPEECH_CHUNKS ? SPEECH[phase]! : SILENCE, false);
      inputLateness.record(lateUs);
    }
    slot++;
    nextSlotAt += 1;
  }
}, 1);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const p99 = (histogram: ReturnType<typeof createHistogram>) =>
  histogram.count === 0 ? 0 : histogram.percentile(99) / 1000;

console.log(
  `session pipeline without the network; ${cpus()[0]?.model.trim()}, Node ${process.version} (${runtimeFlags()}); output in ${OUTPUT.chunkMs} ms chunks, ${OUTPUT.leadMs} ms ahead; ${cpu === 'none' ? 'not pinned' : `pinned to CPU ${cpu}`}`,
);
let best = 0;
let bestOutput = 0;
for (const count of STEPS) {
  // One new client a millisecond, as real ones arrive: conversations opened in one go would keep
  // their pings (every 2 s) in lockstep for good.
  while (clients.length < count) {
    connect(clients.length);
    await sleep(1);
  }
  await sleep(WARMUP_SECONDS * 1000);
  for (const histogram of [inputLateness, timerLateness, outputLateness]) histogram.reset();
  gc.reset();
  attribution.reset();
  underruns = 0;
  audioMessages = 0;
  const machineLoad = watchMachineLoad();
  const cpuAtStart = process.cpuUsage();
  const loopAtStart = performance.eventLoopUtilization();
  const startedAt = performance.now();
  await sleep(STEP_SECONDS * 1000);
  const elapsedMs = performance.now() - startedAt;
  const used = process.cpuUsage(cpuAtStart);
  const cpuMs = (used.user + used.system) / 1000;
  const report = {
    sessions: count,
    cpuPercent: (cpuMs / elapsedMs) * 100,
    cpuMsPerSessionSecond: cpuMs / (count * (elapsedMs / 1000)),
    busy: performance.eventLoopUtilization(loopAtStart).utilization,
    inputLateP99Ms: p99(inputLateness),
    timerLateP99Ms: p99(timerLateness),
    outputLateP99Ms: p99(outputLateness),
    outputLateMaxMs: outputLateness.count === 0 ? 0 : outputLateness.max / 1000,
    audioMessagesPerSecond: (audioMessages / elapsedMs) * 1000,
    underruns,
    gcPercent: (gc.totalMs / elapsedMs) * 100,
    gcPauseP99Ms: p99(gc.pauses),
    fullCollections: gc.fullCollections,
    timersPerSecond: (timerLateness.count / elapsedMs) * 1000,
    lateTimers: attribution.summary(elapsedMs),
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    ...machineLoad(),
  };
  const within =
    report.inputLateP99Ms < GOAL_MS && report.timerLateP99Ms < GOAL_MS && report.outputLateP99Ms < GOAL_MS;
  if (within) best = count;
  if (report.outputLateP99Ms < GOAL_MS && underruns === 0) bestOutput = count;
  if (process.env.CAPACITY_JSON === '1') console.log(JSON.stringify(report));
  else
    console.log(
      `${String(count).padStart(5)} sessions: CPU ${report.cpuPercent.toFixed(0)} % = ${report.cpuMsPerSessionSecond.toFixed(2)} ms per session-second, busy ${report.busy.toFixed(2)}; frame lateness p99 input ${report.inputLateP99Ms.toFixed(2)} / timers ${report.timerLateP99Ms.toFixed(2)} / output ${report.outputLateP99Ms.toFixed(2)} ms (max ${report.outputLateMaxMs.toFixed(1)}), ${report.audioMessagesPerSecond.toFixed(0)} audio messages/s, ${underruns} underruns; GC ${report.gcPercent.toFixed(1)} % (pause p99 ${report.gcPauseP99Ms.toFixed(1)} ms, ${report.fullCollections} full); heap ${report.heapMb.toFixed(0)} MB; timers late > 5 ms: ${report.lateTimers.outsidePerSecond.toFixed(1)}/s outside full collections${report.lateTimers.fullCollections === 0 ? '' : `, ${report.lateTimers.perFullCollection.toFixed(0)} per full collection`} (of ${report.timersPerSecond.toFixed(0)} timers/s); load ${report.load1.toFixed(1)}, steal ${report.stealPercent.toFixed(1)} %${within ? '' : '  ✗'}`,
    );
}
clearInterval(driver);
const where = cpu === 'none' ? 'in one process' : 'on one core';
console.log(
  `largest step with every frame-lateness p99 < ${GOAL_MS} ms: ${best === 0 ? 'none' : `${best} concurrent sessions ${where}`}`,
);
console.log(
  `largest step with output frames on schedule (p99 < ${GOAL_MS} ms, no underruns): ${bestOutput === 0 ? 'none' : `${bestOutput} concurrent sessions ${where}`}`,
);
process.exit(0);
