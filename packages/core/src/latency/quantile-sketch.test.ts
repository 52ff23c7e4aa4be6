import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/index';
import { QuantileSketch } from './quantile-sketch';

describe('QuantileSketch', () => {
  it('reports NaN statistics until something is recorded', () => {
    const sketch = new QuantileSketch();
    expect(sketch.count).toBe(0);
    expect(sketch.quantile(0.95)).toBeNaN();
    expect(sketch.min).toBeNaN();
    expect(sketch.max).toBeNaN();
    expect(sketch.mean).toBeNaN();
  });

  it('answers exact min, max and mean and quantiles within the relative accuracy', () => {
    const sketch = new QuantileSketch({ relativeAccuracy: 0.01 });
    for (let value = 1; value <= 1000; value++) sketch.record(value);
    expect(sketch.count).toBe(1000);
    expect(sketch.min).toBe(1);
    expect(sketch.max).toBe(1000);
    expect(sketch.mean).toBeCloseTo(500.5, 9);
    // Lower quantile: rank ⌊0.95·999⌋ = 949 → the value 950.
    expect(Math.abs(sketch.quantile(0.95) - 950)).toBeLessThanOrEqual(9.5);
    expect(sketch.quantile(0)).toBe(1);
    expect(sketch.quantile(1)).toBe(1000);
  });

  it('counts zero and values below the indexable minimum in the zero bucket', () => {
    const sketch = new QuantileSketch({ minIndexableValueMs: 0.01 });
    for (const value of [0, 0, 0.001, 0.005, 50, 60]) sketch.record(value);
    expect(sketch.count).toBe(6);
    expect(new QuantileSketch({ minIndexableValueMs: 0.01 }).bucketCount).toBe(0);
    // Ranks 0–3 are in the zero bucket and reported as the exact minimum.
    expect(sketch.quantile(0.5)).toBe(0);
    expect(Math.abs(sketch.quantile(1) - 60)).toBeLessThanOrEqual(0.3);
    expect(sketch.max).toBe(60);
  });

  it('handles tiny and huge values together without losing the guarantee', () => {
    const sketch = new QuantileSketch();
    // 1 µs to 10⁵ ms is 10⁸: within the 2048 default buckets (which span ≈ 8·10⁸).
    for (const value of [1e-3, 2e-3, 3e4, 1e5]) sketch.record(value);
    expect(sketch.hasCollapsed).toBe(false);
    expect(Math.abs(sketch.quantile(1 / 3) - 2e-3)).toBeLessThanOrEqual(2e-3 * 0.005);
    expect(Math.abs(sketch.quantile(2 / 3) - 3e4)).toBeLessThanOrEqual(3e4 * 0.005);
  });

  it('keeps at most maxBucketCount buckets by collapsing the lowest ones, overestimating only low quantiles', () => {
    const sketch = new QuantileSketch({ relativeAccuracy: 0.01, maxBucketCount: 50 });
    // 1..10⁴ spans ln(10⁴)/ln(1.0202) ≈ 461 buckets; only the top 50 can be kept.
    for (let value = 1; value <= 10_000; value++) sketch.record(value);
    expect(sketch.bucketCount).toBe(50);
    expect(sketch.hasCollapsed).toBe(true);
    expect(sketch.count).toBe(10_000);
    // γ⁴⁹ ≈ 2.66: the kept buckets cover roughly (10⁴/2.7, 10⁴]; the p99 is among them.
    expect(Math.abs(sketch.quantile(0.99) - 9900)).toBeLessThanOrEqual(99);
    // The median (5000) is among them too; the p10 (1000) is not and is overestimated.
    expect(Math.abs(sketch.quantile(0.5) - 5000)).toBeLessThanOrEqual(50);
    expect(sketch.quantile(0.1)).toBeGreaterThan(1000 * 1.01);
    expect(sketch.min).toBe(1);
  });

  it('merges sketches into the sketch of the union', () => {
    const left = new QuantileSketch();
    const right = new QuantileSketch();
    const whole = new QuantileSketch();
    for (let i = 0; i < 500; i++) {
      const value = 10 + ((i * 7919) % 1000);
      (i % 2 === 0 ? left : right).record(value);
      whole.record(value);
    }
    left.merge(right);
    expect(left.count).toBe(whole.count);
    for (const q of [0, 0.1, 0.5, 0.95, 0.99, 1]) expect(left.quantile(q)).toBe(whole.quantile(q));
    expect(right.count).toBe(250);
  });

  it('merges a sketch into itself as if every value came twice', () => {
    const sketch = new QuantileSketch();
    for (const value of [1, 2, 3, 4]) sketch.record(value);
    sketch.merge(sketch);
    expect(sketch.count).toBe(8);
    expect(sketch.mean).toBe(2.5);
    expect(Math.abs(sketch.quantile(0.5) - 2)).toBeLessThanOrEqual(0.01);
  });

  it('refuses to merge sketches of different accuracy', () => {
    const coarse = new QuantileSketch({ relativeAccuracy: 0.02 });
    expect(() => new QuantileSketch().merge(coarse)).toThrowError(InvalidArgumentError);
    expect(() => new QuantileSketch().merge(coarse)).toThrowError(/same options/);
  });

  it('forgets everything on reset', () => {
    const sketch = new QuantileSketch();
    sketch.record(100);
    sketch.reset();
    expect(sketch.count).toBe(0);
    expect(sketch.quantile(0.5)).toBeNaN();
    sketch.record(7);
    expect(sketch.quantile(0.5)).toBe(7);
  });

  it('rejects values and options that make no sense', () => {
    const sketch = new QuantileSketch();
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expect(() => sketch.record(bad)).toThrowError(InvalidArgumentError);
    }
    expect(() => sketch.quantile(1.5)).toThrowError(/Invalid q/);
    expect(() => new QuantileSketch({ relativeAccuracy: 0 })).toThrowError(/relativeAccuracy/);
    expect(() => new QuantileSketch({ maxBucketCount: 1.5 })).toThrowError(/maxBucketCount/);
    expect(() => new QuantileSketch({ minIndexableValueMs: 0 })).toThrowError(/minIndexableValueMs/);
    expect(sketch.count).toBe(0);
  });
});
