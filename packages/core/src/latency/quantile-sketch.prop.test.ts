import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './quantile-sketch';
import { drawLatencies, type LatencyDistribution, seededRandom } from './seeded-distributions.test-support';

/*
 * Accuracy of the sketch against the exact lower sample quantile x⌊q·(n−1)⌋.
 *
 * Parameters: 4 distributions × 40 runs (numRuns: 40). Per run fast-check picks a 32-bit seed, the
 * sample size n (half the time from [1, 2000], half from [10 000, 100 000]) and the distribution's
 * parameters; samples are drawn with a seeded
 * mulberry32 generator. Checked quantiles: 0, 0.5, 0.9, 0.95, 0.99, 1 and one random q. Bound: the
 * sketch's stated relative accuracy α = 0.005 (default) with a 10⁻⁹ relative allowance for float
 * rounding at bucket boundaries; values below minIndexableValueMs (1 µs) may be off by < 1 µs.
 * maxBucketCount is raised to 8192 (a span of e⁸² ≈ 10³⁵) so that no run collapses — the guarantee
 * is stated for uncollapsed ranks, and collapsing has its own property below.
 *   uniform:     [lowMs, lowMs + widthMs], lowMs ∈ [0, 500], widthMs ∈ [1, 5000]
 *   log-normal:  median ∈ [20, 2000] ms, σ ∈ [0.05, 2]
 *   bimodal:     two log-normals, medians ∈ [50, 300] and [400, 3000] ms, slow share ∈ [0.01, 0.5], σ ∈ [0.05, 0.6]
 *   Pareto:      scale ∈ [10, 500] ms, shape ∈ [0.8, 3] (shape ≤ 1: infinite mean)
 */
const RELATIVE_ACCURACY = 0.005;
const MIN_INDEXABLE_MS = 0.001;

const distributions: Record<string, fc.Arbitrary<LatencyDistribution>> = {
  uniform: fc
    .record({
      lowMs: fc.double({ min: 0, max: 500, noNaN: true }),
      widthMs: fc.double({ min: 1, max: 5000, noNaN: true }),
    })
    .map(({ lowMs, widthMs }) => ({ kind: 'uniform', lowMs, highMs: lowMs + widthMs })),
  'log-normal': fc
    .record({
      medianMs: fc.double({ min: 20, max: 2000, noNaN: true }),
      sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
    })
    .map((parameters) => ({ kind: 'log-normal', ...parameters })),
  bimodal: fc
    .record({
      fastMedianMs: fc.double({ min: 50, max: 300, noNaN: true }),
      slowMedianMs: fc.double({ min: 400, max: 3000, noNaN: true }),
      slowShare: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
      sigma: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
    })
    .map((parameters) => ({ kind: 'bimodal', ...parameters })),
  pareto: fc
    .record({
      scaleMs: fc.double({ min: 10, max: 500, noNaN: true }),
      shape: fc.double({ min: 0.8, max: 3, noNaN: true }),
    })
    .map((parameters) => ({ kind: 'pareto', ...parameters })),
};

function allowedError(exact: number): number {
  return exact < MIN_INDEXABLE_MS ? MIN_INDEXABLE_MS : RELATIVE_ACCURACY * exact * (1 + 1e-9);
}

