import type { SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createRandom, type RandomSource } from '../internal/random';
import { assertNumber } from '../internal/validate';
import type {
  AuctionBid,
  AuctionReason,
  AuctionResolver,
  AuctionResult,
  AuctionRound,
  BidMultiplierSource,
} from './auction-types';
import {
  buildEntries,
  ResolverScratch,
  selectHighest,
  selectionReason,
  validateRound,
} from './resolver-support';
import { softmaxInto } from './softmax';
import type { TalkShareSource } from './talk-share-window';

/**
 * Options of {@link EnhancedAuctionResolver}.
 *
 * @example
 * ```ts
 * const resolver = new EnhancedAuctionResolver({
 *   temperature: 0.5,
 *   seed: 7,
 *   multipliers: [pacing, reputation, emotions],
 *   talkShares: talk,
 *   qualityGate: 0.7,
 *   tieMargin: 0.5,
 * });
 * ```
 */
export interface EnhancedAuctionResolverOptions {
  /**
   * Softmax temperature T ≥ 0, in effective-bid (token) units. Higher = more random; 0 = the
   * highest effective bid always wins. Default 0.5: a lead of one token in effective bid makes a
   * bidder e² ≈ 7.4 times likelier to win (tuned, with the pacing defaults, for bids of 1..10 tokens).
   */
  temperature?: number;
  /** Seed of the resolver's own random source. Default 0. */
  seed?: number;
  /** A random source to use instead of one seeded from `seed`. */
  random?: RandomSource;
  /**
   * Bid multiplier sources — typically a {@link PacingController}, a {@link ReputationTracker},
   * an {@link EmotionEngine}. Each bid's multiplier is the product of their factors, unless the
   * bid carries its own `multiplier`.
   */
  multipliers?: readonly BidMultiplierSource[];
  /** Talk shares for the deterministic tie-break (temperature 0), e.g. a {@link TalkShareWindow}. */
  talkShares?: Pick<TalkShareSource, 'shareOf'>;
  /** Evidence-quality gate, 0..1: near-equal bids at or above it are preferred. Default 0.6. */
  qualityGate?: number;
  /**
   * How close two effective bids must be (absolute, in tokens) to count as near-equal for the
   * evidence gate, ≥ 0. Default 0.25.
   */
  tieMargin?: number;
  /** Stamps `at` on results of rounds that carry none. Default: {@link realtimeScheduler}. */
  scheduler?: SchedulerLike;
  /** Prefix of result ids (`auction` → `auction-1`, …). Default `auction`. */
  idPrefix?: string;
}

/**
 * The enhanced auction: bids are scaled by multipliers (pacing, reputation, emotion), turned into
 * win probabilities by a softmax with temperature, and the winner is drawn with a seeded random
 * source — so an agent that bids more usually, but not always, gets the floor, and pacing can
 * steer talk shares without anyone being locked out.
 *
 * Steps for a round of bids `bᵢ`:
 * 1. effective bids `xᵢ = bᵢ · mᵢ`, with `mᵢ` the product of the multiplier sources (or the bid's
 *    own `multiplier`);
 * 2. `pᵢ = softmax(x / T)` computed stably (the maximum is subtracted first, so adding a constant
 *    to every effective bid changes nothing); at `T = 0` the highest effective bid wins, ties
 *    broken by lowest talk share, then lowest agent id;
 * 3. evidence-quality gate: a bid below `qualityGate` that is within `tieMargin` of a bid at or
 *    above the gate yields to it (the best such bid: highest effective bid, then quality, then
 *    agent id). Its probability moves to that bid, so the reported probabilities are the true
 *    win probabilities;
 * 4. one uniform number is drawn (only when there are ≥ 2 bids and `T > 0`) to pick the winner.
 *
 * Per call it allocates only the result; resolving 8 bids takes well under a microsecond.
 *
 * @example
 * ```ts
 * import { EnhancedAuctionResolver, PacingController, TalkShareWindow } from '@argentum/core';
 *
 * const talk = new TalkShareWindow({ agents: ['alice', 'bob', 'carol'] });
 * const pacing = new PacingController();
 * const resolver = new EnhancedAuctionResolver({ temperature: 0.5, seed: 42, multipliers: [pacing] });
 *
 * const result = resolver.resolve({
 *   bids: [
 *     { agentId: 'alice', amount: 6 },
 *     { agentId: 'bob', amount: 5, evidenceQuality: 0.9 },
 *     { agentId: 'carol', amount: 2 },
 *   ],
 * });
 * console.log(result.id, result.winner, result.entries.map((entry) => entry.probability));
 * talk.record({ agentId: result.winner!, durationMs: 4000, at: 4000 });
 * pacing.update(talk); // the winner's next bids count for less
 * ```
 */
