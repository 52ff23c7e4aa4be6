/**
 * What the server benchmarks share: the simulated microphone's `user_audio_chunk` messages and an
 * in-memory socket for runs without a network.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import {
  constants,
  createHistogram,
  type PerformanceEntry,
  PerformanceObserver,
  performance,
  type RecordableHistogram,
} from 'node:perf_hooks';
import { createEchoAgent, createRealtimeScheduler } from '@argentum/core';
import type { SchedulerLike } from 'rxjs';
import type { WebSocket } from 'ws';
import type { ConnectionSettings } from '../src/server/conversation-connection';
import type { ServerAgent } from '../src/server/server-agent';

/**
 * The JSON text of one `user_audio_chunk` of `samples` 16 kHz samples: a loud 220 Hz tone for
 * speech (continuous across chunks by `phase`, the chunk's index), low noise for silence.
 */
export function userAudioChunk(speech: boolean, phase: number, samples: number): string {
  const pcm = new Int16Array(samples);
  for (let index = 0; index < samples; index++) {
    const noise = ((index * 7919 + phase * 31) % 17) - 8;
    pcm[index] = speech
      ? Math.round(8000 * Math.sin((2 * Math.PI * 220 * (index + phase * samples)) / 16000)) + noise
      : noise;
  }
  return JSON.stringify({ user_audio_chunk: Buffer.from(pcm.buffer).toString('base64') });
}

/**
 * Which chunk of its speech cycle client `index` starts at, when clients send in `slots` evenly
 * spread slots per chunk and a cycle is `cycle` chunks. Clients sharing a slot (indices `slots`
 * apart) start one chunk apart, so no two clients speak, end a turn and hear a reply in the same
 * millisecond — independent microphones are not in lockstep.
 */
export function speechPhase(index: number, slots: number, cycle: number): number {
  return (index + Math.floor(index / slots)) % cycle;
}

