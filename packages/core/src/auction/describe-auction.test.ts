import { describe, expect, it } from 'vitest';
import { describeAuction } from './describe-auction';
import { SimpleAuctionResolver } from './simple-auction-resolver';

describe('describeAuction', () => {
  it('renders the winner, the reason and every row', () => {
    const resolver = new SimpleAuctionResolver();
    const text = describeAuction(
      resolver.resolve({
        at: 0,
        bids: [
          { agentId: 'alice', amount: 6 },
          { agentId: 'bob', amount: 4.5 },
        ],
      }),
    );
    expect(text).toBe(
      'auction-1: alice wins (it had the highest effective bid); alice 6 × 1.00 = 6.00 (p 1.000), bob 4.50 × 1.00 = 4.50 (p 0.000)',
    );
    expect(describeAuction(resolver.resolve({ at: 0, bids: [] }))).toBe('auction-2: no winner (nobody bid)');
  });
});
