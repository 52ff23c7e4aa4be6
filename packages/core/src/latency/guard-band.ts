import { assertNumber, type NumberBounds } from '../internal/validate';
import type { QuantileReader } from './quantile-estimator';

/**
 * Options of {@link GuardBand} and {@link commitGuardMs}.
 *
 * @example
 * ```ts
 * const options: GuardBandOptions = { floorMs: 150, bufferMs: 40 }; // p95 + 40 ms, never under 150 ms
 * ```
 */
export interface GuardBandOptions {
  /** The least guard, ms ≥ 0: used until enough samples exist, and whenever it is larger. */
  floorMs: number;
  /** Safety margin added to the quantile, ms ≥ 0. Defaults to 0. */
  bufferMs?: number;
  /** Which latency quantile to guard against, 0 < q < 1. Defaults to 0.95 (p95). */
  quantile?: number;
  /**
   * How sure the sample must be able to make us that its maximum bounds the true quantile, 0 < c < 1.
   * Defaults to 0.95; with `quantile` 0.95 this requires 59 samples (see {@link requiredSampleCount}).
   */
  confidence?: number;
}

/**
 * Why a guard band has the value it has.
 *
 * @example
 * ```ts
 * const decision: GuardBandDecision = guard.evaluate();
 * if (decision.reason === 'insufficient-samples') console.log(`${decision.sampleCount}/${decision.requiredSampleCount} samples`);
 * ```
 */
export interface GuardBandDecision {
  /** The guard, ms: how long before a committed beat the audio must be requested. */
  commitGuardMs: number;
  /**
   * `insufficient-samples`: fewer than `requiredSampleCount` samples, the floor rules;
   * `floor`: the floor is at least `quantileMs + bufferMs`; `quantile-plus-buffer`: the quantile plus the
   * buffer is above the floor.
   */
  reason: 'insufficient-samples' | 'floor' | 'quantile-plus-buffer';
  /** How many samples the estimate has. */
  sampleCount: number;
  /** How many samples it needs before the quantile is used. */
  requiredSampleCount: number;
  /** The estimated quantile, ms; `NaN` when the samples were insufficient. */
  quantileMs: number;
  /** The floor, ms. */
  floorMs: number;
  /** The buffer, ms. */
  bufferMs: number;
}

const NON_NEGATIVE: NumberBounds = { min: 0 };
const OPEN_UNIT: NumberBounds = { above: 0, max: 0.999_999 };

/**
 * The fewest samples `n` for which the sample maximum is a `confidence`-level upper bound of the true
 * `quantile`: the smallest `n` with `quantileⁿ < 1 − confidence`.
 *
 * Why: each independent sample falls below the true q-quantile with probability q, so all `n` do
 * (and the sample maximum underestimates the quantile) with probability qⁿ. For q = 0.95 and
 * confidence 0.95: 0.95⁵⁸ ≈ 0.0510 ≥ 0.05 but 0.95⁵⁹ ≈ 0.0485 < 0.05, so 59 samples. With fewer,
 * not even the largest sample is a 95 %-confident bound on p95, so an estimated p95 is not to be
 * trusted either.
 *
 * @param quantile - the quantile, 0 < q < 1.
 * @param confidence - the confidence, 0 < c < 1.
 * @returns the sample count.
 * @throws InvalidArgumentError when an argument is outside (0, 1).
 * @example
 * ```ts
 * requiredSampleCount(0.95, 0.95); // 59
 * requiredSampleCount(0.99, 0.95); // 299
 * ```
 */
export function requiredSampleCount(quantile: number, confidence: number): number {
  assertNumber('quantile', quantile, OPEN_UNIT);
  assertNumber('confidence', confidence, OPEN_UNIT);
  const tail = 1 - confidence;
  // Start from the closed form, then step to the exact smallest n (guards against log rounding).
  let n = Math.max(1, Math.ceil(Math.log(tail) / Math.log(quantile)));
  while (n > 1 && quantile ** (n - 1) < tail) n--;
  while (quantile ** n >= tail) n++;
  return n;
}

