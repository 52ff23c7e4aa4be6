import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createRandom } from '../internal/random';
import type { AuctionBid } from './auction-types';
import { EnhancedAuctionResolver } from './enhanced-auction-resolver';
import { PacingController } from './pacing-controller';
import { softmax } from './softmax';

describe('EnhancedAuctionResolver', () => {
  it('scales bids by the product of its multiplier sources and reports softmax probabilities', () => {
    const resolver = new EnhancedAuctionResolver({
      temperature: 1,
      multipliers: [{ multiplierOf: (id) => (id === 'a' ? 0.5 : 1) }, { multiplierOf: () => 2 }],
    });
    const result = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'a', amount: 6 },
        { agentId: 'b', amount: 4 },
      ],
    });
    expect(result.entries.map((entry) => [entry.multiplier, entry.effectiveBid])).toEqual([
      [1, 6],
      [2, 8],
    ]);
    const expected = softmax([6, 8], 1);
    expect(result.entries[0]?.probability).toBeCloseTo(expected[0] as number, 15);
    expect(result.entries[1]?.probability).toBeCloseTo(expected[1] as number, 15);
    expect(result.reason).toBe('sampled');
    expect(result.draw).toBeGreaterThanOrEqual(0);
    expect(result.id).toBe('auction-1');
  });

  it("lets a bid's own multiplier replace the sources", () => {
    const resolver = new EnhancedAuctionResolver({ multipliers: [{ multiplierOf: () => 5 }] });
    const result = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'a', amount: 2, multiplier: 0.5 },
        { agentId: 'b', amount: 1 },
      ],
    });
    expect(result.entries.map((entry) => entry.effectiveBid)).toEqual([1, 5]);
  });

  it('replays exactly from a seed, and a per-call random source overrides its own', () => {
    const bids: AuctionBid[] = [
      { agentId: 'a', amount: 3 },
      { agentId: 'b', amount: 3.2 },
      { agentId: 'c', amount: 2.9 },
    ];
    const run = (seed: number) => {
      const resolver = new EnhancedAuctionResolver({ temperature: 1, seed });
      return Array.from({ length: 50 }, (_, i) => resolver.resolve({ bids, at: i }).winner);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    const resolver = new EnhancedAuctionResolver({ temperature: 1, seed: 1 });
    expect(resolver.resolve({ bids, at: 0 }, createRandom(99)).draw).toBe(createRandom(99).next());
  });

  it('at temperature 0 picks the highest effective bid with the deterministic tie-break', () => {
    const resolver = new EnhancedAuctionResolver({ temperature: 0 });
    const tie = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'b', amount: 4, talkShare: 0.2 },
        { agentId: 'a', amount: 4, talkShare: 0.2 },
        { agentId: 'c', amount: 1 },
      ],
    });
    expect([tie.winner, tie.reason, tie.draw]).toEqual(['a', 'tie-break-agent-id', undefined]);
    expect(tie.entries.map((entry) => entry.probability)).toEqual([0, 1, 0]);
  });

  it('prefers a near-equal bid whose evidence passes the quality gate', () => {
    const resolver = new EnhancedAuctionResolver({ temperature: 0, qualityGate: 0.6, tieMargin: 0.25 });
    const gated = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'loud', amount: 5.2, evidenceQuality: 0.1 },
        { agentId: 'sourced', amount: 5, evidenceQuality: 0.9 },
      ],
    });
    expect([gated.winner, gated.reason]).toEqual(['sourced', 'quality-gate']);
    const clearLead = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'loud', amount: 6, evidenceQuality: 0.1 },
        { agentId: 'sourced', amount: 5, evidenceQuality: 0.9 },
      ],
    });
    expect([clearLead.winner, clearLead.reason]).toEqual(['loud', 'highest-bid']);
  });

  it('moves the probability of a gated-out bid onto the bid that takes its place', () => {
    const resolver = new EnhancedAuctionResolver({ temperature: 1, qualityGate: 0.5, tieMargin: 0.5 });
    const result = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'a', amount: 5, evidenceQuality: 0.2 },
        { agentId: 'b', amount: 5.3, evidenceQuality: 0.8 },
        { agentId: 'c', amount: 2 },
      ],
    });
    const raw = softmax([5, 5.3, 2], 1);
    expect(result.entries[0]?.probability).toBe(0);
    expect(result.entries[1]?.probability).toBeCloseTo((raw[0] as number) + (raw[1] as number), 15);
    expect(result.entries[2]?.probability).toBeCloseTo(raw[2] as number, 15);
    expect(result.winner).not.toBe('a');
  });

  it('works with a pacing controller as a multiplier source', () => {
    const pacing = new PacingController({ smoothing: 1 });
    pacing.update({ agentIds: ['a', 'b'], shareOf: (id) => (id === 'a' ? 0.9 : 0.1), targetOf: () => 0.5 });
    const result = new EnhancedAuctionResolver({ temperature: 0, multipliers: [pacing] }).resolve({
      at: 0,
      bids: [
        { agentId: 'a', amount: 10 },
        { agentId: 'b', amount: 1 },
      ],
    });
    expect(result.winner).toBe('b');
  });

  it('rejects bad options, bad multipliers and bad random sources', () => {
    expect(() => new EnhancedAuctionResolver({ temperature: -1 })).toThrow(InvalidArgumentError);
    expect(() => new EnhancedAuctionResolver({ qualityGate: 2 })).toThrow(InvalidArgumentError);
    expect(() => new EnhancedAuctionResolver({ idPrefix: '' })).toThrow(InvalidArgumentError);
    const broken = new EnhancedAuctionResolver({ multipliers: [{ multiplierOf: () => Number.NaN }] });
    expect(() => broken.resolve({ at: 0, bids: [{ agentId: 'a', amount: 1 }] })).toThrow(
      /multiplierOf\("a"\)/,
    );
    const resolver = new EnhancedAuctionResolver();
    const bids = [
      { agentId: 'a', amount: 1 },
      { agentId: 'b', amount: 1 },
    ];
    expect(() => resolver.resolve({ at: 0, bids }, { next: () => 1 })).toThrow(/\[0, 1\)/);
    expect(() =>
      resolver.resolve({ at: 0, bids: [{ agentId: 'a', amount: 1e300, multiplier: 1e300 }] }),
    ).toThrow(/not finite/);
  });

  it('handles more bids than its scratch space', () => {
    const bids = Array.from({ length: 40 }, (_, i) => ({ agentId: `agent-${i}`, amount: i }));
    const result = new EnhancedAuctionResolver({ temperature: 0 }).resolve({ at: 0, bids });
    expect(result.winner).toBe('agent-39');
    expect(result.entries).toHaveLength(40);
  });
});
