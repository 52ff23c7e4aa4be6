import { assertNumber } from '../internal/validate';
import {
  assertLatency,
  assertQuantile,
  lowerQuantileRank,
  type QuantileEstimator,
} from './quantile-estimator';

/**
 * Options of {@link SlidingWindowQuantile}.
 *
 * @example
 * ```ts
 * const options: SlidingWindowQuantileOptions = { windowSize: 200 }; // the last 200 turns
 * ```
 */
export interface SlidingWindowQuantileOptions {
  /**
   * How many of the most recent values the window holds, an integer from 1 to 65 536. Each insert
   * costs O(windowSize) (a binary search and a shift), so keep it small — a few hundred values.
   * Note that a {@link GuardBand} needs at least 59 values before it leaves its floor.
   */
  windowSize: number;
}

/**
 * Exact quantiles over the last `windowSize` values: a ring buffer in arrival order plus a sorted
 * copy kept up to date by binary search and shifting (O(windowSize) per insert, O(1) per quantile,
 * no allocation after construction). Use it where latencies drift and only recent behaviour should
 * count; use {@link QuantileSketch} for whole-session statistics.
 *
 * `quantile(q)` returns exactly `x⌊q·(n−1)⌋` of the values in the window (see
 * {@link QuantileEstimator}).
 *
 * @example
 * ```ts
 * import { SlidingWindowQuantile } from '@argentum/core';
 *
 * const recent = new SlidingWindowQuantile({ windowSize: 3 });
 * for (const latencyMs of [500, 100, 200, 300]) recent.record(latencyMs);
 * recent.count; // 3 — the 500 has left the window
 * recent.max; // 300
 * recent.quantile(0.5); // 200
 * ```
 */
export class SlidingWindowQuantile implements QuantileEstimator {
  /** How many of the most recent values the window holds. */
  readonly windowSize: number;
  private readonly arrivals: Float64Array;
  private readonly sorted: Float64Array;
  /** Position in `arrivals` of the oldest value. */
  private head = 0;
  private size = 0;

  /**
   * @param options - the window size.
   * @throws InvalidArgumentError when `windowSize` is not an integer in 1..65 536.
   */
  constructor(options: SlidingWindowQuantileOptions) {
    this.windowSize = assertNumber('windowSize', options.windowSize, { min: 1, max: 65_536, integer: true });
    this.arrivals = new Float64Array(this.windowSize);
    this.sorted = new Float64Array(this.windowSize);
  }

  /** How many values are in the window now (≤ `windowSize`). */
  get count(): number {
    return this.size;
  }

  /** The smallest value in the window; `NaN` when empty. */
  get min(): number {
    return this.size === 0 ? Number.NaN : this.sorted[0]!;
  }

  /** The largest value in the window; `NaN` when empty. */
  get max(): number {
    return this.size === 0 ? Number.NaN : this.sorted[this.size - 1]!;
  }

  /** The mean of the values in the window (summed on read, O(windowSize)); `NaN` when empty. */
  get mean(): number {
    if (this.size === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.size; i++) sum += this.sorted[i]!;
    return sum / this.size;
  }

  /**
   * Adds a value, evicting the oldest one when the window is full. Allocation-free.
   *
   * @param valueMs - a finite value ≥ 0.
   * @throws InvalidArgumentError for NaN, ±Infinity or a negative value.
   * @example
   * ```ts
   * recent.record(212);
   * ```
   */
  record(valueMs: number): void {
    assertLatency('valueMs', valueMs);
    if (this.size === this.windowSize) {
      const oldest = this.arrivals[this.head]!;
      this.arrivals[this.head] = valueMs;
      this.head = (this.head + 1) % this.windowSize;
      this.replaceSorted(oldest, valueMs);
      return;
    }
    this.arrivals[(this.head + this.size) % this.windowSize] = valueMs;
    const position = this.upperBound(valueMs, this.size);
    this.sorted.copyWithin(position + 1, position, this.size);
    this.sorted[position] = valueMs;
    this.size += 1;
  }

  /**
   * The exact lower sample quantile `x⌊q·(n−1)⌋` of the window. O(1), allocation-free.
   *
   * @param q - the quantile in [0, 1].
   * @returns the value; `NaN` when empty.
   * @throws InvalidArgumentError when `q` is outside [0, 1].
   * @example
   * ```ts
   * const p95 = recent.quantile(0.95);
   * ```
   */
  quantile(q: number): number {
    assertQuantile(q);
    if (this.size === 0) return Number.NaN;
    return this.sorted[lowerQuantileRank(q, this.size)]!;
  }

  /**
   * Empties the window.
   * @example
   * ```ts
   * recent.reset();
   * recent.count; // 0
   * ```
   */
  reset(): void {
    this.head = 0;
    this.size = 0;
  }

  /** Replaces one occurrence of `oldValue` in the full sorted array with `newValue`, keeping it sorted. */
  private replaceSorted(oldValue: number, newValue: number): void {
    const sorted = this.sorted;
    const removeAt = this.lowerBound(oldValue, this.size);
    if (newValue >= oldValue) {
      // Shift left the values in (removeAt, insertAt) and drop the new one in behind them.
      const insertAt = this.upperBound(newValue, this.size);
      sorted.copyWithin(removeAt, removeAt + 1, insertAt);
      sorted[insertAt - 1] = newValue;
    } else {
      const insertAt = this.upperBound(newValue, removeAt);
      sorted.copyWithin(insertAt + 1, insertAt, removeAt);
      sorted[insertAt] = newValue;
    }
  }

  /** First position in `sorted[0..end)` whose value is ≥ `value`. */
  private lowerBound(value: number, end: number): number {
    let low = 0;
    let high = end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First position in `sorted[0..end)` whose value is > `value`. */
  private upperBound(value: number, end: number): number {
    let low = 0;
    let high = end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]! <= value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
