import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/index';
import { commitGuardMs, GuardBand, requiredSampleCount } from './guard-band';
import { QuantileSketch } from './quantile-sketch';
import { SlidingWindowQuantile } from './sliding-window-quantile';

describe('requiredSampleCount', () => {
  it('is the smallest n with qⁿ < 1 − confidence', () => {
    expect(requiredSampleCount(0.95, 0.95)).toBe(59);
    expect(0.95 ** 59).toBeLessThan(0.05);
    expect(0.95 ** 58).toBeGreaterThanOrEqual(0.05);
    expect(requiredSampleCount(0.99, 0.95)).toBe(299);
    expect(requiredSampleCount(0.5, 0.75)).toBe(3); // 0.5² = 0.25 is not < 0.25
  });

  it('rejects quantiles and confidences outside (0, 1)', () => {
    expect(() => requiredSampleCount(1, 0.95)).toThrowError(InvalidArgumentError);
    expect(() => requiredSampleCount(0.95, 0)).toThrowError(/confidence/);
  });
});

describe('GuardBand', () => {
  it('holds the floor until 59 samples, then uses p95 + buffer', () => {
    const latencies = new SlidingWindowQuantile({ windowSize: 200 });
    const guard = new GuardBand(latencies, { floorMs: 100, bufferMs: 25 });
    for (let i = 0; i < 58; i++) latencies.record(400);
    expect(guard.commitGuardMs).toBe(100);
    expect(guard.evaluate()).toMatchObject({
      reason: 'insufficient-samples',
      sampleCount: 58,
      requiredSampleCount: 59,
    });
    latencies.record(400);
    expect(guard.commitGuardMs).toBe(425);
    expect(guard.evaluate()).toEqual({
      commitGuardMs: 425,
      reason: 'quantile-plus-buffer',
      sampleCount: 59,
      requiredSampleCount: 59,
      quantileMs: 400,
      floorMs: 100,
      bufferMs: 25,
    });
  });

  it('keeps the floor when the latencies are below it', () => {
    const latencies = new QuantileSketch();
    for (let i = 0; i < 100; i++) latencies.record(10);
    expect(commitGuardMs(latencies, { floorMs: 80, bufferMs: 5 })).toBe(80);
    expect(new GuardBand(latencies, { floorMs: 80 }).evaluate().reason).toBe('floor');
  });

  it('follows a custom quantile and confidence', () => {
    const latencies = new SlidingWindowQuantile({ windowSize: 1000 });
    for (let i = 1; i <= 298; i++) latencies.record(i);
    const guard = new GuardBand(latencies, { floorMs: 0, quantile: 0.99 });
    expect(guard.requiredSampleCount).toBe(299);
    expect(guard.commitGuardMs).toBe(0);
    latencies.record(299);
    expect(guard.commitGuardMs).toBe(296); // rank ⌊0.99·298⌋ = 295 holds the value 296
  });

  it('rejects negative floors and buffers', () => {
    const latencies = new QuantileSketch();
    expect(() => new GuardBand(latencies, { floorMs: -1 })).toThrowError(/floorMs/);
    expect(() => new GuardBand(latencies, { floorMs: 0, bufferMs: Number.NaN })).toThrowError(/bufferMs/);
  });
});
