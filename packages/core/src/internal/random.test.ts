import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createRandom } from './random';

describe('createRandom', () => {
  it('replays the same sequence from the same seed and differs across seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('is uniform on [0, 1): 10⁵ draws fill 10 bins within 4σ and never leave the interval', () => {
    const random = createRandom(-7);
    const bins = new Array<number>(10).fill(0);
    const draws = 100_000;
    let low = 1;
    let high = 0;
    for (let i = 0; i < draws; i++) {
      const value = random.next();
      low = Math.min(low, value);
      high = Math.max(high, value);
      bins[Math.floor(value * 10)]! += 1;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    const sigma = Math.sqrt(draws * 0.1 * 0.9);
    for (const count of bins) expect(Math.abs(count - draws / 10)).toBeLessThan(4 * sigma);
  });

  it('accepts any safe integer seed and rejects others', () => {
    expect(createRandom(0).next()).not.toBe(createRandom(2 ** 40).next());
    expect(() => createRandom(1.5)).toThrow(InvalidArgumentError);
    expect(() => createRandom(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => createRandom(2 ** 60)).toThrow(InvalidArgumentError);
  });
});
