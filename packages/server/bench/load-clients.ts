/**
 * The simulated clients of the load benchmark. Each streams real-time audio (`user_audio_chunk`s
 * of 100 ms, or `LOAD_CHUNK_MS`: 1.2 s of speech, then 3.8 s of silence, repeating) and measures how late the
 * agent's audio arrives against its playback schedule.
 *
 * Sends are spread evenly: a 1 ms driver serves one slot of clients per millisecond, each client once
 * per chunk length (as independent microphones would be), so no burst lands in one server loop
 * turn. A late timer serves the slots it missed, so the input rate stays one chunk per chunk length
 * and client (the report's `delivered` ratio shows it).
 *
 * Arrival lateness: each chunk of the agent's audio against the client's playback schedule
 * (`PlaybackSchedule` in `bench-support.ts`), and underruns (chunks a listener would hear as a gap).
 *
 * Run inline by `load.ts`, or as its own process (`LOAD_CLIENTS=process`): then it is driven by
 * JSON lines on stdin (`{"command":"grow","count":N}`, `reset`, `report`, `stop`) and answers on
 * stdout.
 */
import { createHistogram, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { reuseReceiverFragments } from '../src/server/ws-fragments-reuse';
import {
  base64PcmDurationMs,
  PlaybackSchedule,
  pongFor,
  speechPhase,
  userAudioChunk,
  watchGc,
} from './bench-support';

/** Chunk length, ms: 100 by default; `LOAD_CHUNK_MS=25` sends as the official browser client does by default. */
const CHUNK_MS = Number(process.env.LOAD_CHUNK_MS ?? 100);
if (![20, 25, 50, 100].includes(CHUNK_MS)) throw new Error('LOAD_CHUNK_MS must be 20, 25, 50 or 100');
/** Chunks per 5 s cycle, and how many of them carry speech (the first 1.2 s). */
const CYCLE = 5000 / CHUNK_MS;
const SPEECH_CHUNKS = 1200 / CHUNK_MS;
const DRIVER_MS = 1;
const SLOTS = CHUNK_MS / DRIVER_MS;
const SAMPLE_RATE = 16000;
const SAMPLES = (SAMPLE_RATE * CHUNK_MS) / 1000;

const SPEECH = Array.from({ length: SPEECH_CHUNKS }, (_, index) => userAudioChunk(true, index, SAMPLES));
const SILENCE = userAudioChunk(false, 0, SAMPLES);

interface Client {
  socket: WebSocket;
  tick: number;
  receivedBytes: number;
  playback: PlaybackSchedule;
}

/** One window's client-side figures. */
export interface ClientReport {
  clients: number;
  receivedMbPerSecond: number;
  /** Chunks the clients sent per second (1000 / `LOAD_CHUNK_MS` per client when the driver keeps up). */
  sentChunksPerSecond: number;
  audioChunksPerSecond: number;
  arrivalLateP50Ms: number;
  arrivalLateP99Ms: number;
  arrivalLateMaxMs: number;
  /** Chunks that arrived after their start should have played (the listener would hear a gap). */
  underruns: number;
  clientCpuPercent: number;
  /**
   * The client process's own garbage collection: its share of wall time, its full collections and
   * longest pause. A pause holds every client's receiving at once, so it shows in the arrival
   * lateness as if the server had been late.
   */
  clientGcPercent: number;
  clientFullCollections: number;
  clientGcPauseMaxMs: number;
}

/** A pool of simulated clients against one server URL. */
export class LoadClients {
  readonly #url: string;
  readonly #clients: Client[] = [];
  readonly #lateness = createHistogram();
  #audioChunks = 0;
  #sentChunks = 0;
  #underruns = 0;
  #slot = 0;
  /** When the next slot is due, ms: a late timer serves every slot it missed (no lost sends). */
  #nextSlotAt = performance.now();
  #cpu = process.cpuUsage();
  #since = performance.now();
  readonly #gc = watchGc();
  readonly #driver: NodeJS.Timeout;

  constructor(url: string) {
    this.#url = url;
    this.#driver = setInterval(() => this.#drive(), DRIVER_MS);
  }

  /** Connects clients until there are `count`. */
  async grow(count: number): Promise<void> {
    while (this.#clients.length < count) this.#clients.push(await this.#connect(this.#clients.length));
  }

  reset(): void {
    this.#lateness.reset();
    this.#audioChunks = 0;
    this.#sentChunks = 0;
    this.#underruns = 0;
    for (const client of this.#clients) client.receivedBytes = 0;
    this.#cpu = process.cpuUsage();
    this.#since = performance.now();
    this.#gc.reset();
  }

  report(): ClientReport {
    const elapsedMs = performance.now() - this.#since;
    const used = process.cpuUsage(this.#cpu);
    const late = (percentile: number) =>
      this.#lateness.count === 0 ? 0 : this.#lateness.percentile(percentile) / 1000;
    return {
      clients: this.#clients.length,
      receivedMbPerSecond:
        this.#clients.reduce((sum, client) => sum + client.receivedBytes, 0) / 2 ** 20 / (elapsedMs / 1000),
      sentChunksPerSecond: (this.#sentChunks / elapsedMs) * 1000,
      audioChunksPerSecond: (this.#audioChunks / elapsedMs) * 1000,
      arrivalLateP50Ms: late(50),
      arrivalLateP99Ms: late(99),
      arrivalLateMaxMs: this.#lateness.count === 0 ? 0 : this.#lateness.max / 1000,
      underruns: this.#underruns,
      clientCpuPercent: ((used.user + used.system) / 1000 / elapsedMs) * 100,
      clientGcPercent: (this.#gc.totalMs / elapsedMs) * 100,
      clientFullCollections: this.#gc.fullCollections,
      clientGcPauseMaxMs: this.#gc.pauses.count === 0 ? 0 : this.#gc.pauses.max / 1000,
    };
  }

  stop(): void {
    clearInterval(this.#driver);
    for (const client of this.#clients) client.socket.terminate();
  }

  #drive(): void {
    const now = performance.now();
    while (this.#nextSlotAt <= now) {
      this.#nextSlotAt += DRIVER_MS;
      this.#serve(this.#slot++ % SLOTS);
    }
  }

  #serve(current: number): void {
    for (let index = current; index < this.#clients.length; index += SLOTS) {
      const client = this.#clients[index]!;
      if (client.socket.readyState !== WebSocket.OPEN) continue;
      const phase = client.tick++ % CYCLE;
      client.socket.send(phase < SPEECH_CHUNKS ? SPEECH[phase]! : SILENCE);
      this.#sentChunks++;
    }
  }

  async #connect(index: number): Promise<Client> {
    const socket = new WebSocket(this.#url, ['convai']);
    const client: Client = {
      socket,
      tick: speechPhase(index, SLOTS, CYCLE),
      receivedBytes: 0,
      playback: new PlaybackSchedule(),
    };
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // As the server does (see `ws-fragments-reuse.ts`): without it, `ws`'s receiver promotes each
    // message's fragment list and the read buffer it holds, and this one process for all clients
    // runs a full collection for external memory every second or two — a pause for every client at
    // once, which the arrival lateness would blame on the server.
    const afterMessage = reuseReceiverFragments(socket);
    socket.on('message', (data: Buffer) => {
      this.#receive(client, data);
      afterMessage?.();
    });
    socket.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
    return client;
  }

  #receive(client: Client, data: Buffer): void {
    const socket = client.socket;
    const arrivedAt = performance.now();
    client.receivedBytes += data.length;
    // `{"type":"audio",…`: only audio is parsed; a ping is answered as the official client does.
    if (data[9] !== 0x61 || data[10] !== 0x75) {
      const pong = data[9] === 0x70 && data[10] === 0x69 ? pongFor(data.toString('utf8')) : undefined;
      if (pong !== undefined) socket.send(pong);
      return;
    }
    const message = JSON.parse(data.toString('utf8')) as {
      type: string;
      audio_event?: { audio_base_64: string; event_id: number };
    };
    const audio = message.audio_event;
    if (message.type !== 'audio' || audio === undefined) return;
    const base64 = audio.audio_base_64;
    const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
    const { lateMs, underrun } = client.playback.receive(
      audio.event_id,
      base64PcmDurationMs(base64.length, padding, SAMPLE_RATE),
      arrivedAt,
    );
    this.#audioChunks++;
    if (underrun) this.#underruns++;
    this.#lateness.record(Math.max(1, Math.round(lateMs * 1000)));
  }
}

// As its own process: JSON-line commands on stdin, answers on stdout.
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const url = process.argv[2];
  if (url === undefined) throw new Error('usage: load-clients.ts <ws url>');
  const clients = new LoadClients(url);
  process.stdin.setEncoding('utf8');
  let pending = '';
  process.stdin.on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((entry) => entry.length > 0)) {
      const command = JSON.parse(line) as { command: string; count?: number };
      const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
      if (command.command === 'grow') void clients.grow(command.count ?? 0).then(() => answer({ ok: true }));
      else if (command.command === 'reset') {
        clients.reset();
        answer({ ok: true });
      } else if (command.command === 'report') answer(clients.report());
      else if (command.command === 'stop') {
        clients.stop();
        process.exit(0);
      }
    }
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}