/**
 * The commit guard: `max(floorMs, quantile + bufferMs)` once `source` has at least
 * {@link requiredSampleCount} samples, `floorMs` before that.
 *
 * It is monotone: if only values ≥ every earlier one are recorded, the result never decreases (the
 * sample count only grows, and both {@link QuantileSketch} and {@link SlidingWindowQuantile} never
 * lower a quantile under such inserts).
 *
 * @param source - the latency estimator, e.g. `profiler.estimator(FIRST_CHUNK_STAGE)`.
 * @param options - floor, buffer, quantile and confidence.
 * @returns the guard, ms.
 * @throws InvalidArgumentError when an option is out of range.
 * @example
 * ```ts
 * const guardMs = commitGuardMs(profiler.estimator(FIRST_CHUNK_STAGE), { floorMs: 150, bufferMs: 40 });
 * ```
 */
export function commitGuardMs(source: QuantileReader, options: GuardBandOptions): number {
  return new GuardBand(source, options).commitGuardMs;
}

/**
 * A guard band over a live latency estimator: how long before a committed beat the next audio must
 * be requested so that it is ready in time — `commitGuardMs = max(floorMs, p95 + bufferMs)`, with the
 * floor ruling until 59 samples exist (see {@link requiredSampleCount} for why 59).
 *
 * Reading {@link GuardBand.commitGuardMs} is allocation-free; {@link GuardBand.evaluate} also says why.
 * Monotone as described at {@link commitGuardMs}.
 *
 * @example
 * ```ts
 * import { GuardBand, LatencyProfiler, FIRST_CHUNK_STAGE } from '@argentum/core';
 *
 * const profiler = new LatencyProfiler();
 * const guard = new GuardBand(profiler.estimator(FIRST_CHUNK_STAGE), { floorMs: 150, bufferMs: 40 });
 * guard.commitGuardMs; // 150: no samples yet
 * for (let i = 0; i < 100; i++) profiler.record(FIRST_CHUNK_STAGE, 200 + i);
 * guard.evaluate(); // { commitGuardMs: ≈334 (p95 ≈ 294 + 40), reason: 'quantile-plus-buffer', … }
 * ```
 */
export class GuardBand {
  /** The floor, ms. */
  readonly floorMs: number;
  /** The buffer, ms. */
  readonly bufferMs: number;
  /** The guarded quantile. */
  readonly quantile: number;
  /** How many samples are needed before the quantile is used (59 by default). */
  readonly requiredSampleCount: number;
  private readonly source: QuantileReader;

  /**
   * @param source - the latency estimator to guard against; read live on every access.
   * @param options - floor, buffer, quantile and confidence.
   * @throws InvalidArgumentError when an option is out of range.
   */
  constructor(source: QuantileReader, options: GuardBandOptions) {
    this.source = source;
    this.floorMs = assertNumber('floorMs', options.floorMs, NON_NEGATIVE);
    this.bufferMs = assertNumber('bufferMs', options.bufferMs ?? 0, NON_NEGATIVE);
    this.quantile = options.quantile ?? 0.95;
    this.requiredSampleCount = requiredSampleCount(this.quantile, options.confidence ?? 0.95);
  }

  /**
   * The current guard in ms. Allocation-free.
   * @example
   * ```ts
   * const requestAtMs = nextBeatAtMs - guard.commitGuardMs;
   * ```
   */
  get commitGuardMs(): number {
    if (this.source.count < this.requiredSampleCount) return this.floorMs;
    const guardedMs = this.source.quantile(this.quantile) + this.bufferMs;
    return guardedMs > this.floorMs ? guardedMs : this.floorMs;
  }

  /**
   * The current guard with its explanation.
   *
   * @returns the {@link GuardBandDecision}.
   * @example
   * ```ts
   * const { commitGuardMs, reason } = guard.evaluate();
   * ```
   */
  evaluate(): GuardBandDecision {
    const sampleCount = this.source.count;
    const common = {
      sampleCount,
      requiredSampleCount: this.requiredSampleCount,
      floorMs: this.floorMs,
      bufferMs: this.bufferMs,
    };
    if (sampleCount < this.requiredSampleCount) {
      return {
        ...common,
        commitGuardMs: this.floorMs,
        reason: 'insufficient-samples',
        quantileMs: Number.NaN,
      };
    }
    const quantileMs = this.source.quantile(this.quantile);
    const guardedMs = quantileMs + this.bufferMs;
    return guardedMs > this.floorMs
      ? { ...common, commitGuardMs: guardedMs, reason: 'quantile-plus-buffer', quantileMs }
      : { ...common, commitGuardMs: this.floorMs, reason: 'floor', quantileMs };
  }
}
