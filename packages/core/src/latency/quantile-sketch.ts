import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import {
  assertLatency,
  assertQuantile,
  lowerQuantileRank,
  type QuantileEstimator,
} from './quantile-estimator';

/**
 * Options of {@link QuantileSketch}.
 *
 * @example
 * ```ts
 * const options: QuantileSketchOptions = { relativeAccuracy: 0.01, maxBucketCount: 1024 }; // ±1 %, ≤ 8 KiB
 * ```
 */
export interface QuantileSketchOptions {
  /**
   * The relative accuracy α, 0 < α ≤ 0.5: every quantile estimate is within `α·x` of the true sample
   * quantile `x`. Defaults to 0.005 (0.5 %), half of the 1 % the guard band needs. Memory grows like
   * `ln(max/min) / (2α)` buckets.
   */
  relativeAccuracy?: number;
  /**
   * The most buckets the sketch keeps, an integer ≥ 2; defaults to 2048. With the default accuracy
   * 2048 buckets span values from `x` to `8·10⁸·x` before anything collapses. Past it the lowest
   * buckets are merged (see {@link QuantileSketch}).
   */
  maxBucketCount?: number;
  /**
   * Values below this (including 0) go to a zero bucket and are reported as the sketch's exact
   * minimum; defaults to 0.001 ms (1 µs). Must be > 0.
   */
  minIndexableValueMs?: number;
}

const INITIAL_CAPACITY = 128;

/**
 * A streaming quantile sketch with a relative-error guarantee (the DDSketch construction of
 * Masson, Rim & Lee, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
 * guarantees", VLDB 2019), written for latencies in milliseconds.
 *
 * **How it works.** With `γ = (1+α)/(1−α)`, a value `x` goes to bucket `i = ⌈log_γ x⌉`, which
 * holds the values in `(γ^(i−1), γ^i]`. A quantile is answered by walking the bucket counts to
 * the bucket holding the wanted rank and returning `2γ^i/(γ+1)`, which is within a factor `1 ± α`
 * of every value in the bucket; the answer is then clamped to the exact `[min, max]`.
 *
 * **Guarantee.** For every `q`, `|quantile(q) − x| ≤ α·x` where `x = x⌊q·(n−1)⌋` is the lower
 * sample quantile (up to float rounding, ~10⁻¹² relative), provided the sketch has not collapsed
 * below that rank and `x ≥ minIndexableValueMs`; values below `minIndexableValueMs` are reported as
 * the exact minimum (absolute error < `minIndexableValueMs`).
 *
 * **Monotone.** Adding a value never lowers any quantile estimate taken at the same `q` if the
 * value is ≥ every value recorded so far (the guard band relies on this).
 *
 * **Bounded memory.** At most `maxBucketCount` buckets (8 bytes each) are kept. When a new value
 * would widen the span past it, the lowest buckets are merged into the lowest bucket kept
 * ("collapsing"). Effect: quantiles whose rank falls among the collapsed values are *overestimated*
 * (reported as the lowest kept bucket's value); quantiles above them keep the guarantee. High
 * quantiles — the ones latency budgets use — are never affected.
 *
 * **Mergeable.** {@link QuantileSketch.merge} adds another sketch of the same accuracy; the result is
 * the sketch of the union of both streams.
 *
 * `record()` and `quantile()` allocate nothing once the bucket array has grown to the span of the
 * data (it doubles, up to `maxBucketCount`).
 *
 * @example
 * ```ts
 * import { QuantileSketch } from '@argentum/core';
 *
 * const sketch = new QuantileSketch({ relativeAccuracy: 0.005 });
 * for (let i = 1; i <= 1000; i++) sketch.record(i);
 * sketch.quantile(0.95); // ≈ 950 (exact: 950), guaranteed within ±0.5 %
 * sketch.count; // 1000
 * ```
 */
export class QuantileSketch implements QuantileEstimator {
  /** The relative accuracy α of every estimate. */
  readonly relativeAccuracy: number;
  /** The most buckets kept before the lowest ones collapse. */
  readonly maxBucketCount: number;
  /** Values below this are counted in the zero bucket. */
  readonly minIndexableValueMs: number;

  private readonly logGamma: number;
  private readonly inverseLogGamma: number;
  private readonly bucketValueFactor: number;
  private counts: Float64Array;
  /** The bucket index stored at `counts[0]`. */
  private offset = 0;
  private lowestIndex = 0;
  private highestIndex = 0;
  private bucketedCount = 0;
  private zeroCount = 0;
  private total = 0;
  private sum = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = Number.NEGATIVE_INFINITY;
  private collapsed = false;

