import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgentumError } from '../errors/argentum-error';
import { SampleBuffer, SampleRing } from './sample-buffer';

const pieces = fc.array(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 700 }), {
  maxLength: 30,
});

function concat(parts: readonly number[][]): number[] {
  return parts.flat();
}

describe('SampleBuffer', () => {
  // 300 runs: three buffers filled in turn with 0–30 pieces of 0–700 samples each (crossing the
  // 4096-sample blocks), each released after the next one started — so blocks go back to the pool
  // and are reused while copies taken from them are still held.
  it('holds exactly what was appended, and its copies never change when blocks are reused', () => {
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 3, maxLength: 3 }), fc.nat(), fc.nat(), (runs, a, b) => {
        const copies: { copy: Int16Array; expected: number[] }[] = [];
        let previous: SampleBuffer | undefined;
        for (const parts of runs) {
          const buffer = new SampleBuffer();
          const all: number[] = [];
          for (const part of parts) {
            buffer.append(Int16Array.from(part));
            all.push(...part);
            const from = all.length === 0 ? 0 : a % (all.length + 1);
            const to = from + (all.length === 0 ? 0 : b % (all.length - from + 1));
            copies.push({ copy: buffer.copy(from, to), expected: all.slice(from, to) });
          }
          previous?.release();
          previous = buffer;
          expect(buffer.length).toBe(all.length);
          expect([...buffer.copy(-5, buffer.length + 5)]).toEqual(all);
        }
        for (const { copy, expected } of copies) expect([...copy]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses reads and appends after its release, keeping its length', () => {
    const buffer = new SampleBuffer();
    buffer.append(new Int16Array(5000).fill(7));
    buffer.release();
    buffer.release();
    expect(buffer.length).toBe(5000);
    expect(() => buffer.copy(0, 1)).toThrow(expect.objectContaining({ code: 'audio-released' }));
    expect(() => buffer.append(new Int16Array(1))).toThrow(ArgentumError);
    // A later buffer on the reused blocks holds only its own samples.
    const next = new SampleBuffer();
    next.append(Int16Array.from([1, 2, 3]));
    expect([...next.copy(0, 10)]).toEqual([1, 2, 3]);
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
