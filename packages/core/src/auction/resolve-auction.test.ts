import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { AuctionResult, AuctionRound } from './auction-types';
import { EnhancedAuctionResolver } from './enhanced-auction-resolver';
import { resolveAuction } from './resolve-auction';
import { SimpleAuctionResolver } from './simple-auction-resolver';

const rounds: AuctionRound[] = [
  {
    at: 0,
    bids: [
      { agentId: 'alice', amount: 5 },
      { agentId: 'bob', amount: 3 },
    ],
  },
  {
    at: 10,
    bids: [
      { agentId: 'alice', amount: 1 },
      { agentId: 'bob', amount: 4 },
    ],
  },
];

const collect = (
  source: ReturnType<typeof of<AuctionRound[]>>,
  operator: ReturnType<typeof resolveAuction>,
) => {
  const out: AuctionResult[] = [];
  source.pipe(operator).subscribe((result) => out.push(result));
  return out;
};

describe('resolveAuction()', () => {
  it('resolves each round and replays identically with a factory', () => {
    const operator = resolveAuction(() => new EnhancedAuctionResolver({ temperature: 1, seed: 3 }));
    const first = collect(of(...rounds), operator);
    expect(first.map((result) => result.id)).toEqual(['auction-1', 'auction-2']);
    expect(collect(of(...rounds), operator)).toEqual(first);
  });

  it('shares an instance (and its id counter) when given one', () => {
    const operator = resolveAuction(new SimpleAuctionResolver());
    expect(collect(of(...rounds), operator).map((result) => [result.id, result.winner])).toEqual([
      ['auction-1', 'alice'],
      ['auction-2', 'bob'],
    ]);
    expect(collect(of(...rounds), operator)[0]?.id).toBe('auction-3');
  });

  it('errors the stream on a malformed round and rejects non-resolvers', () => {
    let failure: unknown;
    of({ at: 0, bids: [{ agentId: 'a', amount: -1 }] })
      .pipe(resolveAuction(new SimpleAuctionResolver()))
      .subscribe({ error: (error) => (failure = error) });
    expect(InvalidArgumentError.isInstance(failure)).toBe(true);
    expect(() => resolveAuction({} as never)).toThrow(InvalidArgumentError);
  });
});
