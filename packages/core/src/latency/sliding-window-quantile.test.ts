import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/index';
import { SlidingWindowQuantile } from './sliding-window-quantile';

describe('SlidingWindowQuantile', () => {
  it('answers exactly over the last windowSize values', () => {
    const window = new SlidingWindowQuantile({ windowSize: 4 });
    expect(window.quantile(0.5)).toBeNaN();
    for (const value of [900, 10, 20, 30, 40]) window.record(value);
    expect(window.count).toBe(4);
    expect(window.min).toBe(10);
    expect(window.max).toBe(40);
    expect(window.mean).toBe(25);
    expect(window.quantile(0.5)).toBe(20); // rank ⌊0.5·3⌋ = 1
    expect(window.quantile(1)).toBe(40);
  });

  it('empties on reset', () => {
    const window = new SlidingWindowQuantile({ windowSize: 2 });
    window.record(5);
    window.reset();
    expect(window.count).toBe(0);
    expect(window.max).toBeNaN();
    window.record(3);
    expect(window.quantile(0)).toBe(3);
  });

  it('rejects bad sizes and values', () => {
    expect(() => new SlidingWindowQuantile({ windowSize: 0 })).toThrowError(InvalidArgumentError);
    expect(() => new SlidingWindowQuantile({ windowSize: 2.5 })).toThrowError(/windowSize/);
    expect(() => new SlidingWindowQuantile({ windowSize: 3 }).record(-5)).toThrowError(/valueMs/);
  });

  // Property: numRuns 200; windows of 1–40 values; up to 400 records with many ties (values drawn
  // from 0–50); after every record the window must match a naive sort of the last windowSize values.
  it('always matches a naive sort of the most recent values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (windowSize, values, q) => {
          const window = new SlidingWindowQuantile({ windowSize });
          values.forEach((value, index) => {
            window.record(value);
            const recent = values.slice(Math.max(0, index + 1 - windowSize), index + 1).sort((a, b) => a - b);
            expect(window.count).toBe(recent.length);
            expect(window.min).toBe(recent[0]);
            expect(window.max).toBe(recent[recent.length - 1]);
            expect(window.quantile(q)).toBe(recent[Math.floor(q * (recent.length - 1))]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
