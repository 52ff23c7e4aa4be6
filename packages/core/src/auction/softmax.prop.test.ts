import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuctionBid } from './auction-types';
import { EnhancedAuctionResolver } from './enhanced-auction-resolver';
import { softmax } from './softmax';

/*
 * Softmax auction properties.
 * - Shift invariance: numRuns 500; 1–8 values in [0, 100]; temperature in [0.05, 10]; shift in
 *   [−1000, 1000]; every probability equal within 1e-9 (softmax itself and the enhanced resolver).
 * - Temperature → 0: numRuns 300; 2–8 distinct values (gaps ≥ 0.01); T = 1e-6 equals T = 0
 *   (argmax) within 1e-9, the argmax probability never falls as T falls, and resolvers at T = 1e-9
 *   and T = 0 pick the same winner.
 * - Win frequencies: numRuns 20 (fixed fast-check seed, so CI is deterministic), each 10⁴ seeded
 *   auctions of 2–8 bids in [0, 10] with random multipliers in [0.2, 3] and random evidence
 *   qualities (so the quality gate moves probability too), temperature in [0.2, 3]: every agent's
 *   win count within 4σ of n·pᵢ, σ = √(n·pᵢ(1 − pᵢ)), pᵢ the reported probability.
 */

const values = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 });
const temperature = fc.double({ min: 0.05, max: 10, noNaN: true });

const toBids = (amounts: number[]): AuctionBid[] =>
  amounts.map((amount, i) => ({ agentId: `agent-${i}`, amount }));

describe('softmax', () => {
  it('is shift-invariant: adding a constant to every bid changes no probability', () => {
    fc.assert(
      fc.property(values, temperature, fc.double({ min: -1000, max: 1000, noNaN: true }), (xs, t, shift) => {
        const shifted = xs.map((x) => x + shift);
        const base = softmax(xs, t);
        const moved = softmax(shifted, t);
        for (let i = 0; i < xs.length; i++)
          expect(Math.abs((moved[i] as number) - (base[i] as number))).toBeLessThanOrEqual(1e-9);
        const sum = base.reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 12);
      }),
      { numRuns: 500 },
    );
  });

  it('the enhanced resolver is shift-invariant too (bids shifted by a constant, multipliers 1)', () => {
    fc.assert(
      fc.property(values, temperature, fc.double({ min: 0, max: 1000, noNaN: true }), (xs, t, shift) => {
        const a = new EnhancedAuctionResolver({ temperature: t, seed: 1 }).resolve({
          bids: toBids(xs),
          at: 0,
        });
        const b = new EnhancedAuctionResolver({ temperature: t, seed: 1 }).resolve({
          bids: toBids(xs.map((x) => x + shift)),
          at: 0,
        });
        for (let i = 0; i < xs.length; i++) {
          expect(Math.abs(a.entries[i]!.probability - b.entries[i]!.probability)).toBeLessThanOrEqual(1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never overflows: huge effective bids still give finite probabilities', () => {
    const probabilities = softmax([1e300, 1e300 - 1e290, 0], 1e-3);
    expect(probabilities.every(Number.isFinite)).toBe(true);
    expect(probabilities[0]).toBe(1);
  });

  it('temperature → 0 equals argmax', () => {
    const distinct = fc
      .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 2, maxLength: 8 })
      .map((xs) => xs.map((x) => x / 100));
    fc.assert(
      fc.property(distinct, fc.integer(), (xs, seed) => {
        const argmax = xs.indexOf(Math.max(...xs));
        const cold = softmax(xs, 1e-6);
        const exact = softmax(xs, 0);
        for (let i = 0; i < xs.length; i++) {
          expect(exact[i]).toBe(i === argmax ? 1 : 0);
          expect(Math.abs((cold[i] as number) - (exact[i] as number))).toBeLessThanOrEqual(1e-9);
        }
        let previous = 0;
        for (const t of [100, 10, 1, 0.1, 0.01, 0.001]) {
          const p = softmax(xs, t)[argmax] as number;
          expect(p).toBeGreaterThanOrEqual(previous - 1e-15);
          previous = p;
        }
        const zero = new EnhancedAuctionResolver({ temperature: 0 }).resolve({ bids: toBids(xs), at: 0 });
        const tiny = new EnhancedAuctionResolver({ temperature: 1e-9, seed }).resolve({
          bids: toBids(xs),
          at: 0,
        });
        expect(zero.winnerIndex).toBe(argmax);
        expect(tiny.winnerIndex).toBe(argmax);
        expect(zero.reason).toBe('highest-bid');
      }),
      { numRuns: 300 },
    );
  });

  it('over 10⁴ seeded auctions each agent wins within 4σ of n·pᵢ', () => {
    const AUCTIONS = 10_000;
    const round = fc.integer({ min: 2, max: 8 }).chain((size) =>
      fc.record({
        amounts: fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: size, maxLength: size }),
        multipliers: fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), {
          minLength: size,
          maxLength: size,
        }),
        qualities: fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), {
          minLength: size,
          maxLength: size,
        }),
        temperature: fc.double({ min: 0.2, max: 3, noNaN: true }),
        seed: fc.integer(),
      }),
    );
    fc.assert(
      fc.property(round, (setup) => {
        const bids: AuctionBid[] = setup.amounts.map((amount, i) => ({
          agentId: `agent-${i}`,
          amount,
          multiplier: setup.multipliers[i] as number,
          evidenceQuality: setup.qualities[i],
        }));
        const resolver = new EnhancedAuctionResolver({ temperature: setup.temperature, seed: setup.seed });
        const wins = new Array<number>(bids.length).fill(0);
        let probabilities: number[] = [];
        for (let n = 0; n < AUCTIONS; n++) {
          const result = resolver.resolve({ bids, at: n });
          wins[result.winnerIndex] = (wins[result.winnerIndex] as number) + 1;
          probabilities = result.entries.map((entry) => entry.probability);
        }
        expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        for (let i = 0; i < bids.length; i++) {
          const p = probabilities[i] as number;
          const expected = AUCTIONS * p;
          const sigma = Math.sqrt(AUCTIONS * p * (1 - p));
          // A probability that rounds to zero must never win; otherwise stay within 4σ (+1e-9 slack).
          expect(Math.abs((wins[i] as number) - expected)).toBeLessThanOrEqual(4 * sigma + 1e-9);
        }
      }),
      { numRuns: 20, seed: 20_261_121 },
    );
  });
});
