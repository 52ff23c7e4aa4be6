import type { SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { AuctionResolver, AuctionResult, AuctionRound } from './auction-types';
import {
  buildEntries,
  ResolverScratch,
  selectHighest,
  selectionReason,
  type TalkShareLookup,
  validateRound,
} from './resolver-support';
import type { TalkShareSource } from './talk-share-window';

/**
 * Options of {@link SimpleAuctionResolver}.
 *
 * @example
 * ```ts
 * const resolver = new SimpleAuctionResolver({ talkShares: talk, scheduler: clock.scheduler, idPrefix: 'floor' });
 * // ids: floor-1, floor-2, …
 * ```
 */
export interface SimpleAuctionResolverOptions {
  /**
   * Where the tie-break reads recent talk shares (e.g. a {@link TalkShareWindow}) when a bid does
   * not carry its own `talkShare`. Without either, equal bids fall through to the agent id.
   */
  talkShares?: Pick<TalkShareSource, 'shareOf'>;
  /** Stamps `at` on results of rounds that carry none. Default: {@link realtimeScheduler}. */
  scheduler?: SchedulerLike;
  /** Prefix of result ids (`auction` → `auction-1`, `auction-2`, …). Default `auction`. */
  idPrefix?: string;
}

/**
 * The simple auction: the highest bid wins the floor. Multipliers are ignored; nothing random
 * happens. Ties go to the bidder with the lowest recent talk share, then to the lowest agent id
 * (code-unit order), so equal inputs always give equal results.
 *
 * @example
 * ```ts
 * import { SimpleAuctionResolver } from '@argentum/core';
 *
 * const resolver = new SimpleAuctionResolver();
 * const result = resolver.resolve({
 *   bids: [
 *     { agentId: 'alice', amount: 5, talkShare: 0.6 },
 *     { agentId: 'bob', amount: 5, talkShare: 0.4 },
 *     { agentId: 'carol', amount: 3 },
 *   ],
 * });
 * console.log(result.winner, result.reason); // 'bob' 'tie-break-talk-share'
 * ```
 */
export class SimpleAuctionResolver implements AuctionResolver {
  /** Always `simple`. */
  readonly kind = 'simple' as const;
  private readonly talkShares: TalkShareLookup | undefined;
  private readonly scheduler: SchedulerLike;
  private readonly idPrefix: string;
  private readonly scratch = new ResolverScratch();
  private count = 0;

  /**
   * @param options - optional talk-share source, scheduler and id prefix.
   */
  constructor(options: SimpleAuctionResolverOptions = {}) {
    this.talkShares = options.talkShares;
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.idPrefix = options.idPrefix ?? 'auction';
    if (typeof this.idPrefix !== 'string' || this.idPrefix.length === 0) {
      throw new InvalidArgumentError(
        'idPrefix',
        `expected a non-empty string, got ${String(options.idPrefix)}.`,
      );
    }
  }

  /**
   * Resolves one round: the highest bid wins.
   *
   * @param round - the bids.
   * @returns the explained outcome (probability 1 for the winner, 0 for the rest).
   * @throws {@link InvalidArgumentError} for a malformed bid (NaN/negative/infinite amount,
   *   duplicate agent).
   * @example
   * ```ts
   * const { winner } = resolver.resolve({ bids: [{ agentId: 'a', amount: 2 }, { agentId: 'b', amount: 7 }] });
   * // 'b'
   * ```
   */
  resolve(round: AuctionRound): AuctionResult {
    const scratch = this.scratch;
    const bids = validateRound(round, scratch);
    const count = bids.length;
    const id = `${this.idPrefix}-${++this.count}`;
    const at = round.at ?? this.scheduler.now();
    const effective = scratch.effective;
    const probabilities = scratch.probabilities;
    for (let i = 0; i < count; i++) {
      effective[i] = (bids[i] as { amount: number }).amount;
      probabilities[i] = 0;
    }
    if (count === 0) {
      return {
        id,
        at,
        resolver: 'simple',
        temperature: 0,
        entries: [],
        winner: null,
        winnerIndex: -1,
        reason: 'no-bids',
        draw: undefined,
      };
    }
    const selection = count === 1 ? 0 : selectHighest(effective, bids, count, scratch, this.talkShares);
    const winnerIndex = selection >> 2;
    probabilities[winnerIndex] = 1;
    return {
      id,
      at,
      resolver: 'simple',
      temperature: 0,
      entries: buildEntries(bids, count, undefined, effective, probabilities, scratch),
      winner: (bids[winnerIndex] as { agentId: string }).agentId,
      winnerIndex,
      reason: count === 1 ? 'single-bid' : selectionReason(selection),
      draw: undefined,
    };
  }
}
