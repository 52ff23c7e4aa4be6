/**
 * Provider overhead: time from an audio chunk arriving at the socket (the `message` event) to the
 * first frame it yields being emitted to the subscriber — JSON parsing, base64 and codec decoding,
 * alignment → marks, resampling and framing. Runs against the local test server; target p99 ≤ 1 ms.
 *
 * Run: `npx tsx bench/overhead.ts` (from packages/elevenlabs; build core first).
 */
import type { TtsEvent } from '@argentum/core';
import { lastValueFrom, tap } from 'rxjs';
import { WebSocket } from 'ws';
import { createElevenLabs, type ElevenLabsOutputFormat, type WebSocketConstructor } from '../src/index';
import { createElevenLabsTestServer } from '../src/testing/index';

let arrivedAt: number | undefined;
const samples: number[] = [];

/** A `ws` WebSocket that timestamps each message before the provider's handler sees it. */
class TimedWebSocket extends WebSocket {}
const base = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
Object.defineProperty(TimedWebSocket.prototype, 'onmessage', {
  configurable: true,
  get(this: WebSocket) {
    return base.get!.call(this);
  },
  set(this: WebSocket, handler: ((event: WebSocket.MessageEvent) => void) | null) {
    base.set!.call(
      this,
      handler
        ? (event: WebSocket.MessageEvent) => {
            arrivedAt = performance.now();
            handler(event);
            arrivedAt = undefined;
          }
        : null,
    );
  },
});

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(
  label: string,
  outputFormat: ElevenLabsOutputFormat,
  charactersPerChunk: number,
  sampleRate?: 16000,
) {
  const server = await createElevenLabsTestServer({ charactersPerChunk });
  const provider = createElevenLabs({
    apiKey: 'bench',
    baseURL: server.httpBaseUrl,
    WebSocket: TimedWebSocket as unknown as WebSocketConstructor,
  });
  const tts = provider.tts('eleven_flash_v2_5', { outputFormat });
  const text =
    'The quick brown fox jumps over the lazy dog, then it rests under the old oak tree. ' +
    'Meanwhile the dog wakes up, stretches, and wonders what all the fuss was about today. ';
  samples.length = 0;
  const utterances = 60;
  for (let i = 0; i < utterances; i++) {
    await lastValueFrom(
      tts.synthesize({ text, sampleRate }).pipe(
        tap((event: TtsEvent) => {
          if (event.type === 'audio' && arrivedAt !== undefined) {
            samples.push(performance.now() - arrivedAt);
            arrivedAt = undefined; // only the first frame of each chunk
          }
        }),
      ),
    );
  }
  await server.close();
  const warm = samples.slice(Math.floor(samples.length / 10)).sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `${label.padEnd(44)} chunks=${String(warm.length).padStart(5)}  p50=${us(quantile(warm, 0.5))}  p99=${us(
      quantile(warm, 0.99),
    )}  max=${us(warm.at(-1) ?? Number.NaN)}`,
  );
  return quantile(warm, 0.99);
}

const results = [
  await measure('pcm_24000, 480 ms chunks', 'pcm_24000', 8),
  await measure('pcm_24000, 120 ms chunks', 'pcm_24000', 2),
  await measure('pcm_44100, 480 ms chunks', 'pcm_44100', 8),
  await measure('ulaw_8000, 480 ms chunks', 'ulaw_8000', 8),
  await measure('pcm_24000 → 16 kHz resampled, 480 ms chunks', 'pcm_24000', 8, 16000),
];
const worst = Math.max(...results);
console.log(`worst p99 ${(worst * 1000).toFixed(1)} µs — target ≤ 1000 µs: ${worst <= 1 ? 'PASS' : 'FAIL'}`);
process.exitCode = worst <= 1 ? 0 : 1;