/** A socket that keeps nothing: it counts what the server sends. */
export class SinkSocket extends EventEmitter {
  readonly OPEN = 1;
  readonly CONNECTING = 0;
  readyState = 1;
  bufferedAmount = 0;
  messages = 0;
  sentBytes = 0;
  send(data: string): void {
    this.messages++;
    this.sentBytes += data.length;
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

/**
 * The server modules a bench drives, loaded from `source` (a copy of `src/`, for A/B runs), and the
 * simulated providers from the built `@argentum/server/testing`.
 */
export async function loadServerModules(source: string = new URL('../src', import.meta.url).pathname) {
  const [connection, agent, stt, tts, server] = await Promise.all([
    import(`${source}/server/conversation-connection.ts`) as Promise<
      typeof import('../src/server/conversation-connection')
    >,
    import(`${source}/server/server-agent.ts`) as Promise<typeof import('../src/server/server-agent')>,
    // The simulated providers as users get them, built (`@argentum/server/testing`; build the package
    // first): run from source through tsx, each closure they make per call would be renamed with
    // `Object.defineProperty` (esbuild's keepNames), which makes it a dictionary-mode object — a
    // cost of the source run the shipped code does not have (≈ 5 a turn).
    import('@argentum/server/testing'),
    import('@argentum/server/testing'),
    import(`${source}/server/voice-agent-server.ts`) as Promise<
      typeof import('../src/server/voice-agent-server')
    >,
  ]);
  return {
    /** A conversation (`conv_<index>`, agent `echo`) over an in-memory socket, past its handshake. */
    openConversation(
      socket: SinkSocket,
      index: number,
      serverAgent: ServerAgent,
      settings: ConnectionSettings,
    ) {
      const conversation = new connection.ConversationConnection({
        socket: socket as unknown as WebSocket,
        conversationId: `conv_${index}`,
        agentId: 'echo',
        agent: serverAgent,
        settings,
        report: () => undefined,
        watched: () => false,
        onClosed: () => undefined,
      });
      socket.emit('message', Buffer.from('{"type":"conversation_initiation_client_data"}'), false);
      return conversation;
    },
    createVoiceAgentServer: server.createVoiceAgentServer,
    /**
     * The benches' agent: scripted STT (100 ms), the echo agent, tone TTS (200 ms a word, first byte
     * 100 ms, 100 ms chunks — streaming TTS services send chunks of 100 ms and more); `output` paces
     * its audio (the session's defaults: 100 ms chunks, 300 ms ahead).
     */
    benchAgent: (output?: { chunkMs?: number; leadMs?: number }) =>
      agent.defineAgent({
        agents: createEchoAgent(),
        stt: stt.createScriptedStt({
          transcripts: (index) => `turn ${index} of the load test`,
          latencyMs: 100,
        }),
        tts: tts.createToneTts({ msPerWord: 200, firstByteMs: 100, chunkMs: 100 }),
        ...(output === undefined ? {} : { output }),
      }),
  };
}

/** The server's per-connection limits as the benches run them (the load test's rate limit, pings every 2 s). */
export function benchConnectionSettings(scheduler: SchedulerLike): ConnectionSettings {
  return {
    scheduler,
    maxTextLength: 10_000,
    maxAudioBase64Length: 1_000_000,
    messagesPerSecond: 200,
    messageBurst: 400,
    maxBadMessages: 10,
    idleTimeoutMs: 60_000,
    initiationTimeoutMs: 10_000,
    pingIntervalMs: 2000,
    maxBufferedBytes: 1 << 20,
    slowClientTimeoutMs: 10_000,
  };
}

/**
 * A real-time scheduler recording in `lateness` (µs) how late each delayed run starts (now − due;
 * every run, an action's reschedules included), through `createRealtimeScheduler`'s `onRun` — the
 * same actions and timers as the server's own scheduler, with nothing wrapped per action. `onLate`
 * hears each run later than 5 ms, with the time it started.
 */
export function createMeasuredScheduler(
  lateness: RecordableHistogram,
  onLate?: (lateMs: number, startedAt: number) => void,
): SchedulerLike {
  return createRealtimeScheduler({
    onRun: (lateMs, delayMs) => {
      if (delayMs <= 0) return;
      lateness.record(Math.max(1, Math.round(lateMs * 1000)));
      if (lateMs > 5) onLate?.(lateMs, performance.now());
    },
  });
}

/**
 * A listener's playback schedule for the agent's audio. The server releases audio `leadMs` ahead
 * of its playback clock, one chunk every `chunkMs`: the tick at time T sends the audio up to
 * T + `leadMs`. So the chunk from offset s to e (ms into the response) is due at `a0 + (e − e0)`,
 * where `a0` and `e0` are the arrival and end offset of the response's first chunk (one
 * `event_id`) — or, when it is shorter than a tick's worth (the response's last chunk: the audio
 * ran out), one tick after the previous chunk, `a0 + (s + chunkMs − e0)`. Lateness = arrival − due
 * (a late first chunk is not seen: it is the anchor). A listener playing from the first arrival
 * hears a gap (an underrun) when a chunk arrives after its own start offset has played (`a0 + s`).
 */
export class PlaybackSchedule {
  #eventId = -1;
  /** Arrival of the response's first chunk, ms. */
  #anchorMs = 0;
  /** End offset of the response's first chunk, ms. */
  #anchorEndMs = 0;
  /** End offset of the audio received so far in the response, ms. */
  #audioMs = 0;
  readonly #chunkMs: number;

  /** @param chunkMs - the server's tick (its `output.chunkMs`, 100 by default). */
  constructor(chunkMs = 100) {
    this.#chunkMs = chunkMs;
  }

  /** Takes a chunk of `durationMs` of response `eventId` arriving at `arrivedAt` (ms). */
  receive(eventId: number, durationMs: number, arrivedAt: number): { lateMs: number; underrun: boolean } {
    const startMs = eventId === this.#eventId ? this.#audioMs : 0;
    const endMs = startMs + durationMs;
    this.#audioMs = endMs;
    if (eventId !== this.#eventId) {
      this.#eventId = eventId;
      this.#anchorMs = arrivedAt;
      this.#anchorEndMs = endMs;
    }
    return {
      lateMs: arrivedAt - (this.#anchorMs + Math.max(endMs, startMs + this.#chunkMs) - this.#anchorEndMs),
      underrun: arrivedAt > this.#anchorMs + startMs,
    };
  }
}

/** Duration, ms, of a base64 string of 16-bit mono PCM at `sampleRate`. */
export function base64PcmDurationMs(base64Length: number, padding: number, sampleRate: number): number {
  return (((base64Length / 4) * 3 - padding) / 2 / sampleRate) * 1000;
}

function cpuPressure(): number | undefined {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    const match = /avg10=([\d.]+)/.exec(line);
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** CPU time stolen by the hypervisor so far, ms summed over all CPUs (`/proc/stat`), if known. */
function stolenMs(): number | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
    const ticks = Number(fields[8]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** How busy the machine was during a measurement (Linux; zeros where unknown). */
export interface MachineLoad {
  /** The 1-minute load average at the end. */
  load1: number;
  /** The higher of the CPU pressure (`/proc/pressure/cpu`, avg10, %) at the start and at the end. */
  cpuPressureAvg10: number;
  /** The share of the machine's CPU time the hypervisor gave to other guests, %. */
  stealPercent: number;
}

/** Starts watching the machine's load; call the result at the end of the measurement. */
export function watchMachineLoad(): () => MachineLoad {
  const startedAt = performance.now();
  const pressureBefore = cpuPressure();
  const stolenBefore = stolenMs();
  return () => ({
    load1: loadavg()[0] ?? 0,
    cpuPressureAvg10: Math.max(pressureBefore ?? 0, cpuPressure() ?? 0),
    stealPercent:
      stolenBefore === undefined
        ? 0
        : (((stolenMs() ?? stolenBefore) - stolenBefore) /
            ((performance.now() - startedAt) * cpus().length)) *
          100,
  });
}

/**
 * Garbage-collection pauses from the `gc` performance entries: a histogram of their lengths (µs)
 * and their total (ms) since the last `reset`; `onPause` hears each one.
 */
export function watchGc(onPause?: (entry: PerformanceEntry) => void) {
  const pauses = createHistogram();
  let totalMs = 0;
  let fullCollections = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.record(Math.max(1, Math.round(entry.duration * 1000)));
      totalMs += entry.duration;
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        fullCollections++;
      }
      onPause?.(entry);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    pauses,
    get totalMs() {
      return totalMs;
    },
    /** Full (mark-compact) collections since the last reset. */
    get fullCollections() {
      return fullCollections;
    },
    reset() {
      pauses.reset();
      totalMs = 0;
      fullCollections = 0;
    },
  };
}

/** How long after a full collection's pause its effects are still counted: the backlog it left and the sweeping that follows. */
const AFTER_FULL_COLLECTION_MS = 300;
/** How far back an incremental-marking start still belongs to the full collection that follows it. */
const MARKING_LOOKBACK_MS = 1000;

/**
 * Splits the timed work that ran late (> 5 ms) between full collections and the rest. A full
 * collection's window runs from the start of its incremental marking (or 50 ms before its pause)
 * to 300 ms after its pause: marking, the pause, the sweeping after it and the backlog they leave.
 * With `perFullCollection` and `outsidePerSecond`, the long-run p99 of a run with a full collection
 * every T seconds can be estimated: it stays under 5 ms while
 * `outsidePerSecond + perFullCollection / T` is under 1 % of the timed work per second.
 */
export class FullCollectionAttribution {
  #markingStartedAt = Number.NaN;
  readonly #windows: [from: number, to: number][] = [];
  readonly #lateFiredAt: number[] = [];

  /** A `gc` performance entry (pass `watchGc`'s `onPause`). */
  onGc(entry: PerformanceEntry): void {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) this.#markingStartedAt = entry.startTime;
    if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR) return;
    const marked = entry.startTime - this.#markingStartedAt <= MARKING_LOOKBACK_MS;
    this.#windows.push([
      marked ? this.#markingStartedAt : entry.startTime - 50,
      entry.startTime + entry.duration + AFTER_FULL_COLLECTION_MS,
    ]);
    this.#markingStartedAt = Number.NaN;
  }

  /** Timed work that started more than 5 ms late, at `startedAt` (from `createMeasuredScheduler`'s `onLate`). */
  onLate(startedAt: number): void {
    this.#lateFiredAt.push(startedAt);
  }

  /** Late timed work per full collection (mean) and per second outside them, since the last reset. */
  summary(elapsedMs: number): {
    fullCollections: number;
    perFullCollection: number;
    outsidePerSecond: number;
  } {
    let inside = 0;
    for (const firedAt of this.#lateFiredAt) {
      if (this.#windows.some(([from, to]) => firedAt >= from && firedAt <= to)) inside++;
    }
    const windowsMs = this.#windows.reduce((sum, [from, to]) => sum + (to - from), 0);
    const outsideSeconds = Math.max(1e-3, (elapsedMs - windowsMs) / 1000);
    return {
      fullCollections: this.#windows.length,
      perFullCollection: this.#windows.length === 0 ? 0 : inside / this.#windows.length,
      outsidePerSecond: (this.#lateFiredAt.length - inside) / outsideSeconds,
    };
  }

  reset(): void {
    this.#windows.length = 0;
    this.#lateFiredAt.length = 0;
    this.#markingStartedAt = Number.NaN;
  }
}

/** The Node and V8 flags this process runs with (the module loader's left out), for a report's header. */
export function runtimeFlags(): string {
  const flags: string[] = [];
  for (let index = 0; index < process.execArgv.length; index++) {
    const flag = process.execArgv[index]!;
    if (flag === '--import' || flag === '--require' || flag === '--loader') {
      index++;
      continue;
    }
    if (flag.startsWith('--') && !flag.includes('tsx')) flags.push(flag);
  }
  return flags.length === 0 ? 'default flags' : flags.join(' ');
}

const PING_PREFIX = '{"type":"ping","ping_event":{"event_id":';

/**
 * The `pong` the official client answers a `ping` with (`{"type":"pong","event_id":n}`), or
 * undefined for any other message. Benches answer pings as the client does, so that the server
 * holds the one outstanding ping a real conversation has, not the most it keeps for a silent client.
 */
export function pongFor(message: string): string | undefined {
  if (!message.startsWith(PING_PREFIX)) return undefined;
  const eventId = Number.parseInt(message.slice(PING_PREFIX.length, PING_PREFIX.length + 20), 10);
  return Number.isSafeInteger(eventId) ? `{"type":"pong","event_id":${eventId}}` : undefined;
}
