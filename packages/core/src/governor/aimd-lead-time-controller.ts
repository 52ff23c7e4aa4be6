import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { BeatOutcome, LeadTimeController, LeadTimeControllerOptions } from './lead-time-controller';
import { LeadTimeState } from './lead-time-state';

/**
 * Options of {@link AimdLeadTimeController}.
 *
 * @example
 * ```ts
 * const options: AimdLeadTimeControllerOptions = { increase: 'multiplicative', increaseFactor: 1.1, hitStreak: 1, targetMissRate: 0.05 };
 * ```
 */
export interface AimdLeadTimeControllerOptions extends LeadTimeControllerOptions {
  /**
   * How a miss raises the lead time: `multiplicative` (`× increaseFactor`, the default: the same
   * settings fit fast and slow providers) or `additive` (`+ increaseMs`).
   */
  increase?: 'additive' | 'multiplicative';
  /** The additive step on a miss, ms > 0. Defaults to 20. */
  increaseMs?: number;
  /**
   * The multiplicative step on a miss, > 1. Defaults to 1.1: with log-normal latencies the mean lead
   * time then sits ≈ 2–3 % above the true p95 (larger factors react faster but cost more lead).
   */
  increaseFactor?: number;
  /** How many hits in a row lower the lead time once, an integer ≥ 1. Defaults to 1 (every hit). */
  hitStreak?: number;
}

/**
 * A lead-time controller in the AIMD family (Chiu & Jain, 1989): a miss raises the lead time by a
 * large step, every `hitStreak` hits in a row lower it by a small one, and the ratio of the two
 * steps is derived from the target miss rate so that the long-run miss rate converges to it.
 *
 * **The steps.** Write φ for the controlled coordinate: φ = lead time in ms (`increase:
 * 'additive'`) or φ = ln(lead time) (`increase: 'multiplicative'`). A miss adds `u` to φ (`u =
 * increaseMs`, or `u = ln(increaseFactor)`: the lead time is multiplied by `increaseFactor`); a
 * completed streak of `k = hitStreak` hits subtracts `d = u·r` with
 *
 *     r = (1 − (1−p)^k) / (1−p)^k        (k = 1: r = p/(1−p), e.g. 1/19 for p = 0.05)
 *
 * so in additive mode the decrease is `d = increaseMs·r` ms (additive), and in multiplicative mode
 * the lead time is multiplied by `increaseFactor^(−r)` — the same additive step in log-time, which
 * is what keeps the target independent of the latency scale (a fixed ms decrease after a ×β
 * increase balances at a miss rate that depends on how large the lead time is).
 *
 * **Why it converges (k = 1).** Over T beats with M misses and no clamping,
 * `φ_T − φ_0 = u·M − d·(T − M)`. Solving for M with `d = u·p/(1−p)`:
 *
 *     M/T = p + (1−p)·(φ_T − φ_0)/(u·T)
 *
 * Since φ stays within its bounds, the miss rate is within `(1−p)·(φ_max − φ_min)/(u·T)` of p, for
 * any latency distribution, stationary or not — a deterministic identity, not a statistical claim.
 * Clamping at `maxLeadTimeMs` makes misses free (the rate can exceed p when the bound is too low);
 * clamping at `minLeadTimeMs` makes hits free (the rate falls below p, harmlessly).
 *
 * **Streaks (k > 1).** Beats form a renewal process: at a fixed lead time with miss probability q,
 * streaks complete at the rate `q·(1−q)^k/(1−(1−q)^k)` per beat, so the mean drift
 * `q·u − d·q(1−q)^k/(1−(1−q)^k)` is zero exactly when `(1−q)^k = 1/(1+r)`, i.e. q = p. Longer
 * streaks make fewer, larger decreases (a smoother lead time) at the cost of a small bias from the
 * lead time's own fluctuation; k = 1 is exact.
 *
 * @example
 * ```ts
 * import { AimdLeadTimeController } from '@argentum/core';
 *
 * const controller = new AimdLeadTimeController({ targetMissRate: 0.05, increase: 'additive', increaseMs: 20, minLeadTimeMs: 100, maxLeadTimeMs: 3000, initialLeadTimeMs: 400 });
 * controller.observe({ hit: false }); // 420: a miss adds 20 ms
 * controller.observe({ hit: true }); // ≈ 418.95: a hit takes 20·0.05/0.95 ≈ 1.05 ms
 * controller.decreaseMs; // ≈ 1.053
 * ```
 */
