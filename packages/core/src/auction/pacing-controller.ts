import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { BidMultiplierSource } from './auction-types';
import type { TalkShareSource } from './talk-share-window';

/**
 * Options of {@link PacingController}. The defaults are tuned by the pacing-convergence property
 * test (2–8 agents, bids 1..10 including always-max bidders, random targets: Jain's index on
 * share/target ≥ 0.95 after 200 turns). Pacing can offset a bid ratio R only when
 * `maxMultiplier / minMultiplier > R`; it cuts an over-talker's effective bid to parity at a
 * relative share error of `deadband + (1 − 1/R) / gain` (5 % for R = 10 with the defaults). Lower
 * the gain to let bids matter more, at the price of fairness.
 *
 * @example
 * ```ts
 * // Gentler pacing: bids matter more, shares drift further from their targets.
 * const pacing = new PacingController({ gain: 8, deadband: 0.05, maxMultiplier: 4 });
 * ```
 */
export interface PacingOptions {
  /** EMA smoothing λ in (0, 1]: weight of the newest error. Default 0.3. */
  smoothing?: number;
  /** Gain k ≥ 0 from relative error to multiplier. Default 30 (3.3 % over target beyond the deadband → minimum). */
  gain?: number;
  /** Deadband δ ≥ 0 on the relative error `e / target`: inside it the multiplier is 1. Default 0.02. */
  deadband?: number;
  /** Lowest multiplier, 0..1. Default 0.02. */
  minMultiplier?: number;
  /** Highest multiplier, ≥ 1. Default 20. */
  maxMultiplier?: number;
}

/**
 * A plain picture of a {@link PacingController}.
 *
 * @example
 * ```ts
 * const { errors, multipliers }: PacingControllerSnapshot = pacing.snapshot();
 * ```
 */
export interface PacingControllerSnapshot {
  /** EMA of `share − target` per agent. */
  errors: Record<string, number>;
  /** Current bid multiplier per agent. */
  multipliers: Record<string, number>;
}

interface AgentPacing {
  error: number;
  multiplier: number;
}

/** Default EMA smoothing λ. */
const DEFAULT_SMOOTHING = 0.3;
/** Default gain k. */
const DEFAULT_GAIN = 30;
/** Default deadband δ. */
const DEFAULT_DEADBAND = 0.02;
/** Default multiplier bounds. */
const DEFAULT_MIN_MULTIPLIER = 0.02;
const DEFAULT_MAX_MULTIPLIER = 20;

/**
 * Talk-share pacing: turns each agent's talk-share error into a bid multiplier that pushes shares
 * toward their targets.
 *
 * On every {@link PacingController.update} each agent's error is smoothed with an exponential
 * moving average, `e ← (1 − λ)·e + λ·(share − target)`. The multiplier reads the error relative to
 * the target, `r = e / target` (so an agent aiming at 5 % is held as tightly as one aiming at
 * 50 %), and is
 *
 * - `1` inside the deadband `|r| ≤ δ` (small errors do not disturb the bids),
 * - `clamp(1 − k·(r − sign(r)·δ), min, max)` outside it — continuous at the band's edge, so a
 *   share drifting across it never makes the bids jump.
 *
 * An agent above its target bids less effectively, one below it more. After a step change of size
 * `e₀` in a target, the EMA is within `ε` of its new value after `⌈ln(ε/e₀) / ln(1 − λ)⌉` updates
 * ({@link pacingSettlingTurns}).
 *
 * @example
 * ```ts
 * import { PacingController, TalkShareWindow } from '@argentum/core';
 *
 * const talk = new TalkShareWindow({ agents: ['alice', 'bob'] });
 * const pacing = new PacingController();
 * talk.record({ agentId: 'alice', durationMs: 5000, at: 5000 });
 * pacing.update(talk);
 * pacing.multiplierOf('alice'); // < 1: alice has had all the talk
 * pacing.multiplierOf('bob'); // > 1
 * ```
 */
export class PacingController implements BidMultiplierSource {
  /** EMA smoothing λ. */
  readonly smoothing: number;
  /** Gain k. */
  readonly gain: number;
  /** Deadband δ on the relative error. */
  readonly deadband: number;
  /** Lowest multiplier. */
  readonly minMultiplier: number;
  /** Highest multiplier. */
  readonly maxMultiplier: number;
  private readonly agents = new Map<string, AgentPacing>();

  /**
   * @param options - gains and bounds; every field is optional.
   * @throws {@link InvalidArgumentError} for values out of range.
   */
  constructor(options: PacingOptions = {}) {
    this.smoothing = assertNumber('smoothing', options.smoothing ?? DEFAULT_SMOOTHING, { above: 0, max: 1 });
    this.gain = assertNumber('gain', options.gain ?? DEFAULT_GAIN, { min: 0 });
    this.deadband = assertNumber('deadband', options.deadband ?? DEFAULT_DEADBAND, { min: 0 });
    this.minMultiplier = assertNumber('minMultiplier', options.minMultiplier ?? DEFAULT_MIN_MULTIPLIER, {
      min: 0,
      max: 1,
    });
    this.maxMultiplier = assertNumber('maxMultiplier', options.maxMultiplier ?? DEFAULT_MAX_MULTIPLIER, {
      min: 1,
    });
  }

