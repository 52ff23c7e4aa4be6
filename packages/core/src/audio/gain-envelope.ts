import { InvalidArgumentError } from '../errors/invalid-argument-error';

/**
 * The shape of a ramp between two gains, as a function of progress `p` in (0, 1]:
 * `linear` moves by equal steps; `sine-in` follows `sin(p·π/2)` (the rising half of an equal-power
 * crossfade); `sine-out` follows `1 − cos(p·π/2)` (the falling half, so that the gain itself is
 * `start·cos(p·π/2)` when the ramp ends at 0).
 * @internal
 */
export type RampShape = 'linear' | 'sine-in' | 'sine-out';

/**
 * The largest gain a mixer track accepts, in dB: 96 dB is the whole dynamic range of 16-bit audio,
 * so any larger boost would only saturate every non-zero sample.
 * @internal
 */
export const MAX_GAIN_DB = 96;

/**
 * Converts decibels to a linear amplitude factor (`-Infinity` → 0).
 * @internal
 */
export function decibelsToGain(gainDb: number): number {
  return gainDb === Number.NEGATIVE_INFINITY ? 0 : 10 ** (gainDb / 20);
}

/**
 * Validates a gain in dB: a number up to {@link MAX_GAIN_DB}, or `-Infinity` for silence.
 * @internal
 */
export function assertGainDb(argument: string, gainDb: unknown, max = MAX_GAIN_DB): number {
  if (typeof gainDb !== 'number' || Number.isNaN(gainDb) || gainDb === Number.POSITIVE_INFINITY) {
    throw new InvalidArgumentError(
      argument,
      `expected a gain in dB (a number, or -Infinity for silence), got ${String(gainDb)}.`,
    );
  }
  if (gainDb > max) {
    throw new InvalidArgumentError(argument, `expected at most ${max} dB, got ${gainDb} dB.`);
  }
  return gainDb;
}

/**
 * A gain envelope on a sample clock: the gain of sample `i` (a per-channel sample index on the
 * mixer's timeline) is given by one ramp segment from `from` to `to` that starts at sample `start`
 * and lasts `length` samples. Before the segment the gain is `from`; from its last sample on it is
 * `to`. A new ramp starts from the gain of the sample before it, so the gain never jumps unless a
 * zero-length ramp is asked for.
 *
 * For a linear ramp the gain of consecutive samples differs by exactly `|to − from| / length`; for
 * the sine shapes by at most `π/2 · |to − from| / length`.
 * @internal
 */
export class GainEnvelope {
  private from: number;
  private to: number;
  private start = 0;
  private length = 0;
  private shape: RampShape = 'linear';

  /** @param initial - the linear gain before any ramp. */
  constructor(initial: number) {
    this.from = initial;
    this.to = initial;
  }

  /** The gain the envelope is heading to (or holding). */
  get target(): number {
    return this.to;
  }

  /** The linear gain applied to sample `index`. */
  valueAt(index: number): number {
    const step = index - this.start + 1;
    if (step >= this.length) return this.to;
    if (step <= 0) return this.from;
    const progress = step / this.length;
    return this.from + (this.to - this.from) * shapeAt(this.shape, progress);
  }

  /**
   * Starts a ramp whose first sample is `position`, from the gain of sample `position − 1` to
   * `target`, over `length` samples (0 = jump at `position`).
   */
  rampTo(target: number, position: number, length: number, shape: RampShape = 'linear'): void {
    this.from = this.valueAt(position - 1);
    this.to = target;
    this.start = position;
    this.length = Math.max(0, Math.round(length));
    this.shape = shape;
  }

  /** Whether the gain is constant (equal to {@link GainEnvelope.target}) for every sample from `position` on. */
  isSettledAt(position: number): boolean {
    return position - this.start + 1 >= this.length || this.from === this.to;
  }
}

function shapeAt(shape: RampShape, progress: number): number {
  switch (shape) {
    case 'linear':
      return progress;
    case 'sine-in':
      return Math.sin((progress * Math.PI) / 2);
    case 'sine-out':
      return 1 - Math.cos((progress * Math.PI) / 2);
  }
}
