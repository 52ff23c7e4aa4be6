import { defer, map, type OperatorFunction } from 'rxjs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { assertAgentId } from './agent-registry';
import type { BidMultiplierSource } from './auction-types';

/**
 * Something that reflects on an agent's standing:
 * - `interrupted`: the agent's turn was cut short by another's hard interrupt (listeners found it
 *   less worth hearing);
 * - `interjection-accepted` / `interjection-rejected`: the agent's interjection was taken up by
 *   the speaker, or dismissed;
 * - `evidence`: the agent's contribution was rated for evidence quality, 0..1.
 *
 * @example
 * ```ts
 * tracker.observe({ type: 'evidence', agentId: 'alice', quality: 0.9, at: clock.now() });
 * ```
 */
export type ReputationEvent =
  | {
      /** Discriminator. */
      type: 'interrupted' | 'interjection-accepted' | 'interjection-rejected';
      /** The agent concerned. */
      agentId: string;
      /** Scheduler ms. */
      at: number;
    }
  | {
      /** Discriminator. */
      type: 'evidence';
      /** The agent concerned. */
      agentId: string;
      /** Evidence quality, 0..1. */
      quality: number;
      /** Scheduler ms. */
      at: number;
    };

/**
 * What each event kind says about an agent, as an observation in 0..1 (1 = best).
 *
 * @example
 * ```ts
 * // Being interrupted costs nothing; a dismissed interjection costs a lot.
 * const tracker = new ReputationTracker({ observations: { interrupted: 0.5, interjectionRejected: 0 } });
 * ```
 */
export interface ReputationObservations {
  /** For `interrupted`. Default 0.2. */
  interrupted?: number;
  /** For `interjection-accepted`. Default 1. */
  interjectionAccepted?: number;
  /** For `interjection-rejected`. Default 0.2. */
  interjectionRejected?: number;
}

/**
 * Options of {@link ReputationTracker}.
 *
 * @example
 * ```ts
 * const tracker = new ReputationTracker({ smoothing: 0.2, minMultiplier: 0.9, maxMultiplier: 1.1 });
 * ```
 */
export interface ReputationOptions {
  /** EMA smoothing λ in (0, 1]: weight of the newest observation. Default 0.1. */
  smoothing?: number;
  /** Score of an agent with no history, 0..1. Default 0.5. */
  initialScore?: number;
  /** Score at which the multiplier is 1, 0..1. Default 0.5. */
  neutralScore?: number;
  /** Multiplier change per unit of score above/below neutral, ≥ 0. Default 0.5. */
  gain?: number;
  /** Lowest multiplier, 0..1. Default 0.8. */
  minMultiplier?: number;
  /** Highest multiplier, ≥ 1. Default 1.2. */
  maxMultiplier?: number;
  /** Observation values per event kind. */
  observations?: ReputationObservations;
}

/**
 * A plain picture of a {@link ReputationTracker}.
 *
 * @example
 * ```ts
 * const { scores, multipliers }: ReputationSnapshot = tracker.snapshot();
 * ```
 */
export interface ReputationSnapshot {
  /** Discriminator. */
  type: 'reputation';
  /** Time of the latest event folded in (scheduler ms), or `NaN` before any. */
  at: number;
  /** Score per agent seen, 0..1. */
  scores: Record<string, number>;
  /** Bid multiplier per agent seen. */
  multipliers: Record<string, number>;
}

/**
 * Reputation: an exponential moving average of how an agent's contributions are received, in
 * `0..1`, turned into a bounded bid multiplier.
 *
 * Each event maps to an observation `o` in 0..1 (an `evidence` event's is its quality; the others
 * come from {@link ReputationObservations}); the score moves `s ← (1 − λ)·s + λ·o`, so it always
 * stays in 0..1 and forgets old behaviour geometrically. The multiplier is
 * `clamp(1 + gain·(s − neutral), min, max)`.
 *
 * @example
 * ```ts
 * import { ReputationTracker } from '@argentum/core';
 *
 * const reputation = new ReputationTracker();
 * reputation.observe({ type: 'interjection-accepted', agentId: 'bob', at: 1200 });
 * reputation.observe({ type: 'evidence', agentId: 'bob', quality: 0.9, at: 4000 });
 * reputation.scoreOf('bob'); // 0.5 → 0.55 → 0.585
 * reputation.multiplierOf('bob'); // 1.0425
 * ```
 */
export class ReputationTracker implements BidMultiplierSource {
  /** EMA smoothing λ. */
  readonly smoothing: number;
  /** Score of a newcomer. */
  readonly initialScore: number;
  /** Score with multiplier 1. */
  readonly neutralScore: number;
  /** Multiplier per unit score. */
  readonly gain: number;
  /** Lowest multiplier. */
  readonly minMultiplier: number;
  /** Highest multiplier. */
  readonly maxMultiplier: number;
  private readonly interrupted: number;
  private readonly accepted: number;
  private readonly rejected: number;
  private readonly scores = new Map<string, number>();
  private latestAt = Number.NaN;

