import type { AudioFormat, AudioFrame } from '../audio/audio-frame';

/**
 * Turns the controller's output (frames only while something plays, each restart on its own
 * time grid) into one contiguous stream of whole frames from the run's start: silence fills the
 * idle gaps, and the few samples where a restarted frame overlaps the previous one are summed
 * (saturating). Samples are held until a newer frame starts after them (frames arrive in time
 * order, so nothing can land before a newer frame's start).
 * @internal
 */
export class OutputAssembler {
  private readonly samplesPerMs: number;
  private readonly frameSamples: number;
  /** Sample frames emitted so far (per channel). */
  private emitted = 0;
  /** Held interleaved samples, starting at sample frame `emitted`. */
  private held: Int16Array;
  /** How many interleaved values of `held` carry audio (the rest is zero). */
  private heldLength = 0;
  private slab = new Int16Array(0);
  private slabOffset = 0;

  constructor(
    private readonly format: AudioFormat,
    private readonly startAt: number,
    frameDurationMs: number,
    private readonly emit: (frame: AudioFrame) => void,
  ) {
    this.samplesPerMs = format.sampleRate / 1000;
    this.frameSamples = Math.round(frameDurationMs * this.samplesPerMs);
    this.held = new Int16Array(this.frameSamples * format.channels * 4);
  }

  /** Takes one controller frame. */
  push(frame: AudioFrame): void {
    const channels = this.format.channels;
    const position = Math.max(0, Math.round((frame.timestamp - this.startAt) * this.samplesPerMs));
    // Everything before the frame's start is final: emit its whole frames.
    this.release(position, false);
    const base = (position - this.emitted) * channels;
    const values = frame.samples;
    const end = base + values.length;
    if (end > this.held.length) {
      const grown = new Int16Array(Math.max(end, this.held.length * 2));
      grown.set(this.held.subarray(0, this.heldLength));
      this.held = grown;
    }
    const held = this.held;
    const overlap = Math.max(0, Math.min(this.heldLength, end) - base);
    for (let i = 0; i < overlap; i++) {
      const sum = (held[base + i] as number) + (values[i] as number);
      held[base + i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
    }
    if (overlap < values.length) held.set(overlap === 0 ? values : values.subarray(overlap), base + overlap);
    if (end > this.heldLength) this.heldLength = end;
  }

  /** Emits everything held, padded with silence up to `untilAt` (scheduler ms) if given. */
  flush(untilAt?: number): void {
    const target = untilAt === undefined ? 0 : Math.round((untilAt - this.startAt) * this.samplesPerMs);
    const heldFrames = Math.ceil(this.heldLength / this.format.channels);
    this.release(Math.max(this.emitted + heldFrames, target), true);
  }

  /** A zeroed array of `length` values, cut from a shared slab (fewer, larger allocations). */
  private allocate(length: number): Int16Array {
    if (this.slabOffset + length > this.slab.length) {
      this.slab = new Int16Array(Math.max(length, this.frameSamples * this.format.channels * 64));
      this.slabOffset = 0;
    }
    const samples = this.slab.subarray(this.slabOffset, this.slabOffset + length);
    this.slabOffset += length;
    return samples;
  }

  /** Emits held samples (and silence) up to sample `position`: whole frames, and a partial last one if `partial`. */
  private release(position: number, partial: boolean): void {
    const channels = this.format.channels;
    while (this.emitted + this.frameSamples <= position || (partial && this.emitted < position)) {
      const count = Math.min(this.frameSamples, position - this.emitted);
      const length = count * channels;
      const samples = this.allocate(length);
      const available = Math.min(length, this.heldLength);
      if (available > 0) {
        samples.set(this.held.subarray(0, available));
        this.held.copyWithin(0, available, this.heldLength);
        this.held.fill(0, this.heldLength - available, this.heldLength);
        this.heldLength -= available;
      }
      this.emit({
        samples,
        sampleRate: this.format.sampleRate,
        channels: this.format.channels,
        timestamp: this.startAt + this.emitted / this.samplesPerMs,
      });
      this.emitted += count;
    }
  }
}