  /**
   * @param options - accuracy, memory bound and zero threshold.
   * @throws InvalidArgumentError when an option is out of range.
   */
  constructor(options: QuantileSketchOptions = {}) {
    this.relativeAccuracy = assertNumber('relativeAccuracy', options.relativeAccuracy ?? 0.005, {
      above: 0,
      max: 0.5,
    });
    this.maxBucketCount = assertNumber('maxBucketCount', options.maxBucketCount ?? 2048, {
      min: 2,
      integer: true,
    });
    this.minIndexableValueMs = assertNumber('minIndexableValueMs', options.minIndexableValueMs ?? 0.001, {
      above: 0,
    });
    const gamma = (1 + this.relativeAccuracy) / (1 - this.relativeAccuracy);
    this.logGamma = Math.log(gamma);
    this.inverseLogGamma = 1 / this.logGamma;
    this.bucketValueFactor = 2 / (gamma + 1);
    this.counts = new Float64Array(Math.min(INITIAL_CAPACITY, this.maxBucketCount));
  }

  /** How many values were recorded (or merged in). */
  get count(): number {
    return this.total;
  }

  /** The smallest value recorded, exact; `NaN` when empty. */
  get min(): number {
    return this.total === 0 ? Number.NaN : this.minimum;
  }

  /** The largest value recorded, exact; `NaN` when empty. */
  get max(): number {
    return this.total === 0 ? Number.NaN : this.maximum;
  }