export class AimdLeadTimeController implements LeadTimeController {
  /** How a miss raises the lead time. */
  readonly increase: 'additive' | 'multiplicative';
  /** The additive step on a miss, ms (additive mode). */
  readonly increaseMs: number;
  /** The multiplicative step on a miss (multiplicative mode). */
  readonly increaseFactor: number;
  /** Hits in a row per decrease. */
  readonly hitStreak: number;
  /** r = (1 − (1−p)^k)/(1−p)^k: the decrease step as a share of the increase step. */
  readonly decreaseRatio: number;
  private readonly state: LeadTimeState;
  /** `increaseFactor^(−r)`: the multiplicative-mode decrease. */
  private readonly decreaseMultiplier: number;
  private hitsInRow = 0;

  /**
   * @param options - target, bounds, steps and streak length.
   * @throws InvalidArgumentError when an option is out of range.
   */
  constructor(options: AimdLeadTimeControllerOptions = {}) {
    this.state = new LeadTimeState(options);
    const increase = options.increase ?? 'multiplicative';
    if (increase !== 'additive' && increase !== 'multiplicative') {
      throw new InvalidArgumentError(
        'increase',
        `expected 'additive' or 'multiplicative', got ${String(increase)}.`,
      );
    }
    this.increase = increase;
    this.increaseMs = assertNumber('increaseMs', options.increaseMs ?? 20, { above: 0 });
    this.increaseFactor = assertNumber('increaseFactor', options.increaseFactor ?? 1.1, { above: 1 });
    this.hitStreak = assertNumber('hitStreak', options.hitStreak ?? 1, {
      min: 1,
      max: 10_000,
      integer: true,
    });
    const streakHitProbability = (1 - this.state.targetMissRate) ** this.hitStreak;
    this.decreaseRatio = (1 - streakHitProbability) / streakHitProbability;
    this.decreaseMultiplier = Math.exp(-Math.log(this.increaseFactor) * this.decreaseRatio);
    if (increase === 'multiplicative' && this.state.leadTimeMs <= 0) {
      throw new InvalidArgumentError(
        'initialLeadTimeMs',
        'multiplicative increase needs a positive lead time to multiply: set initialLeadTimeMs > 0.',
      );
    }
  }

  /** The current lead time, ms. */
  get leadTimeMs(): number {
    return this.state.leadTimeMs;
  }

  /** The share of misses among the last `missRateWindow` beats. */
  get missRate(): number {
    return this.state.missRate;
  }

  /** How many beats were observed. */
  get beatCount(): number {
    return this.state.beatCount;
  }

  /** How many beats missed. */
  get missCount(): number {
    return this.state.missCount;
  }

  /** The target miss rate. */
  get targetMissRate(): number {
    return this.state.targetMissRate;
  }

  /** The least lead time, ms. */
  get minLeadTimeMs(): number {
    return this.state.minLeadTimeMs;
  }

  /** The largest lead time, ms. */
  get maxLeadTimeMs(): number {
    return this.state.maxLeadTimeMs;
  }

  /** How many ms the next completed hit streak would take off the lead time (before clamping). */
  get decreaseMs(): number {
    return this.increase === 'additive'
      ? this.increaseMs * this.decreaseRatio
      : this.state.leadTimeMs * (1 - this.decreaseMultiplier);
  }

  /**
   * Takes one beat: a miss raises the lead time, the `hitStreak`-th hit in a row lowers it.
   * Allocation-free.
   *
   * @param outcome - the beat's times or verdict.
   * @returns the new lead time, ms.
   * @throws InvalidArgumentError when `outcome` is malformed.
   * @example
   * ```ts
   * const leadTimeMs = controller.observe({ readyAtMs: 980, deadlineMs: 1000 });
   * ```
   */
  observe(outcome: BeatOutcome): number {
    const state = this.state;
    if (state.count(outcome)) {
      this.hitsInRow = 0;
      state.setLeadTime(
        this.increase === 'additive'
          ? state.leadTimeMs + this.increaseMs
          : state.leadTimeMs * this.increaseFactor,
      );
    } else {
      this.hitsInRow += 1;
      if (this.hitsInRow === this.hitStreak) {
        this.hitsInRow = 0;
        state.setLeadTime(
          this.increase === 'additive'
            ? state.leadTimeMs - this.increaseMs * this.decreaseRatio
            : state.leadTimeMs * this.decreaseMultiplier,
        );
      }
    }
    return state.leadTimeMs;
  }
}
