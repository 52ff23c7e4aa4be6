import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { AuctionBid, AuctionEntry, AuctionReason, AuctionRound } from './auction-types';
import type { TalkShareSource } from './talk-share-window';

/**
 * Scratch space and shared steps of the auction resolvers. Hot-path code: no closures, no
 * per-call allocation beyond the result itself; argument names for error messages are built only
 * when something is wrong.
 * @internal
 */
export class ResolverScratch {
  effective = new Float64Array(16);
  multipliers = new Float64Array(16);
  talk = new Float64Array(16);
  talkKnown = new Uint8Array(16);
  weights = new Float64Array(16);
  probabilities = new Float64Array(16);
  redirect = new Int32Array(16);

  /** Makes room for `count` bids. */
  ensure(count: number): void {
    if (count <= this.effective.length) return;
    let size = this.effective.length;
    while (size < count) size *= 2;
    this.effective = new Float64Array(size);
    this.multipliers = new Float64Array(size);
    this.talk = new Float64Array(size);
    this.talkKnown = new Uint8Array(size);
    this.weights = new Float64Array(size);
    this.probabilities = new Float64Array(size);
    this.redirect = new Int32Array(size);
  }
}

/** Reason codes packed into the low bits of {@link selectHighest}'s result. @internal */
export const SELECTED_HIGHEST = 0;
/** @internal */
export const SELECTED_BY_TALK_SHARE = 1;
/** @internal */
export const SELECTED_BY_AGENT_ID = 2;

const REASONS: readonly AuctionReason[] = ['highest-bid', 'tie-break-talk-share', 'tie-break-agent-id'];

/** The {@link AuctionReason} of a packed selection code. @internal */
export function selectionReason(code: number): AuctionReason {
  return REASONS[code & 3] as AuctionReason;
}

/** Source of talk shares for the tie-break. @internal */
export type TalkShareLookup = Pick<TalkShareSource, 'shareOf'>;

/**
 * Index of the highest `values[i]`; ties go to the lowest talk share, then the lowest agent id
 * (code-unit order). Returns `index * 4 + reasonCode`. Fills `scratch.talk`/`talkKnown` for the
 * tied bids it had to compare.
 * @internal
 */
export function selectHighest(
  values: Float64Array,
  bids: readonly AuctionBid[],
  count: number,
  scratch: ResolverScratch,
  talkShares: TalkShareLookup | undefined,
): number {
  let best = 0;
  let max = values[0] as number;
  let tied = 1;
  for (let i = 1; i < count; i++) {
    const value = values[i] as number;
    if (value > max) {
      max = value;
      best = i;
      tied = 1;
    } else if (value === max) tied++;
  }
  if (tied === 1) return best * 4 + SELECTED_HIGHEST;
  // Tie on the value: lowest talk share among the tied bids.
  let minTalk = Number.POSITIVE_INFINITY;
  let atMinTalk = 0;
  for (let i = 0; i < count; i++) {
    if ((values[i] as number) !== max) continue;
    const talk = talkShareOf(bids, i, scratch, talkShares);
    if (talk < minTalk) {
      minTalk = talk;
      atMinTalk = 1;
      best = i;
    } else if (talk === minTalk) atMinTalk++;
  }
  if (atMinTalk === 1) return best * 4 + SELECTED_BY_TALK_SHARE;
  // Still tied: lowest agent id.
  let bestId: string | undefined;
  for (let i = 0; i < count; i++) {
    if ((values[i] as number) !== max || (scratch.talk[i] as number) !== minTalk) continue;
    const agentId = (bids[i] as AuctionBid).agentId;
    if (bestId === undefined || agentId < bestId) {
      bestId = agentId;
      best = i;
    }
  }
  return best * 4 + SELECTED_BY_AGENT_ID;
}

function talkShareOf(
  bids: readonly AuctionBid[],
  index: number,
  scratch: ResolverScratch,
  talkShares: TalkShareLookup | undefined,
): number {
  const bid = bids[index] as AuctionBid;
  let talk = bid.talkShare;
  if (talk === undefined && talkShares !== undefined) talk = talkShares.shareOf(bid.agentId);
  scratch.talkKnown[index] = talk === undefined ? 0 : 1;
  const value = talk ?? 0;
  scratch.talk[index] = value;
  return value;
}

/**
 * Validates the round's shape and every bid's fields; throws {@link InvalidArgumentError} naming
 * the offending field. Clears `scratch.talkKnown` for the bids.
 * @internal
 */
export function validateRound(round: AuctionRound, scratch: ResolverScratch): readonly AuctionBid[] {
  const bids = round?.bids;
  if (!Array.isArray(bids)) {
    throw new InvalidArgumentError('round.bids', `expected an array of bids, got ${String(bids)}.`);
  }
  const count = bids.length;
  scratch.ensure(count);
  for (let i = 0; i < count; i++) {
    const bid = bids[i] as AuctionBid;
    if (bid === null || typeof bid !== 'object') {
      throw new InvalidArgumentError(`round.bids[${i}]`, `expected a bid object, got ${String(bid)}.`);
    }
    const agentId = bid.agentId;
    if (typeof agentId !== 'string' || agentId.length === 0) {
      throw new InvalidArgumentError(
        `round.bids[${i}].agentId`,
        `expected a non-empty string, got ${String(agentId)}.`,
      );
    }
    checkRange(bid.amount, i, 'amount', Number.POSITIVE_INFINITY);
    if (bid.evidenceQuality !== undefined) checkRange(bid.evidenceQuality, i, 'evidenceQuality', 1);
    if (bid.multiplier !== undefined) checkRange(bid.multiplier, i, 'multiplier', Number.POSITIVE_INFINITY);
    if (bid.talkShare !== undefined) checkRange(bid.talkShare, i, 'talkShare', 1);
    for (let j = 0; j < i; j++) {
      if ((bids[j] as AuctionBid).agentId === agentId) {
        throw new InvalidArgumentError(
          `round.bids[${i}].agentId`,
          `agent "${agentId}" bids twice in one round (also at index ${j}); send one bid per agent.`,
        );
      }
    }
    scratch.talkKnown[i] = bid.talkShare === undefined ? 0 : 1;
    scratch.talk[i] = bid.talkShare ?? 0;
  }
  return bids;
}

function checkRange(value: unknown, index: number, field: string, max: number): void {
  if (typeof value === 'number' && value >= 0 && value <= max && value !== Number.POSITIVE_INFINITY) return;
  const bound = max === Number.POSITIVE_INFINITY ? 'a finite number ≥ 0' : `a number in 0..${max}`;
  throw new InvalidArgumentError(`round.bids[${index}].${field}`, `expected ${bound}, got ${String(value)}.`);
}

/**
 * Builds the explanation rows. `probabilities` holds each bid's final win probability.
 * @internal
 */
export function buildEntries(
  bids: readonly AuctionBid[],
  count: number,
  multipliers: Float64Array | undefined,
  effective: Float64Array,
  probabilities: Float64Array,
  scratch: ResolverScratch,
): AuctionEntry[] {
  const entries: AuctionEntry[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const bid = bids[i] as AuctionBid;
    entries[i] = {
      agentId: bid.agentId,
      bid: bid.amount,
      multiplier: multipliers === undefined ? 1 : (multipliers[i] as number),
      effectiveBid: effective[i] as number,
      probability: probabilities[i] as number,
      evidenceQuality: bid.evidenceQuality,
      talkShare: scratch.talkKnown[i] === 1 ? (scratch.talk[i] as number) : undefined,
    };
  }
  return entries;
}
