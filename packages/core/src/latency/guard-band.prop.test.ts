import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuardBand } from './guard-band';
import type { QuantileEstimator } from './quantile-estimator';
import { QuantileSketch } from './quantile-sketch';
import { drawLatencies, seededRandom } from './seeded-distributions.test-support';
import { SlidingWindowQuantile } from './sliding-window-quantile';

const floorMs = fc.double({ min: 0, max: 2000, noNaN: true });
const bufferMs = fc.double({ min: 0, max: 500, noNaN: true });

/** The estimators under test: the default sketch, a tiny sketch that collapses, an exact window. */
const estimator = fc.constantFrom<[string, () => QuantileEstimator]>(
  ['sketch', () => new QuantileSketch()],
  ['collapsing sketch (8 buckets)', () => new QuantileSketch({ maxBucketCount: 8 })],
  ['window of 100', () => new SlidingWindowQuantile({ windowSize: 100 })],
);

describe('GuardBand (property)', () => {
  // numRuns 200; 0–58 log-normal samples (median 50–1000 ms, σ 0.1–1.5, seeded); random floor 0–2000 ms
  // and buffer 0–500 ms: the floor must rule whatever the samples say.
  it('is exactly the floor below 59 samples', () => {
    fc.assert(
      fc.property(
        estimator,
        fc.integer({ min: 0, max: 58 }),
        fc.integer(),
        fc.double({ min: 50, max: 1000, noNaN: true }),
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        floorMs,
        bufferMs,
        ([, create], count, seed, medianMs, sigma, floor, buffer) => {
          const latencies = create();
          const guard = new GuardBand(latencies, { floorMs: floor, bufferMs: buffer });
          for (const value of drawLatencies(
            { kind: 'log-normal', medianMs, sigma },
            count,
            seededRandom(seed),
          )) {
            latencies.record(value);
            expect(guard.commitGuardMs).toBe(floor);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  // numRuns 200; a seeded log-normal history of 0–300 samples, then 1–300 appended values, each the
  // current maximum plus an increment that is 0 (a tie) a third of the time, else 0–200 ms. After
  // every append neither the guard nor the estimator's p95 may decrease. Runs on all three estimators.
  it('never decreases while only values ≥ every earlier one are added (and neither does p95)', () => {
    fc.assert(
      fc.property(
        estimator,
        fc.integer({ min: 0, max: 300 }),
        fc.integer(),
        fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 200, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        floorMs,
        bufferMs,
        ([, create], historyLength, seed, increments, floor, buffer) => {
          const latencies = create();
          const guard = new GuardBand(latencies, { floorMs: floor, bufferMs: buffer });
          let maxMs = 0;
          for (const value of drawLatencies(
            { kind: 'log-normal', medianMs: 300, sigma: 0.6 },
            historyLength,
            seededRandom(seed),
          )) {
            latencies.record(value);
            maxMs = Math.max(maxMs, value);
          }
          let previousGuardMs = guard.commitGuardMs;
          let previousP95 = latencies.count === 0 ? Number.NEGATIVE_INFINITY : latencies.quantile(0.95);
          for (const increment of increments) {
            maxMs += increment;
            latencies.record(maxMs);
            const guardMs = guard.commitGuardMs;
            const p95 = latencies.quantile(0.95);
            expect(guardMs).toBeGreaterThanOrEqual(previousGuardMs);
            expect(p95).toBeGreaterThanOrEqual(previousP95);
            expect(guardMs).toBeGreaterThanOrEqual(floor);
            previousGuardMs = guardMs;
            previousP95 = p95;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  // numRuns 100; 59–2000 samples from a seeded log-normal; from 59 samples on the guard equals
  // max(floor, estimator p95 + buffer).
  it('is max(floor, p95 + buffer) from 59 samples on', () => {
    fc.assert(
      fc.property(
        estimator,
        fc.integer({ min: 59, max: 2000 }),
        fc.integer(),
        floorMs,
        bufferMs,
        ([, create], count, seed, floor, buffer) => {
          const latencies = create();
          for (const value of drawLatencies(
            { kind: 'log-normal', medianMs: 400, sigma: 0.5 },
            count,
            seededRandom(seed),
          )) {
            latencies.record(value);
          }
          const guard = new GuardBand(latencies, { floorMs: floor, bufferMs: buffer });
          if (latencies.count < 59) expect(guard.commitGuardMs).toBe(floor);
          else expect(guard.commitGuardMs).toBe(Math.max(floor, latencies.quantile(0.95) + buffer));
        },
      ),
      { numRuns: 100 },
    );
  });
});
