import type { AudioFrame, SampleRate } from '@argentum/core';

const FRAME_MS = 20;

/**
 * Cuts decoded `user_audio_chunk`s of any length into 20 ms frames stamped on the scheduler clock:
 * contiguous while chunks keep up with real time, re-synced to "now" after a gap (so the VAD and
 * barge-in timings use audio time, not arrival jitter). A partial frame waits for the next chunk.
 * @internal
 */
export class UserAudioFramer {
  readonly #rate: SampleRate;
  #nextAt: number | undefined;
  #pending: Int16Array = new Int16Array(0);

  constructor(sampleRate: SampleRate) {
    this.#rate = sampleRate;
  }

  /** The whole frames of `samples` (plus what was pending), received at `now`. */
  push(samples: Int16Array, now: number): AudioFrame[] {
    const rate = this.#rate;
    const durationMs = (samples.length * 1000) / rate;
    const pendingMs = (this.#pending.length * 1000) / rate;
    const earliest = now - durationMs - pendingMs;
    if (this.#nextAt === undefined || this.#nextAt < earliest) this.#nextAt = earliest;
    let buffer = samples;
    if (this.#pending.length > 0) {
      buffer = new Int16Array(this.#pending.length + samples.length);
      buffer.set(this.#pending);
      buffer.set(samples, this.#pending.length);
    }
    const perFrame = (rate * FRAME_MS) / 1000;
    const whole = Math.floor(buffer.length / perFrame) * perFrame;
    const frames: AudioFrame[] = [];
    for (let offset = 0; offset < whole; offset += perFrame) {
      frames.push({
        samples: buffer.slice(offset, offset + perFrame),
        sampleRate: rate,
        channels: 1,
        timestamp: this.#nextAt,
      });
      this.#nextAt += FRAME_MS;
    }
    this.#pending = buffer.slice(whole);
    return frames;
  }
}
