/**
 * Provider overhead benchmark: time from a TTS audio chunk arriving at the client (delivered by
 * `fetch`'s response body) to the frames it completes being emitted by `OpenAITtsModel`, against
 * the local test server. Target (TARGETS.md): p99 ≤ 1 ms.
 *
 * Run: `npx tsx bench/overhead.ts` (after building core: `cd ../core && npx tsup`).
 */
import { realtimeScheduler, type SampleRate } from '@argentum/core';
import { lastValueFrom, tap } from 'rxjs';
import { createOpenAI } from '../src/index';
import { createOpenAITestServer } from '../src/testing/index';

const now = (): number => realtimeScheduler.now();

/** Wraps fetch so every body chunk records when it reached the client. */
function instrumentedFetch(arrivals: { last: number; done: boolean }): typeof fetch {
  return async (input, init) => {
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
        arrivals.last = now();
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
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(
  sampleRate: SampleRate,
  chunkBytes: number,
  seconds: number,
  runs: number,
): Promise<{ frames: number; p50: number; p99: number; max: number }> {
  const server = await createOpenAITestServer({
    script: { speech: { durationMs: seconds * 1000, chunkBytes, faults: { chunkDelayMs: 1 } } },
  });
  const arrivals = { last: 0, done: false };
  const tts = createOpenAI({
    apiKey: 'bench',
    baseURL: server.baseURL,
    fetch: instrumentedFetch(arrivals),
  }).speech('tts-1');
  const latencies: number[] = [];
  try {
    for (let run = 0; run < runs + 1; run++) {
      const sample: number[] = [];
      arrivals.done = false;
      await lastValueFrom(
        tts.synthesize({ text: 'Benchmark utterance.', sampleRate }).pipe(
          tap((event) => {
            // Frames flushed after the body ended are not caused by a chunk arrival: skip them.
            if (event.type === 'audio' && !arrivals.done) sample.push(now() - arrivals.last);
          }),
        ),
      );
      if (run > 0) latencies.push(...sample); // run 0 warms up the JIT
    }
  } finally {
    await server.close();
  }
  latencies.sort((a, b) => a - b);
  return {
    frames: latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

const rows: string[] = [];
for (const sampleRate of [24_000, 16_000, 48_000] as const) {
  for (const chunkBytes of [960, 4096, 16_384]) {
    const result = await measure(sampleRate, chunkBytes, 20, 3);
    rows.push(
      `| ${sampleRate} | ${chunkBytes} | ${result.frames} | ${(result.p50 * 1000).toFixed(0)} | ${(result.p99 * 1000).toFixed(0)} | ${(result.max * 1000).toFixed(0)} |`,
    );
  }
}
console.log('TTS chunk arrival → frame emitted (µs), 24 kHz PCM from the local test server');
console.log('| output Hz | chunk bytes | frames | p50 µs | p99 µs | max µs |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