  /**
   * @param options - smoothing, bounds and observation values; all optional.
   * @throws {@link InvalidArgumentError} for values out of range.
   */
  constructor(options: ReputationOptions = {}) {
    this.smoothing = assertNumber('smoothing', options.smoothing ?? 0.1, { above: 0, max: 1 });
    this.initialScore = assertNumber('initialScore', options.initialScore ?? 0.5, { min: 0, max: 1 });
    this.neutralScore = assertNumber('neutralScore', options.neutralScore ?? 0.5, { min: 0, max: 1 });
    this.gain = assertNumber('gain', options.gain ?? 0.5, { min: 0 });
    this.minMultiplier = assertNumber('minMultiplier', options.minMultiplier ?? 0.8, { min: 0, max: 1 });
    this.maxMultiplier = assertNumber('maxMultiplier', options.maxMultiplier ?? 1.2, { min: 1 });
    const observations = options.observations ?? {};
    const unit = { min: 0, max: 1 };
    this.interrupted = assertNumber('observations.interrupted', observations.interrupted ?? 0.2, unit);
    this.accepted = assertNumber(
      'observations.interjectionAccepted',
      observations.interjectionAccepted ?? 1,
      unit,
    );
    this.rejected = assertNumber(
      'observations.interjectionRejected',
      observations.interjectionRejected ?? 0.2,
      unit,
    );
  }

  /**
   * Folds one event into the agent's score.
   *
   * @param event - what happened.
   * @returns the agent's new score.
   * @throws {@link InvalidArgumentError} for an unknown event type or a quality outside 0..1.
   * @example
   * ```ts
   * reputation.observe({ type: 'interrupted', agentId: 'alice', at: clock.now() });
   * ```
   */
  observe(event: ReputationEvent): number {
    const agentId = assertAgentId('event.agentId', event?.agentId);
    let observation: number;
    switch (event.type) {
      case 'interrupted':
        observation = this.interrupted;
        break;
      case 'interjection-accepted':
        observation = this.accepted;
        break;
      case 'interjection-rejected':
        observation = this.rejected;
        break;
      case 'evidence':
        observation = assertNumber('event.quality', event.quality, { min: 0, max: 1 });
        break;
      default:
        throw new InvalidArgumentError(
          'event.type',
          `unknown reputation event ${JSON.stringify((event as { type?: unknown }).type)}; expected interrupted, interjection-accepted, interjection-rejected or evidence.`,
        );
    }
    const at = assertNumber('event.at', event.at);
    const score = (1 - this.smoothing) * this.scoreOf(agentId) + this.smoothing * observation;
    // Clamp guards the 0..1 range against the last bit of rounding.
    const bounded = score < 0 ? 0 : score > 1 ? 1 : score;
    this.scores.set(agentId, bounded);
    this.latestAt = at;
    return bounded;
  }

  /**
   * The agent's score, 0..1.
   *
   * @param agentId - any agent id.
   * @returns its score (`initialScore` when it has no history).
   * @example
   * ```ts
   * if (reputation.scoreOf('alice') < 0.3) console.log('alice is losing the room');
   * ```
   */
  scoreOf(agentId: string): number {
    return this.scores.get(agentId) ?? this.initialScore;
  }

  /**
   * The agent's bid multiplier, `clamp(1 + gain·(score − neutral), min, max)`.
   *
   * @param agentId - any agent id.
   * @returns the multiplier.
   * @example
   * ```ts
   * const resolver = new EnhancedAuctionResolver({ multipliers: [pacing, reputation] });
   * ```
   */
  multiplierOf(agentId: string): number {
    const multiplier = 1 + this.gain * (this.scoreOf(agentId) - this.neutralScore);
    if (multiplier < this.minMultiplier) return this.minMultiplier;
    if (multiplier > this.maxMultiplier) return this.maxMultiplier;
    return multiplier;
  }

  /**
   * A plain copy of scores and multipliers of every agent seen.
   *
   * @returns the snapshot.
   * @example
   * ```ts
   * console.table(reputation.snapshot().scores);
   * ```
   */
  snapshot(): ReputationSnapshot {
    const scores: Record<string, number> = {};
    const multipliers: Record<string, number> = {};
    for (const agentId of this.scores.keys()) {
      scores[agentId] = this.scoreOf(agentId);
      multipliers[agentId] = this.multiplierOf(agentId);
    }
    return { type: 'reputation', at: this.latestAt, scores, multipliers };
  }
}

/**
 * An RxJS operator from reputation events to snapshots: one {@link ReputationSnapshot} per event.
 * Each subscription has its own tracker.
 *
 * @param options - tracker options.
 * @returns the operator.
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { reputation } from '@argentum/core';
 *
 * of({ type: 'evidence', agentId: 'alice', quality: 1, at: 0 } as const)
 *   .pipe(reputation())
 *   .subscribe((snapshot) => console.log(snapshot.scores)); // { alice: 0.55 }
 * ```
 */
export function reputation(
  options: ReputationOptions = {},
): OperatorFunction<ReputationEvent, ReputationSnapshot> {
  new ReputationTracker(options);
  return (events) =>
    defer(() => {
      const tracker = new ReputationTracker(options);
      return events.pipe(
        map((event) => {
          tracker.observe(event);
          return tracker.snapshot();
        }),
      );
    });
}
