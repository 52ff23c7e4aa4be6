import { type AudioFrame, encodeWav, type SampleRate } from '@argentum/core';

/**
 * Collects output frames into one PCM16 buffer, each frame at the sample its timestamp says (ms
 * from `originMs`), so any silence between frames is kept and time 0 of the file is the
 * conversation's start.
 */
export class WavAccumulator {
  private buffer: Int16Array;
  private length = 0;

  /**
   * @param sampleRate - the frames' rate.
   * @param channels - the frames' channel count.
   * @param originMs - the scheduler time of sample 0.
   */
  constructor(
    readonly sampleRate: SampleRate,
    readonly channels: 1 | 2,
    private readonly originMs: number,
  ) {
    this.buffer = new Int16Array(sampleRate * channels * 10);
  }

  /** Adds a frame at its timestamp (a frame that overlaps what is there overwrites it). */
  add(frame: AudioFrame): void {
    const startFrame = Math.max(0, Math.round(((frame.timestamp - this.originMs) * this.sampleRate) / 1000));
    const offset = startFrame * this.channels;
    const end = offset + frame.samples.length;
    if (end > this.buffer.length) {
      const grown = new Int16Array(Math.max(end, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(frame.samples, offset);
    this.length = Math.max(this.length, end);
  }

  /** The audio so far, ms. */
  get durationMs(): number {
    return (this.length / this.channels / this.sampleRate) * 1000;
  }

  /** The samples so far (interleaved). */
  samples(): Int16Array {
    return this.buffer.subarray(0, this.length);
  }

  /** The audio so far as a WAV file. */
  toWav(): Uint8Array {
    return encodeWav(this.samples(), { sampleRate: this.sampleRate, channels: this.channels });
  }
}