export class EnhancedAuctionResolver implements AuctionResolver {
  /** Always `enhanced`. */
  readonly kind = 'enhanced' as const;
  /** The softmax temperature. */
  readonly temperature: number;
  /** The evidence-quality gate. */
  readonly qualityGate: number;
  /** The near-equal margin for the gate. */
  readonly tieMargin: number;
  private readonly random: RandomSource;
  private readonly sources: readonly BidMultiplierSource[];
  private readonly talkShares: Pick<TalkShareSource, 'shareOf'> | undefined;
  private readonly scheduler: SchedulerLike;
  private readonly idPrefix: string;
  private readonly scratch = new ResolverScratch();
  private count = 0;

  /**
   * @param options - temperature, seed, multiplier sources, gate; all optional.
   * @throws {@link InvalidArgumentError} for values out of range.
   */
  constructor(options: EnhancedAuctionResolverOptions = {}) {
    this.temperature = assertNumber('temperature', options.temperature ?? 0.5, { min: 0 });
    this.qualityGate = assertNumber('qualityGate', options.qualityGate ?? 0.6, { min: 0, max: 1 });
    this.tieMargin = assertNumber('tieMargin', options.tieMargin ?? 0.25, { min: 0 });
    this.random = options.random ?? createRandom(options.seed ?? 0);
    const sources = options.multipliers ?? [];
    if (!Array.isArray(sources)) {
      throw new InvalidArgumentError(
        'multipliers',
        `expected an array of multiplier sources, got ${String(sources)}.`,
      );
    }
    this.sources = [...sources];
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
   * Resolves one round.
   *
   * @param round - the bids.
   * @param random - a random source for this call only; default: the resolver's seeded source.
   * @returns the explained outcome.
   * @throws {@link InvalidArgumentError} for a malformed bid or a multiplier source returning a
   *   negative or non-finite factor.
   * @example
   * ```ts
   * const result = resolver.resolve({ bids }, createRandom(7)); // replayable draw
   * ```
   */
  resolve(round: AuctionRound, random?: RandomSource): AuctionResult {
    const scratch = this.scratch;
    const bids = validateRound(round, scratch);
    const count = bids.length;
    const id = `${this.idPrefix}-${++this.count}`;
    const at = round.at ?? this.scheduler.now();
    const temperature = this.temperature;
    if (count === 0) {
      return {
        id,
        at,
        resolver: 'enhanced',
        temperature,
        entries: [],
        winner: null,
        winnerIndex: -1,
        reason: 'no-bids',
        draw: undefined,
      };
    }

    const effective = scratch.effective;
    const multipliers = scratch.multipliers;
    const probabilities = scratch.probabilities;
    const gate = this.qualityGate;
    let max = Number.NEGATIVE_INFINITY;
    let gated = 0;
    for (let i = 0; i < count; i++) {
      const bid = bids[i] as AuctionBid;
      const multiplier = bid.multiplier ?? this.sourceMultiplier(bid.agentId);
      const value = bid.amount * multiplier;
      if (!Number.isFinite(value)) {
        throw new InvalidArgumentError(
          `round.bids[${i}]`,
          `effective bid ${bid.amount} × ${multiplier} is not finite; keep bids and multipliers in range.`,
        );
      }
      multipliers[i] = multiplier;
      effective[i] = value;
      if (value > max) max = value;
      if (bid.evidenceQuality !== undefined && bid.evidenceQuality >= gate) gated++;
    }
    // The gate only acts when some bids pass it and some do not.
    const gating = gated > 0 && gated < count;

    let winnerIndex: number;
    let reason: AuctionReason;
    let draw: number | undefined;
    if (count === 1) {
      winnerIndex = 0;
      reason = 'single-bid';
      probabilities[0] = 1;
    } else if (temperature === 0) {
      const selection = selectHighest(effective, bids, count, scratch, this.talkShares);
      winnerIndex = selection >> 2;
      reason = selectionReason(selection);
      if (gating) {
        const redirected = this.redirectOf(winnerIndex, bids, count);
        if (redirected !== winnerIndex) {
          winnerIndex = redirected;
          reason = 'quality-gate';
        }
      }
      for (let i = 0; i < count; i++) probabilities[i] = i === winnerIndex ? 1 : 0;
    } else {
      const weights = scratch.weights;
      softmaxInto(effective, count, max, temperature, weights);
      draw = (random ?? this.random).next();
      if (!(draw >= 0 && draw < 1)) {
        throw new InvalidArgumentError('random', `next() must return a number in [0, 1), got ${draw}.`);
      }
      // Inverse-CDF sampling over the softmax; the last bid with weight absorbs rounding.
      let sampled = -1;
      let cumulative = 0;
      for (let i = 0; i < count; i++) {
        const weight = weights[i] as number;
        if (weight === 0) continue;
        cumulative += weight;
        sampled = i;
        if (draw < cumulative) break;
      }
      winnerIndex = sampled;
      reason = 'sampled';
      if (gating) {
        for (let i = 0; i < count; i++) probabilities[i] = 0;
        const redirect = scratch.redirect;
        for (let i = 0; i < count; i++) {
          const target = this.redirectOf(i, bids, count);
          redirect[i] = target;
          probabilities[target] = (probabilities[target] as number) + (weights[i] as number);
        }
        const redirected = redirect[sampled] as number;
        if (redirected !== sampled) {
          winnerIndex = redirected;
          reason = 'quality-gate';
        }
      } else {
        for (let i = 0; i < count; i++) probabilities[i] = weights[i] as number;
      }
    }

    return {
      id,
      at,
      resolver: 'enhanced',
      temperature,
      entries: buildEntries(bids, count, multipliers, effective, probabilities, scratch),
      winner: (bids[winnerIndex] as AuctionBid).agentId,
      winnerIndex,
      reason,
      draw,
    };
  }

  private sourceMultiplier(agentId: string): number {
    const sources = this.sources;
    let product = 1;
    for (let s = 0; s < sources.length; s++) {
      const factor = (sources[s] as BidMultiplierSource).multiplierOf(agentId);
      if (!(factor >= 0 && factor !== Number.POSITIVE_INFINITY)) {
        throw new InvalidArgumentError(
          `multipliers[${s}]`,
          `multiplierOf("${agentId}") returned ${factor}; a multiplier must be a finite number ≥ 0.`,
        );
      }
      product *= factor;
    }
    return product;
  }

  /** Where bid `index`'s win goes under the evidence gate (itself unless it yields). */
  private redirectOf(index: number, bids: readonly AuctionBid[], count: number): number {
    const gate = this.qualityGate;
    const quality = (bids[index] as AuctionBid).evidenceQuality;
    if (quality !== undefined && quality >= gate) return index;
    const effective = this.scratch.effective;
    const value = effective[index] as number;
    const margin = this.tieMargin;
    let best = -1;
    for (let j = 0; j < count; j++) {
      const candidate = bids[j] as AuctionBid;
      const candidateQuality = candidate.evidenceQuality;
      if (candidateQuality === undefined || candidateQuality < gate) continue;
      const candidateValue = effective[j] as number;
      if (Math.abs(candidateValue - value) > margin) continue;
      if (best === -1) {
        best = j;
        continue;
      }
      const bestBid = bids[best] as AuctionBid;
      const bestValue = effective[best] as number;
      if (
        candidateValue > bestValue ||
        (candidateValue === bestValue &&
          (candidateQuality > (bestBid.evidenceQuality as number) ||
            (candidateQuality === bestBid.evidenceQuality && candidate.agentId < bestBid.agentId)))
      ) {
        best = j;
      }
    }
    return best === -1 ? index : best;
  }
}
