import { assertNumber, type NumberBounds } from '../internal/validate';

/**
 * Read access to quantile statistics: what a {@link GuardBand} or a dashboard needs, without the
 * right to record or reset. Every {@link QuantileEstimator} is one.
 *
 * **Which quantile.** Implementations report the *lower* sample quantile: for `count = n` values
 * sorted ascending `x₀ ≤ … ≤ xₙ₋₁`, `quantile(q)` is (an estimate of) `x⌊q·(n−1)⌋`. So
 * `quantile(0)` is the minimum and `quantile(1)` the maximum.
 *
 * @example
 * ```ts
 * import { LatencyProfiler, type QuantileReader } from '@argentum/core';
 *
 * const profiler = new LatencyProfiler();
 * profiler.record('first-chunk', 240);
 * const firstChunk: QuantileReader = profiler.estimator('first-chunk');
 * console.log(firstChunk.count, firstChunk.quantile(0.95)); // 1 240
 * ```
 */
export interface QuantileReader {
  /**
   * The (estimated) lower sample quantile `x⌊q·(n−1)⌋`; `NaN` when nothing was recorded.
   * Allocation-free.
   * @param q - the quantile, 0 ≤ q ≤ 1 (0.95 for p95); throws `InvalidArgumentError` otherwise.
   */
  quantile(q: number): number;
  /** How many values the estimate covers (for a sliding window: the values currently in it). */
  readonly count: number;
  /** The smallest value covered, exact; `NaN` when empty. */
  readonly min: number;
  /** The largest value covered, exact; `NaN` when empty. */
  readonly max: number;
  /** The arithmetic mean of the values covered, exact up to float rounding; `NaN` when empty. */
  readonly mean: number;
}

/**
 * A streaming estimator of the quantiles of a stream of non-negative values (latencies in ms).
 *
 * Two implementations share this interface: {@link QuantileSketch} (bounded memory, relative-error
 * guarantee, mergeable; for unbounded streams) and {@link SlidingWindowQuantile} (exact, over the last
 * N values; for small windows that must forget the past). Both report the lower sample quantile
 * (see {@link QuantileReader}). Recording and reading allocate nothing.
 *
 * @example
 * ```ts
 * import { QuantileSketch, SlidingWindowQuantile, type QuantileEstimator } from '@argentum/core';
 *
 * const estimators: QuantileEstimator[] = [new QuantileSketch(), new SlidingWindowQuantile({ windowSize: 100 })];
 * for (const estimator of estimators) {
 *   for (const latencyMs of [120, 180, 95, 400]) estimator.record(latencyMs);
 *   console.log(estimator.count, estimator.quantile(0.5), estimator.min, estimator.max);
 * }
 * ```
 */
export interface QuantileEstimator extends QuantileReader {
  /**
   * Adds one value. Allocation-free.
   * @param valueMs - a finite value ≥ 0 (throws `InvalidArgumentError` otherwise).
   */
  record(valueMs: number): void;
  /** Forgets every value. */
  reset(): void;
}

/**
 * The 0-based rank of the lower sample quantile `q` among `count` sorted values: `⌊q·(count−1)⌋`.
 * @internal
 */
export function lowerQuantileRank(q: number, count: number): number {
  return Math.floor(q * (count - 1));
}

const QUANTILE_BOUNDS: NumberBounds = { min: 0, max: 1 };
const NON_NEGATIVE_BOUNDS: NumberBounds = { min: 0 };

/**
 * Throws an `InvalidArgumentError` unless `q` is a number in [0, 1]. Allocation-free.
 * @internal
 */
export function assertQuantile(q: number): void {
  // Checked inline so that the valid path makes no call (a non-inlined call would box the double).
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) assertNumber('q', q, QUANTILE_BOUNDS);
}

/**
 * Throws an `InvalidArgumentError` unless `valueMs` is a finite number ≥ 0. Allocation-free.
 * @internal
 */
export function assertLatency(argument: string, valueMs: number): void {
  if (typeof valueMs !== 'number' || !(valueMs >= 0) || valueMs === Number.POSITIVE_INFINITY) {
    assertNumber(argument, valueMs, NON_NEGATIVE_BOUNDS);
  }
}