  /**
   * Folds the current shares into every agent's error EMA and recomputes the multipliers. Call it
   * once per turn (after recording the turn). Agents seen for the first time start at error 0.
   *
   * @param source - shares and targets, e.g. a {@link TalkShareWindow}.
   * @example
   * ```ts
   * talk.record(turn);
   * pacing.update(talk);
   * ```
   */
  update(source: TalkShareSource): void {
    const ids = source.agentIds;
    const keep = 1 - this.smoothing;
    for (let i = 0; i < ids.length; i++) {
      const agentId = ids[i] as string;
      const share = source.shareOf(agentId);
      const target = source.targetOf(agentId);
      if (!Number.isFinite(share) || !Number.isFinite(target) || target < 0) {
        throw new InvalidArgumentError(
          'source',
          `agent "${agentId}" has share ${share} and target ${target}: both must be finite, the target ≥ 0.`,
        );
      }
      let state = this.agents.get(agentId);
      if (state === undefined) {
        state = { error: 0, multiplier: 1 };
        this.agents.set(agentId, state);
      }
      state.error = keep * state.error + this.smoothing * (share - target);
      state.multiplier = this.multiplierFor(state.error, target);
    }
  }

  /**
   * The agent's smoothed talk-share error `e` (positive = talking more than its target).
   *
   * @param agentId - any agent id.
   * @returns the error, 0 for an agent never updated.
   * @example
   * ```ts
   * pacing.errorOf('alice'); // e.g. 0.12: 12 points above target
   * ```
   */
  errorOf(agentId: string): number {
    return this.agents.get(agentId)?.error ?? 0;
  }

  /**
   * The agent's bid multiplier, in `[minMultiplier, maxMultiplier]`.
   *
   * @param agentId - any agent id.
   * @returns the multiplier, 1 for an agent never updated.
   * @example
   * ```ts
   * const effective = bid * pacing.multiplierOf('alice');
   * ```
   */
  multiplierOf(agentId: string): number {
    return this.agents.get(agentId)?.multiplier ?? 1;
  }

  /**
   * Forgets the error of one agent, or of all.
   *
   * @param agentId - the agent to reset; omit to reset everyone.
   * @example
   * ```ts
   * pacing.reset(); // new topic, start pacing afresh
   * ```
   */
  reset(agentId?: string): void {
    if (agentId === undefined) this.agents.clear();
    else this.agents.delete(agentId);
  }

  /**
   * A plain copy of errors and multipliers.
   *
   * @returns the snapshot.
   * @example
   * ```ts
   * console.table(pacing.snapshot().multipliers);
   * ```
   */
  snapshot(): PacingControllerSnapshot {
    const errors: Record<string, number> = {};
    const multipliers: Record<string, number> = {};
    for (const [agentId, state] of this.agents) {
      errors[agentId] = state.error;
      multipliers[agentId] = state.multiplier;
    }
    return { errors, multipliers };
  }

  private multiplierFor(error: number, target: number): number {
    // A zero target has no meaningful relative error: any talk is "infinitely" over.
    const relative = target > 0 ? error / target : error > 0 ? Number.POSITIVE_INFINITY : 0;
    const band = this.deadband;
    let excess: number;
    if (relative > band) excess = relative - band;
    else if (relative < -band) excess = relative + band;
    else return 1;
    const multiplier = 1 - this.gain * excess;
    if (multiplier < this.minMultiplier) return this.minMultiplier;
    if (multiplier > this.maxMultiplier) return this.maxMultiplier;
    return multiplier;
  }
}

/**
 * Inputs of {@link pacingSettlingTurns}.
 *
 * @example
 * ```ts
 * const turns = pacingSettlingTurns({ smoothing: 0.3, initialError: 0.2, tolerance: 0.01 }); // 9
 * ```
 */
export interface PacingSettlingOptions {
  /** EMA smoothing λ in (0, 1]. */
  smoothing: number;
  /** Size of the step, `|e₀|` (the distance from the old error to the new one), ≥ 0. */
  initialError: number;
  /** The tolerance ε > 0. */
  tolerance: number;
}

/**
 * How many noise-free updates the pacing EMA needs, after a step of size `e₀` in a target, to be
 * within `ε` of its new value: `n = ⌈ln(ε / e₀) / ln(1 − λ)⌉` (0 when `e₀ ≤ ε`; 1 when `λ = 1`).
 *
 * Why: after a step the distance to the new fixed point shrinks by the factor `(1 − λ)` each
 * update, so after `n` updates it is `(1 − λ)ⁿ·e₀`, which is ≤ ε exactly when `n ≥ ln(ε/e₀)/ln(1 − λ)`.
 *
 * @param options - λ, e₀ and ε.
 * @returns the number of updates.
 * @example
 * ```ts
 * import { pacingSettlingTurns } from '@argentum/core';
 *
 * pacingSettlingTurns({ smoothing: 0.3, initialError: 0.2, tolerance: 0.01 }); // 9: 0.7⁹·0.2 ≈ 0.008
 * ```
 */
export function pacingSettlingTurns(options: PacingSettlingOptions): number {
  const smoothing = assertNumber('smoothing', options.smoothing, { above: 0, max: 1 });
  const initialError = Math.abs(assertNumber('initialError', options.initialError));
  const tolerance = assertNumber('tolerance', options.tolerance, { above: 0 });
  if (initialError <= tolerance) return 0;
  if (smoothing === 1) return 1;
  return Math.ceil(Math.log(tolerance / initialError) / Math.log(1 - smoothing));
}
