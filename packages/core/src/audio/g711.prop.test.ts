import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from './g711';

// Parameters: numRuns 500 per codec; arrays of 0–2000 random int16 samples.
describe('G.711 properties', () => {
  const samples = fc
    .array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 2000 })
    .map((values) => Int16Array.from(values));

  it('μ-law: encoding is length-preserving, sign-preserving and idempotent through a round trip', () => {
    fc.assert(
      fc.property(samples, (input) => {
        const codes = encodeMulaw(input);
        const decoded = decodeMulaw(codes);
        expect(codes).toHaveLength(input.length);
        expect(encodeMulaw(decoded)).toEqual(codes.map((code) => (code === 0x7f ? 0xff : code)));
        for (let i = 0; i < input.length; i++) {
          const x = input[i]!;
          expect(decoded[i]! * x).toBeGreaterThanOrEqual(0);
          // Relative error of μ-law is below 1/16 once past the linear region near zero.
          expect(Math.abs(decoded[i]! - Math.max(-32635, Math.min(32635, x)))).toBeLessThanOrEqual(
            Math.max(8, Math.abs(x) / 16),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('A-law: encoding is length-preserving, sign-preserving and idempotent through a round trip', () => {
    fc.assert(
      fc.property(samples, (input) => {
        const codes = encodeAlaw(input);
        const decoded = decodeAlaw(codes);
        expect(codes).toHaveLength(input.length);
        expect(encodeAlaw(decoded)).toEqual(codes);
        for (let i = 0; i < input.length; i++) {
          const x = input[i]!;
          expect(Math.sign(decoded[i]!)).toBe(x < 0 ? -1 : 1);
          expect(Math.abs(decoded[i]! - x)).toBeLessThanOrEqual(Math.max(8, Math.abs(x) / 32 + 8));
        }
      }),
      { numRuns: 500 },
    );
  });
});