  /** The mean of the values recorded; `NaN` when empty. */
  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sum / this.total;
  }

  /** How many buckets the recorded values span now (≤ `maxBucketCount`), not counting the zero bucket. */
  get bucketCount(): number {
    return this.bucketedCount === 0 ? 0 : this.highestIndex - this.lowestIndex + 1;
  }

  /** Whether the lowest buckets were ever collapsed, i.e. low quantiles may be overestimated. */
  get hasCollapsed(): boolean {
    return this.collapsed;
  }

  /**
   * Adds one value. Allocation-free.
   *
   * @param valueMs - a finite value ≥ 0.
   * @throws InvalidArgumentError for NaN, ±Infinity or a negative value.
   * @example
   * ```ts
   * const sketch = new QuantileSketch();
   * sketch.record(182.4);
   * ```
   */
  record(valueMs: number): void {
    assertLatency('valueMs', valueMs);
    this.total += 1;
    this.sum += valueMs;
    if (valueMs < this.minimum) this.minimum = valueMs;
    if (valueMs > this.maximum) this.maximum = valueMs;
    if (valueMs < this.minIndexableValueMs) {
      this.zeroCount += 1;
      return;
    }
    this.add(Math.ceil(Math.log(valueMs) * this.inverseLogGamma), 1);
  }

  /**
   * Estimates the lower sample quantile `x⌊q·(n−1)⌋` within the relative accuracy. Allocation-free;
   * O(number of buckets) in the worst case, walking from whichever end is nearer.
   *
   * @param q - the quantile in [0, 1].
   * @returns the estimate, clamped to the exact `[min, max]`; `NaN` when empty.
   * @throws InvalidArgumentError when `q` is outside [0, 1].
   * @example
   * ```ts
   * const p95 = sketch.quantile(0.95);
   * ```
   */
  quantile(q: number): number {
    assertQuantile(q);
    if (this.total === 0) return Number.NaN;
    const rank = lowerQuantileRank(q, this.total);
    if (rank < this.zeroCount) return this.minimum;
    const counts = this.counts;
    const offset = this.offset;
    let index = this.highestIndex;
    if (q <= 0.5) {
      let cumulative = this.zeroCount;
      for (index = this.lowestIndex; index < this.highestIndex; index++) {
        cumulative += counts[index - offset]!;
        if (cumulative > rank) break;
      }
    } else {
      const above = this.total - 1 - rank;
      let cumulative = 0;
      for (index = this.highestIndex; index > this.lowestIndex; index--) {
        cumulative += counts[index - offset]!;
        if (cumulative > above) break;
      }
    }
    const estimate = Math.exp(index * this.logGamma) * this.bucketValueFactor;
    return estimate < this.minimum ? this.minimum : estimate > this.maximum ? this.maximum : estimate;
  }

  /**
   * Adds every value of `other` to this sketch, as if they had been recorded here. `other` is
   * unchanged. The result keeps the relative-error guarantee (merging is exact on buckets).
   *
   * @param other - a sketch with the same `relativeAccuracy` and `minIndexableValueMs`.
   * @returns this sketch.
   * @throws InvalidArgumentError when the sketches' parameters differ.
   * @example
   * ```ts
   * const perSession = [new QuantileSketch(), new QuantileSketch()];
   * perSession[0].record(120);
   * perSession[1].record(340);
   * const overall = new QuantileSketch().merge(perSession[0]).merge(perSession[1]);
   * overall.count; // 2
   * ```
   */
  merge(other: QuantileSketch): this {
    if (
      other.relativeAccuracy !== this.relativeAccuracy ||
      other.minIndexableValueMs !== this.minIndexableValueMs
    ) {
      throw new InvalidArgumentError(
        'other',
        `cannot merge a sketch with relativeAccuracy ${other.relativeAccuracy} and minIndexableValueMs ${other.minIndexableValueMs} into one with ${this.relativeAccuracy} and ${this.minIndexableValueMs}: create both sketches with the same options.`,
      );
    }
    if (other.total === 0) return this;
    if (other === this) {
      for (let position = 0; position < this.counts.length; position++) this.counts[position]! *= 2;
      this.bucketedCount *= 2;
      this.zeroCount *= 2;
      this.total *= 2;
      this.sum *= 2;
      return this;
    }
    this.total += other.total;
    this.sum += other.sum;
    this.zeroCount += other.zeroCount;
    if (other.minimum < this.minimum) this.minimum = other.minimum;
    if (other.maximum > this.maximum) this.maximum = other.maximum;
    if (other.collapsed) this.collapsed = true;
    if (other.bucketedCount === 0) return this;
    for (let index = other.highestIndex; index >= other.lowestIndex; index--) {
      const weight = other.counts[index - other.offset]!;
      if (weight > 0) this.add(index, weight);
    }
    return this;
  }

  /**
   * Forgets every value (keeps the allocated buckets).
   * @example
   * ```ts
   * sketch.reset();
   * sketch.count; // 0
   * ```
   */
  reset(): void {
    this.counts.fill(0);
    this.bucketedCount = 0;
    this.zeroCount = 0;
    this.total = 0;
    this.sum = 0;
    this.minimum = Number.POSITIVE_INFINITY;
    this.maximum = Number.NEGATIVE_INFINITY;
    this.collapsed = false;
  }

  private add(bucketIndex: number, weight: number): void {
    let index = bucketIndex;
    if (this.bucketedCount === 0) {
      this.offset = index - (this.counts.length >> 1);
      this.lowestIndex = index;
      this.highestIndex = index;
    } else if (index < this.lowestIndex || index > this.highestIndex) {
      let low = index < this.lowestIndex ? index : this.lowestIndex;
      const high = index > this.highestIndex ? index : this.highestIndex;
      let collapsedWeight = 0;
      if (high - low + 1 > this.maxBucketCount) {
        low = high - this.maxBucketCount + 1;
        const lastCollapsed = low - 1 < this.highestIndex ? low - 1 : this.highestIndex;
        for (let i = this.lowestIndex; i <= lastCollapsed; i++) {
          collapsedWeight += this.counts[i - this.offset]!;
          this.counts[i - this.offset] = 0;
        }
        if (this.lowestIndex < low) this.lowestIndex = low;
        if (index < low) index = low;
        this.collapsed = true;
      }
      this.makeRoom(low, high);
      this.lowestIndex = low;
      this.highestIndex = high;
      this.counts[low - this.offset]! += collapsedWeight;
    }
    this.counts[index - this.offset]! += weight;
    this.bucketedCount += weight;
  }

  /**
   * Re-lays the bucket array so that bucket indices `low..high` fit, keeping the occupied buckets
   * `max(lowestIndex, low)..highestIndex` (every other slot is zero).
   */
  private makeRoom(low: number, high: number): void {
    const length = this.counts.length;
    if (low >= this.offset && high < this.offset + length) return;
    const span = high - low + 1;
    const newLength = span <= length ? length : Math.min(this.maxBucketCount, Math.max(2 * length, span));
    const newOffset = low - ((newLength - span) >> 1);
    const keptLow = this.lowestIndex > low ? this.lowestIndex : low;
    const keptHigh = this.highestIndex;
    if (newLength !== length) {
      const grown = new Float64Array(newLength);
      if (keptLow <= keptHigh) {
        grown.set(
          this.counts.subarray(keptLow - this.offset, keptHigh - this.offset + 1),
          keptLow - newOffset,
        );
      }
      this.counts = grown;
    } else if (keptLow <= keptHigh) {
      const start = keptLow - newOffset;
      const end = keptHigh - newOffset + 1;
      this.counts.copyWithin(start, keptLow - this.offset, keptHigh - this.offset + 1);
      this.counts.fill(0, 0, start);
      this.counts.fill(0, end);
    } else {
      this.counts.fill(0);
    }
    this.offset = newOffset;
  }
}
