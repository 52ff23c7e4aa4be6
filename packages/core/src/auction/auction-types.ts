import type { RandomSource } from '../internal/random';

/**
 * One agent's offer for the floor in an auction round.
 *
 * @example
 * ```ts
 * const bid: AuctionBid = { agentId: 'alice', amount: 6, evidenceQuality: 0.8 };
 * ```
 */
export interface AuctionBid {
  /** The bidding agent (unique within a round). */
  agentId: string;
  /** Tokens offered, finite and ≥ 0. */
  amount: number;
  /**
   * How well the agent's next contribution is supported by evidence, 0..1. The enhanced resolver
   * prefers a bid at or above its quality gate over a near-equal one below it. Absent = no evidence.
   */
  evidenceQuality?: number;
  /**
   * A bid multiplier for this round (finite, ≥ 0). When present it replaces the product of the
   * enhanced resolver's multiplier sources (pacing, reputation, emotion); the simple resolver
   * ignores it.
   */
  multiplier?: number;
  /**
   * The agent's recent talk share, 0..1, for the tie-break (lower share wins a tie). When absent
   * the resolver asks its `talkShares` source, else uses 0.
   */
  talkShare?: number;
}

/**
 * The bids of one auction: who wants the floor next.
 *
 * @example
 * ```ts
 * const round: AuctionRound = {
 *   at: clock.now(),
 *   bids: [
 *     { agentId: 'alice', amount: 6 },
 *     { agentId: 'bob', amount: 4 },
 *   ],
 * };
 * ```
 */
export interface AuctionRound {
  /** The bids, one per agent. May be empty (then nobody wins). */
  bids: readonly AuctionBid[];
  /** When the round was held, in scheduler ms. Default: the resolver's scheduler `now()`. */
  at?: number;
}

/**
 * Why an auction ended the way it did:
 * - `no-bids`: the round was empty, nobody wins;
 * - `single-bid`: one bidder, it wins;
 * - `highest-bid`: a unique highest (effective) bid won;
 * - `tie-break-talk-share`: several equal highest bids, the one with the lowest recent talk share won;
 * - `tie-break-agent-id`: equal bids and equal talk shares, the lowest agent id (code-unit order) won;
 * - `sampled`: the enhanced resolver drew the winner from the softmax probabilities;
 * - `quality-gate`: the drawn or highest bid was below the evidence-quality gate and a near-equal
 *   bid at or above the gate took the floor instead.
 *
 * @example
 * ```ts
 * if (result.reason === 'quality-gate') console.log('evidence decided it');
 * ```
 */
export type AuctionReason =
  | 'no-bids'
  | 'single-bid'
  | 'highest-bid'
  | 'tie-break-talk-share'
  | 'tie-break-agent-id'
  | 'sampled'
  | 'quality-gate';

/**
 * One bid as the resolver saw it: the explanation row of an {@link AuctionResult}.
 *
 * @example
 * ```ts
 * for (const entry of result.entries) {
 *   console.log(entry.agentId, entry.bid, '×', entry.multiplier, '=', entry.effectiveBid, entry.probability);
 * }
 * ```
 */
export interface AuctionEntry {
  /** The bidder. */
  agentId: string;
  /** The tokens it offered. */
  bid: number;
  /** The multiplier applied (pacing × reputation × emotion, or the bid's own; 1 for the simple resolver). */
  multiplier: number;
  /** `bid × multiplier`: what the auction compared. */
  effectiveBid: number;
  /** Its probability of winning this round (after the quality gate); 0 or 1 when nothing was sampled. */
  probability: number;
  /** The bid's evidence quality, when it had one. */
  evidenceQuality: number | undefined;
  /** The talk share used for the tie-break, when one was known. */
  talkShare: number | undefined;
}

/**
 * The outcome of one auction, explaining itself: what every bidder offered, how it was weighted,
 * each one's chance, who won and why. This is the auction metadata a conversation logs.
 *
 * @example
 * ```ts
 * const result = resolver.resolve({ bids });
 * console.log(`${result.id}: ${result.winner} (${result.reason})`); // "auction-7: alice (sampled)"
 * ```
 */
export interface AuctionResult {
  /** Deterministic id, `auction-1`, `auction-2`, … per resolver. */
  id: string;
  /** When the round was held, in scheduler ms. */
  at: number;
  /** Which resolver decided. */
  resolver: 'simple' | 'enhanced';
  /** The softmax temperature used (0 = argmax; always 0 for the simple resolver). */
  temperature: number;
  /** One row per bid, in the order of the round's bids. */
  entries: AuctionEntry[];
  /** The winning agent, or `null` when nobody bid. */
  winner: string | null;
  /** Index of the winner in `entries`, or -1. */
  winnerIndex: number;
  /** Why the winner won. */
  reason: AuctionReason;
  /** The uniform random number drawn for sampling, when one was drawn. */
  draw: number | undefined;
}

/**
 * Decides auctions. Implementations: {@link SimpleAuctionResolver} (highest bid) and
 * {@link EnhancedAuctionResolver} (pacing multipliers, softmax, evidence gate).
 *
 * @example
 * ```ts
 * function decide(resolver: AuctionResolver, bids: AuctionBid[]): string | null {
 *   return resolver.resolve({ bids }).winner;
 * }
 * ```
 */
export interface AuctionResolver {
  /** Which resolver this is. */
  readonly kind: 'simple' | 'enhanced';
  /**
   * Resolves one round.
   * @param round - the bids.
   * @param random - a random source for this call (the enhanced resolver otherwise uses its own
   *   seeded one; the simple resolver never draws).
   * @returns the explained outcome.
   */
  resolve(round: AuctionRound, random?: RandomSource): AuctionResult;
}

/**
 * Anything that scales an agent's bids: the pacing controller, reputation, the emotion engine.
 * The enhanced resolver multiplies the factors of all its sources.
 *
 * @example
 * ```ts
 * const flat: BidMultiplierSource = { multiplierOf: () => 1 };
 * ```
 */
export interface BidMultiplierSource {
  /**
   * The factor for the agent's bids, finite and ≥ 0 (1 = unchanged).
   * @param agentId - the bidder.
   */
  multiplierOf(agentId: string): number;
}
