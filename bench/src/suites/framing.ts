import { AudioFramer } from '@argentum/core';
import { AudioByteStream } from '@livekit/agents';
import { compare, type MeasureResult } from '../harness';

const SAMPLE_RATE = 48000;
const FRAME_SAMPLES = 960; // 20 ms at 48 kHz
const BYTES_PER_SECOND = SAMPLE_RATE * 2;

/** Chunk sizes from one byte to a minute of audio, with the audio each round pushes through. */
const CASES: { label: string; chunkBytes: number; totalBytes: number }[] = [
  { label: '1B', chunkBytes: 1, totalBytes: BYTES_PER_SECOND / 5 },
  { label: '160B', chunkBytes: 160, totalBytes: BYTES_PER_SECOND },
  { label: '1920B', chunkBytes: 1920, totalBytes: BYTES_PER_SECOND },
  { label: '4096B', chunkBytes: 4096, totalBytes: BYTES_PER_SECOND },
  { label: '1s', chunkBytes: BYTES_PER_SECOND, totalBytes: BYTES_PER_SECOND * 2 },
  { label: '60s', chunkBytes: BYTES_PER_SECOND * 60, totalBytes: BYTES_PER_SECOND * 60 },
];

function chunksOf(size: number, total: number): Uint8Array[] {
  const audio = new Uint8Array(total);
  for (let i = 0; i < total; i++) audio[i] = (i * 31) & 0xff;
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < total; offset += size) chunks.push(audio.slice(offset, offset + size));
  return chunks;
}

/** 48 kHz PCM16 bytes in chunks of various sizes → exact 20 ms frames: µs per frame. */
export function framingSuite(): Record<string, MeasureResult> {
  const results: Record<string, MeasureResult> = {};
  for (const { label, chunkBytes, totalBytes } of CASES) {
    const chunks = chunksOf(chunkBytes, totalBytes);
    const buffers = chunks.map((chunk) => chunk.buffer as ArrayBuffer);
    const ours = {
      round() {
        const framer = new AudioFramer({ sampleRate: SAMPLE_RATE, channels: 1, frameDurationMs: 20 });
        let frames = 0;
        for (const chunk of chunks) frames += framer.push(chunk).length;
        return frames;
      },
    };
    const peer = {
      round() {
        const stream = new AudioByteStream(SAMPLE_RATE, 1, FRAME_SAMPLES);
        let frames = 0;
        for (const buffer of buffers) frames += stream.write(buffer).length;
        return frames;
      },
    };
    results[`framing_48k_chunk_${label}`] = compare(
      'µs per 20 ms frame',
      ours,
      peer,
      {},
      'peer: @livekit/agents AudioByteStream',
    );
  }
  return results;
}
