import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { BeatOutcome, LeadTimeController, LeadTimeControllerOptions } from './lead-time-controller';
import { LeadTimeState } from './lead-time-state';

/**
 * Options of {@link RobbinsMonroLeadTimeController}.
 *
 * @example
 * ```ts
 * const options: RobbinsMonroLeadTimeControllerOptions = { initialGain: 0.5, gainDecayExponent: 0.6, minimumGain: 0.02 };
 * ```
 */
export interface RobbinsMonroLeadTimeControllerOptions extends LeadTimeControllerOptions {
  /**
   * The gain γ₀ of the first beat, > 0, on the log scale: a miss multiplies the lead time by
   * `exp(γ·(1−p))`. Defaults to 0.5.
   */
  initialGain?: number;
  /**
   * How fast the gain decays, `a` in `γ_t = γ₀/(t+1)^a`, 0 ≤ a ≤ 1. Defaults to 0.6. Values in
   * (0.5, 1] meet the Robbins–Monro conditions (Σγ = ∞, Σγ² < ∞); 0 gives a constant gain.
   */
  gainDecayExponent?: number;
  /**
   * The gain never falls below this, ≥ 0, so the tracker keeps following latencies that change.
   * Defaults to 0.02 (a miss then adds ≈ 1.9 % to the lead time, a hit takes ≈ 0.1 % off). 0 gives
   * the pure Robbins–Monro schedule.
   */
  minimumGain?: number;
}

/**
 * A lead-time controller that tracks the `(1 − targetMissRate)` quantile of the latency by
 * stochastic approximation (Robbins & Monro, 1951), on the log scale: after beat t,
 *
 *     ln(lead) ← ln(lead) + γ_t·(miss − p),    γ_t = max(minimumGain, initialGain/(t+1)^a)
 *
 * so a miss multiplies the lead time by `exp(γ_t·(1−p))` and a hit by `exp(−γ_t·p)`. This is the
 * textbook update `lead += γ_t·(miss − p)` applied to ln(lead): the gains are then relative (0.02 ≈
 * 2 %) and the same defaults work for 100 ms and 3 s latencies — with gains in ms the tracker is
 * either too slow for slow providers or too jumpy for fast ones. Since ln is increasing, the
 * quantile of ln(latency) is ln of the latency's quantile, so the fixed point is unchanged.
 *
 * **Why it converges.** At a fixed lead time ℓ the expected step is `γ·(P(latency > ℓ) − p)`: zero
 * exactly at the latency's `(1−p)` quantile ℓ*, positive below it, negative above, so ℓ is pulled
 * towards ℓ*. With a ∈ (0.5, 1] and no gain floor, ℓ → ℓ* almost surely for i.i.d. latencies with a
 * positive density at ℓ*. Summing the updates gives the identity
 * `ln ℓ_T − ln ℓ_0 = Σ γ_t·(miss_t − p)` (without clamping); once the gain has reached its floor
 * γ this becomes `M/T = p + ln(ℓ_T/ℓ_0)/(γ·T)` over any later stretch of T beats with M misses —
 * the same deterministic bound as {@link AimdLeadTimeController} with k = 1.
 *
 * Compared with AIMD it moves less once the gain has decayed (a smoother lead time) and reacts
 * more slowly to a sudden change in latency, at the floor gain's pace.
 *
 * @example
 * ```ts
 * import { RobbinsMonroLeadTimeController } from '@argentum/core';
 *
 * const controller = new RobbinsMonroLeadTimeController({ targetMissRate: 0.05, initialGain: 0.5, initialLeadTimeMs: 400 });
 * controller.observe({ hit: false }); // ≈ 643: × exp(0.5·0.95)
 * controller.observe({ hit: true }); // ≈ 633: γ₁ = 0.5/2^0.6 ≈ 0.33, × exp(−0.33·0.05)
 * ```
 */
export class RobbinsMonroLeadTimeController implements LeadTimeController {
  /** γ₀ (log scale). */
  readonly initialGain: number;
  /** The decay exponent a. */
  readonly gainDecayExponent: number;
  /** The gain floor (log scale). */
  readonly minimumGain: number;
  private readonly state: LeadTimeState;

  /**
   * @param options - target, bounds and gain schedule.
   * @throws InvalidArgumentError when an option is out of range.
   */
  constructor(options: RobbinsMonroLeadTimeControllerOptions = {}) {
    this.state = new LeadTimeState(options);
    this.initialGain = assertNumber('initialGain', options.initialGain ?? 0.5, { above: 0, max: 10 });
    this.gainDecayExponent = assertNumber('gainDecayExponent', options.gainDecayExponent ?? 0.6, {
      min: 0,
      max: 1,
    });
    this.minimumGain = assertNumber('minimumGain', options.minimumGain ?? 0.02, { min: 0, max: 10 });
    if (this.state.leadTimeMs <= 0) {
      throw new InvalidArgumentError(
        'initialLeadTimeMs',
        'the Robbins–Monro tracker works on ln(lead time) and needs a positive lead time: set initialLeadTimeMs > 0.',
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

  /** The gain γ_t the next beat will use (log scale). */
  get gain(): number {
    const decayed = this.initialGain / (this.state.beatCount + 1) ** this.gainDecayExponent;
    return decayed > this.minimumGain ? decayed : this.minimumGain;
  }

  /**
   * Takes one beat: `ln(lead) += γ_t·(miss − p)`. Allocation-free.
   *
   * @param outcome - the beat's times or verdict.
   * @returns the new lead time, ms.
   * @throws InvalidArgumentError when `outcome` is malformed.
   * @example
   * ```ts
   * const leadTimeMs = controller.observe({ hit: true, latencyMs: 310 });
   * ```
   */
  observe(outcome: BeatOutcome): number {
    const gain = this.gain;
    const state = this.state;
    const miss = state.count(outcome);
    state.setLeadTime(state.leadTimeMs * Math.exp(gain * ((miss ? 1 : 0) - state.targetMissRate)));
    return state.leadTimeMs;
  }
}