describe('QuantileSketch accuracy (property)', () => {
  for (const [name, distribution] of Object.entries(distributions)) {
    it(`stays within ±${RELATIVE_ACCURACY * 100} % of the exact quantiles on ${name} latencies`, () => {
      fc.assert(
        fc.property(
          distribution,
          fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 10_000, max: 100_000 })),
          fc.integer(),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (shape, size, seed, randomQ) => {
            const samples = drawLatencies(shape, size, seededRandom(seed));
            const sketch = new QuantileSketch({ relativeAccuracy: RELATIVE_ACCURACY, maxBucketCount: 8192 });
            for (const value of samples) sketch.record(value);
            const sorted = Float64Array.from(samples).sort();
            for (const q of [0, 0.5, 0.9, 0.95, 0.99, 1, randomQ]) {
              const exact = sorted[Math.floor(q * (size - 1))]!;
              const estimate = sketch.quantile(q);
              expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(allowedError(exact));
            }
            expect(sketch.min).toBe(sorted[0]);
            expect(sketch.max).toBe(sorted[size - 1]);
            expect(sketch.count).toBe(size);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  // numRuns 100; up to 2 000 values split at random between two sketches; 8 quantiles compared.
  it('merging two sketches gives exactly the sketch of the combined stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.boolean()), { maxLength: 2000 }),
        (values) => {
          const left = new QuantileSketch();
          const right = new QuantileSketch();
          const whole = new QuantileSketch();
          for (const [value, toLeft] of values) {
            (toLeft ? left : right).record(value);
            whole.record(value);
          }
          left.merge(right);
          expect(left.count).toBe(whole.count);
          for (const q of [0, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]) {
            if (whole.count === 0) expect(left.quantile(q)).toBeNaN();
            else expect(left.quantile(q)).toBe(whole.quantile(q));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  // numRuns 100; up to 500 values over 12 orders of magnitude in random order; 2–64 buckets, so
  // collapsing is frequent. Model of the documented effect: with h = ⌈log_γ max⌉ the kept buckets are
  // h−m+1 … h; a rank whose value lies in a kept bucket keeps the ±α guarantee, a rank below them is
  // reported as the lowest kept bucket's value 2γ^(h−m+1)/(γ+1) (clamped to [min, max]).
  it('never exceeds maxBucketCount, and collapsing only merges the lowest buckets as documented', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-4, max: 1e8, noNaN: true }), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 2, max: 64 }),
        (values, maxBucketCount) => {
          const sketch = new QuantileSketch({ maxBucketCount });
          for (const value of values) {
            sketch.record(value);
            expect(sketch.bucketCount).toBeLessThanOrEqual(maxBucketCount);
          }
          const sorted = [...values].sort((a, b) => a - b);
          const minimum = sorted[0]!;
          const maximum = sorted[sorted.length - 1]!;
          expect(sketch.count).toBe(values.length);
          expect(sketch.min).toBe(minimum);
          expect(sketch.max).toBe(maximum);
          const gamma = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
          const bucketOf = (value: number) => Math.ceil(Math.log(value) * (1 / Math.log(gamma)));
          const lowestKept = bucketOf(maximum) - maxBucketCount + 1;
          const collapsedEstimate = Math.min(
            maximum,
            Math.max(minimum, Math.exp(lowestKept * Math.log(gamma)) * (2 / (gamma + 1))),
          );
          for (let rank = 0; rank < sorted.length; rank++) {
            const exact = sorted[rank]!;
            if (exact < MIN_INDEXABLE_MS) continue;
            const q = sorted.length === 1 ? 0 : rank / (sorted.length - 1);
            if (Math.floor(q * (sorted.length - 1)) !== rank) continue; // q's float rounding picked another rank
            const estimate = sketch.quantile(q);
            if (bucketOf(exact) >= lowestKept) {
              expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(allowedError(exact));
            } else {
              expect(sketch.hasCollapsed).toBe(true);
              expect(estimate).toBeCloseTo(collapsedEstimate, 9);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  // numRuns 100; up to 300 values; quantile estimates must be non-decreasing in q.
  it('gives quantile estimates that never decrease as q grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (values, qs) => {
          const sketch = new QuantileSketch();
          for (const value of values) sketch.record(value);
          const estimates = [...qs].sort((a, b) => a - b).map((q) => sketch.quantile(q));
          for (let i = 1; i < estimates.length; i++)
            expect(estimates[i]!).toBeGreaterThanOrEqual(estimates[i - 1]!);
        },
      ),
      { numRuns: 100 },
    );
  });
});
