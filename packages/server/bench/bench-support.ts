/**
 * What the server benchmarks share: the simulated microphone's `user_audio_chunk` messages and an
 * in-memory socket for runs without a network.
 */
import { EventEmitter } from 'node:events';

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
