/**
 * Provider overhead benchmark: from a TTS audio chunk reaching the client to the frames it
 * completes being emitted by `OpenAITtsModel`, against the local test server. Target
 * (TARGETS.md): p99 ≤ 1 ms.
 *
 * Two starting points are measured, per emitted frame, against the chunk that completed it:
 * - **socket**: when the chunk's bytes became readable on the client's TCP socket. From there on,
 *   Node's HTTP client (undici) parses the response and `fetch`'s body stream delivers it — code
 *   that is not ours, so this bounds the SDK's share from above.
 * - **body**: when `fetch`'s response body delivered the chunk — the point where the provider
 *   takes over (the speech path reads `response.body` directly).
 *
 * "first-of-chunk" is the body measure for the first frame each chunk completes: when playback can
 * start on that chunk's audio (the later frames of a large chunk are needed only 20, 40, … ms later).
 *
 * The server paces chunks at 10× real time (faster than a live TTS stream, slow enough that
 * chunks do not queue behind each other), so the figures are per-chunk latency, not backlog.
 * Frames flushed after the body ended are not caused by a chunk and are left out; run 0 of each
 * configuration warms up the JIT and is discarded.
 *
 * Run: `npx tsx bench/overhead.ts` (after building core: `cd ../core && npx tsup`).
 * Environment: `RATES=16000,48000` and `CHUNKS=4096` restrict the grid; `RUNS` (default 5) sets the
 * measured runs per row. The machine's load average is printed: the p99 of a shared machine moves
 * with it (one preemption during a 17-frame chunk is already 1% of a row's frames).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { realtimeScheduler, type SampleRate, SUPPORTED_SAMPLE_RATES } from '@argentum/core';
import { lastValueFrom, tap } from 'rxjs';
import { createOpenAI } from '../src/index';
import { createOpenAITestServer } from '../src/testing/index';

const now = (): number => realtimeScheduler.now();
const AUDIO_SECONDS = 10;
const RUNS = Number(process.env.RUNS ?? 5);
const SPEED_UP = 10;
const BYTES_PER_MS = (24_000 * 2) / 1000;

/** When the last chunk reached the client's socket, and when the body stream delivered it. */
const arrivals = { socket: 0, body: 0, done: false };

// Record when bytes become readable on the client's socket, before Node's HTTP client (undici)
// parses them: its diagnostics channel hands over each socket it connects.
diagnosticsChannel.subscribe('undici:client:connected', (message) => {
  const { socket } = message as { socket: Socket };
  socket.prependListener('readable', () => {
    arrivals.socket = now();
  });
});

/** Wraps fetch so every body chunk records when it reached the client. */
const instrumentedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.body === null) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) {
        arrivals.done = true;
        controller.close();
        return;
      }
      arrivals.body = now();
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function list(variable: string | undefined, fallback: number[]): number[] {
  return variable === undefined ? fallback : variable.split(',').map(Number);
}

async function measure(sampleRate: SampleRate, chunkBytes: number) {
  const server = await createOpenAITestServer({
    script: {
      speech: {
        durationMs: AUDIO_SECONDS * 1000,
        chunkBytes,
        faults: { chunkDelayMs: chunkBytes / BYTES_PER_MS / SPEED_UP },
      },
    },
  });
  const tts = createOpenAI({ apiKey: 'bench', baseURL: server.baseURL, fetch: instrumentedFetch }).speech(
    'tts-1',
  );
  const fromSocket: number[] = [];
  const fromBody: number[] = [];
  const firstOfChunk: number[] = [];
  let lastChunkAt = Number.NaN;
  try {
    for (let run = 0; run <= RUNS; run++) {
      arrivals.done = false;
      await lastValueFrom(
        tts.synthesize({ text: 'Benchmark utterance.', sampleRate }).pipe(
          tap((event) => {
            if (run === 0 || event.type !== 'audio' || arrivals.done) return;
            const emitted = now();
            fromSocket.push(emitted - arrivals.socket);
            fromBody.push(emitted - arrivals.body);
            if (arrivals.body !== lastChunkAt) firstOfChunk.push(emitted - arrivals.body);
            lastChunkAt = arrivals.body;
          }),
        ),
      );
    }
  } finally {
    await server.close();
  }
  fromSocket.sort((a, b) => a - b);
  fromBody.sort((a, b) => a - b);
  firstOfChunk.sort((a, b) => a - b);
  const micro = (ms: number) => (ms * 1000).toFixed(0);
  return [
    sampleRate,
    chunkBytes,
    fromSocket.length,
    micro(quantile(fromSocket, 0.5)),
    micro(quantile(fromSocket, 0.99)),
    micro(fromSocket.at(-1) ?? Number.NaN),
    micro(quantile(fromBody, 0.5)),
    micro(quantile(fromBody, 0.99)),
    micro(quantile(firstOfChunk, 0.5)),
    micro(quantile(firstOfChunk, 0.99)),
  ];
}

const rates = list(process.env.RATES, [24_000, 16_000, 48_000]);
for (const rate of rates) {
  if (!SUPPORTED_SAMPLE_RATES.includes(rate as SampleRate))
    throw new Error(`RATES: ${rate} is not supported`);
}
const loadBefore = loadavg();
const rows: (string | number)[][] = [];
for (const sampleRate of rates as SampleRate[]) {
  for (const chunkBytes of list(process.env.CHUNKS, [960, 4096, 16_384])) {
    rows.push(await measure(sampleRate, chunkBytes));
  }
}
const loads = (values: number[]) => values.map((load) => load.toFixed(2)).join(' ');
console.log(`load average (1, 5, 15 min): ${loads(loadBefore)} before, ${loads(loadavg())} after`);
console.log(
  `TTS chunk → frame emitted (µs); 24 kHz PCM from the local test server at ${SPEED_UP}× real time, ${RUNS} × ${AUDIO_SECONDS} s per row`,
);
console.log(
  '| output Hz | chunk bytes | frames | socket p50 | socket p99 | socket max | body p50 | body p99 | first-of-chunk p50 | first-of-chunk p99 |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
