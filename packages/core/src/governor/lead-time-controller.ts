/**
 * What happened at one committed beat: either the two times (the audio was ready at `readyAtMs`,
 * the beat needed it by `deadlineMs`; ready after the deadline is a miss, exactly on it a hit), or
 * the verdict itself (`hit`), optionally with the latency that produced it.
 *
 * @example
 * ```ts
 * const fromTimes: BeatOutcome = { readyAtMs: 10_480, deadlineMs: 10_500 }; // a hit, 20 ms to spare
 * const fromVerdict: BeatOutcome = { hit: false, latencyMs: 730 };
 * ```
 */
export type BeatOutcome =
  | {
      /** When the audio became ready, scheduler ms. */
      readyAtMs: number;
      /** When the beat needed it, scheduler ms. */
      deadlineMs: number;
    }
  | {
      /** Whether the audio was ready by the beat. */
      hit: boolean;
      /** The latency that produced the outcome, ms (informational). */
      latencyMs?: number;
    };

/**
 * Options shared by every {@link LeadTimeController}.
 *
 * @example
 * ```ts
 * const options: LeadTimeControllerOptions = { targetMissRate: 0.05, minLeadTimeMs: 100, maxLeadTimeMs: 3000 };
 * ```
 */
export interface LeadTimeControllerOptions {
  /** The long-run share of beats allowed to miss, 0 < p < 1. Defaults to 0.05. */
  targetMissRate?: number;
  /** The least lead time, ms ≥ 0. Defaults to 0. */
  minLeadTimeMs?: number;
  /** The largest lead time, ms ≥ `minLeadTimeMs`. Defaults to 5000. */
  maxLeadTimeMs?: number;
  /** The lead time before any beat was observed, ms, within the bounds. Defaults to 500 (clamped to the bounds). */
  initialLeadTimeMs?: number;
  /** How many recent beats `missRate` covers, an integer ≥ 1. Defaults to 200. */
  missRateWindow?: number;
}

/**
 * Decides how long before a committed beat the next audio must be requested, from whether past
 * beats got their audio in time, so that a target share of beats miss in the long run.
 *
 * Implementations are pure and deterministic: the same outcomes give the same lead times, with no
 * clock and no randomness. Two strategies: {@link AimdLeadTimeController} (fast reaction, exact
 * long-run miss rate) and {@link RobbinsMonroLeadTimeController} (a stochastic-approximation
 * quantile tracker). {@link adjustLeadTime} is the RxJS face.
 *
 * @example
 * ```ts
 * import { createLeadTimeController } from '@argentum/core';
 *
 * const controller = createLeadTimeController({ strategy: 'aimd', targetMissRate: 0.05 });
 * const requestAtMs = nextBeatAtMs - controller.leadTimeMs;
 * // … later, when the audio arrived:
 * controller.observe({ readyAtMs: audioReadyAtMs, deadlineMs: nextBeatAtMs });
 * ```
 */
export interface LeadTimeController {
  /**
   * Takes one beat's outcome and updates the lead time.
   * @param outcome - the beat's times or verdict; throws `InvalidArgumentError` when malformed.
   * @returns the new lead time, ms.
   */
  observe(outcome: BeatOutcome): number;
  /** The current lead time, ms, always within `[minLeadTimeMs, maxLeadTimeMs]`. */
  readonly leadTimeMs: number;
  /** The share of misses among the last `missRateWindow` beats (0 before any beat). */
  readonly missRate: number;
  /** How many beats were observed. */
  readonly beatCount: number;
  /** How many of them missed. */
  readonly missCount: number;
  /** The target miss rate. */
  readonly targetMissRate: number;
  /** The least lead time, ms. */
  readonly minLeadTimeMs: number;
  /** The largest lead time, ms. */
  readonly maxLeadTimeMs: number;
}
