import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { jainIndex } from './jain-index';

describe('jainIndex', () => {
  it('is 1 for equal values, 1/n when one takes all, and 1/(1 + CV²) in general', () => {
    expect(jainIndex([2, 2, 2])).toBe(1);
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([0, 0])).toBe(1);
    const xs = [1.25, 1, 2 / 3];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
    expect(jainIndex(xs)).toBeCloseTo(1 / (1 + variance / mean ** 2), 12);
    expect(jainIndex(xs)).toBeCloseTo(0.943, 3);
  });

  it('rejects empty, negative and non-finite input', () => {
    expect(() => jainIndex([])).toThrow(InvalidArgumentError);
    expect(() => jainIndex([1, -1])).toThrow(InvalidArgumentError);
    expect(() => jainIndex([1, Number.NaN])).toThrow(InvalidArgumentError);
  });
});
