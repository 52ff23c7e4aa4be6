import { defer, map, type OperatorFunction } from 'rxjs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { AuctionResolver, AuctionResult, AuctionRound } from './auction-types';

/**
 * An RxJS operator that resolves each incoming round of bids into an {@link AuctionResult}.
 *
 * Pass a **factory** to get a fresh resolver per subscription: then every subscription replays
 * identically (same ids `auction-1, auction-2, …`, same seeded draws). Passing a resolver instance
 * shares it — and its id counter and random state — between subscriptions. Errors of the resolver
 * (a malformed bid) error the stream; completion passes through.
 *
 * @param resolver - a resolver, or a function that makes one per subscription.
 * @returns the operator.
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { EnhancedAuctionResolver, resolveAuction } from '@argentum/core';
 *
 * of(
 *   { bids: [{ agentId: 'alice', amount: 5 }, { agentId: 'bob', amount: 3 }] },
 *   { bids: [{ agentId: 'alice', amount: 1 }, { agentId: 'bob', amount: 4 }] },
 * )
 *   .pipe(resolveAuction(() => new EnhancedAuctionResolver({ seed: 1 })))
 *   .subscribe((result) => console.log(result.id, result.winner));
 * ```
 */
export function resolveAuction(
  resolver: AuctionResolver | (() => AuctionResolver),
): OperatorFunction<AuctionRound, AuctionResult> {
  if (typeof resolver !== 'function' && typeof resolver?.resolve !== 'function') {
    throw new InvalidArgumentError('resolver', 'expected an AuctionResolver or a function returning one.');
  }
  return (rounds) =>
    defer(() => {
      const instance = typeof resolver === 'function' ? resolver() : resolver;
      return rounds.pipe(map((round) => instance.resolve(round)));
    });
}
