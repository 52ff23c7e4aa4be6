import type { AudioFrame, SampleRate } from '@argentum/core';

const FRAME_MS = 20;
const EMPTY = new Int16Array(0);

/**
 * Cuts decoded `user_audio_chunk`s of any length into 20 ms frames stamped on the scheduler clock:
 * contiguous while chunks keep up with real time, re-synced to "now" after a gap (so the VAD and
 * barge-in timings use audio time, not arrival jitter). A partial frame waits for the next chunk.
 *
 * Frames are views into the decoded chunk, not copies: `decodeUserAudio` returns a fresh array per
 * chunk that nothing else holds, and no stage writes into a frame's samples (the VAD, the
 * utterance buffer and the STT stream only read them), so sharing one buffer between a chunk's
 * frames is safe and saves a copy and an allocation per frame.
 * @internal
 */
export class UserAudioFramer {
  readonly #rate: SampleRate;
  /**
   * The next frame's timestamp; NaN before the first chunk. A number-only field keeps its double in
   * place; one that may hold `undefined` gets a fresh heap number per frame.
   */
  #nextAt = Number.NaN;
  #pending: Int16Array = EMPTY;

  constructor(sampleRate: SampleRate) {
    this.#rate = sampleRate;
  }

  /** The whole frames of `samples` (plus what was pending), received at `now`. */
  push(samples: Int16Array, now: number): AudioFrame[] {
    const rate = this.#rate;
    const durationMs = (samples.length * 1000) / rate;
    const pendingMs = (this.#pending.length * 1000) / rate;
    const earliest = now - durationMs - pendingMs;
    // (NaN < earliest is false: the first chunk is caught by the isNaN test.)
    if (Number.isNaN(this.#nextAt) || this.#nextAt < earliest) this.#nextAt = earliest;
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
        samples: buffer.subarray(offset, offset + perFrame),
        sampleRate: rate,
        channels: 1,
        timestamp: this.#nextAt,
      });
      this.#nextAt += FRAME_MS;
    }
    this.#pending = whole === buffer.length ? EMPTY : buffer.slice(whole);
    return frames;
  }
}
