import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SampleBuffer, SampleRing } from './sample-buffer';

const pieces = fc.array(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 700 }), {
  maxLength: 30,
});

function concat(parts: readonly number[][]): number[] {
  return parts.flat();
}

describe('SampleBuffer', () => {
  // 300 runs: 0–30 pieces of 0–700 samples, initial capacity 0–64, random view bounds.
  it('holds exactly what was appended, and views taken earlier never change', () => {
    fc.assert(
      fc.property(pieces, fc.nat(64), fc.nat(), fc.nat(), (parts, capacity, a, b) => {
        const buffer = new SampleBuffer(capacity);
        const early: { view: Int16Array; expected: number[] }[] = [];
        const all: number[] = [];
        for (const part of parts) {
          buffer.append(Int16Array.from(part));
          all.push(...part);
          const from = all.length === 0 ? 0 : a % (all.length + 1);
          const to = from + (all.length === 0 ? 0 : b % (all.length - from + 1));
          early.push({ view: buffer.view(from, to), expected: all.slice(from, to) });
        }
        expect(buffer.length).toBe(all.length);
        expect([...buffer.view(0, buffer.length)]).toEqual(all);
        for (const { view, expected } of early) expect([...view]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SampleRing', () => {
  // 300 runs: capacity 1–2000, 0–30 pushes of 0–700 samples, cleared at a random push.
  it('holds the last `capacity` samples pushed since the last clear (at least the whole last push), oldest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), pieces, fc.nat(40), (capacity, parts, clearAt) => {
        const ring = new SampleRing(capacity);
        let since: number[][] = [];
        // A longer push grows the ring for good.
        let held = capacity;
        parts.forEach((part, index) => {
          if (index === clearAt) {
            ring.clear();
            since = [];
          }
          ring.push(Int16Array.from(part));
          since.push(part);
          held = Math.max(held, part.length);
        });
        const all = concat(since);
        const expected = all.slice(Math.max(0, all.length - held));
        expect(ring.length).toBe(expected.length);
        expect([...ring.toArray()]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
