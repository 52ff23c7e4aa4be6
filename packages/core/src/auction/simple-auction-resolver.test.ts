import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { SimpleAuctionResolver } from './simple-auction-resolver';
import { TalkShareWindow } from './talk-share-window';

describe('SimpleAuctionResolver', () => {
  it('gives the floor to the highest bid, ignoring multipliers, and explains itself', () => {
    const clock = createVirtualClock();
    clock.advanceBy(1234);
    const resolver = new SimpleAuctionResolver({ scheduler: clock.scheduler });
    const result = resolver.resolve({
      bids: [
        { agentId: 'alice', amount: 2, multiplier: 10 },
        { agentId: 'bob', amount: 7 },
      ],
    });
    expect(result).toMatchObject({
      id: 'auction-1',
      at: 1234,
      resolver: 'simple',
      winner: 'bob',
      winnerIndex: 1,
      reason: 'highest-bid',
      draw: undefined,
    });
    expect(result.entries).toEqual([
      {
        agentId: 'alice',
        bid: 2,
        multiplier: 1,
        effectiveBid: 2,
        probability: 0,
        evidenceQuality: undefined,
        talkShare: undefined,
      },
      {
        agentId: 'bob',
        bid: 7,
        multiplier: 1,
        effectiveBid: 7,
        probability: 1,
        evidenceQuality: undefined,
        talkShare: undefined,
      },
    ]);
    expect(resolver.resolve({ bids: [], at: 5 })).toMatchObject({
      id: 'auction-2',
      winner: null,
      winnerIndex: -1,
      reason: 'no-bids',
    });
    expect(resolver.resolve({ bids: [{ agentId: 'x', amount: 0 }], at: 6 }).reason).toBe('single-bid');
  });

  it('breaks ties by lowest recent talk share, then lowest agent id', () => {
    const resolver = new SimpleAuctionResolver();
    const byShare = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'alice', amount: 5, talkShare: 0.6 },
        { agentId: 'bob', amount: 5, talkShare: 0.4 },
        { agentId: 'carol', amount: 3, talkShare: 0 },
      ],
    });
    expect([byShare.winner, byShare.reason]).toEqual(['bob', 'tie-break-talk-share']);
    const byId = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'zoe', amount: 5 },
        { agentId: 'adam', amount: 5 },
      ],
    });
    expect([byId.winner, byId.reason]).toEqual(['adam', 'tie-break-agent-id']);
  });

  it('reads talk shares from a window when bids carry none', () => {
    const talk = new TalkShareWindow({ agents: ['alice', 'bob'] });
    talk.record({ agentId: 'alice', durationMs: 3000, at: 3000 });
    const resolver = new SimpleAuctionResolver({ talkShares: talk });
    const result = resolver.resolve({
      at: 0,
      bids: [
        { agentId: 'alice', amount: 4 },
        { agentId: 'bob', amount: 4 },
      ],
    });
    expect(result.winner).toBe('bob');
    expect(result.entries.map((entry) => entry.talkShare)).toEqual([1, 0]);
  });

  it.each([
    [{ agentId: 'a', amount: Number.NaN }, 'round.bids[0].amount'],
    [{ agentId: 'a', amount: -1 }, 'round.bids[0].amount'],
    [{ agentId: 'a', amount: Number.POSITIVE_INFINITY }, 'round.bids[0].amount'],
    [{ agentId: '', amount: 1 }, 'round.bids[0].agentId'],
    [{ agentId: 'a', amount: 1, evidenceQuality: 1.5 }, 'round.bids[0].evidenceQuality'],
    [{ agentId: 'a', amount: 1, talkShare: -0.1 }, 'round.bids[0].talkShare'],
  ])('rejects %o naming %s', (bid, argument) => {
    try {
      new SimpleAuctionResolver().resolve({ bids: [bid], at: 0 });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });

  it('rejects duplicate bidders and non-array rounds', () => {
    const resolver = new SimpleAuctionResolver();
    expect(() =>
      resolver.resolve({
        at: 0,
        bids: [
          { agentId: 'a', amount: 1 },
          { agentId: 'a', amount: 2 },
        ],
      }),
    ).toThrow(/bids twice/);
    expect(() => resolver.resolve({ bids: 'nope' } as never)).toThrow(InvalidArgumentError);
  });
});
