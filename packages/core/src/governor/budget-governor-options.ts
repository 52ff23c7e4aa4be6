import type { SchedulerLike } from 'rxjs';

/**
 * The bounds and step of one governed limit.
 *
 * @example
 * ```ts
 * const concurrency: LimitRange = { min: 1, max: 8, initial: 4, increaseStep: 1 };
 * ```
 */
export interface LimitRange {
  /** The lowest value a decrease may reach. */
  min: number;
  /** The highest value an increase may reach. */
  max: number;
  /** The starting value, within the bounds. Defaults to `max`. */
  initial?: number;
  /** How much one healthy evaluation adds, > 0. Defaults to 1 (0.1 for `interjectionRate`). */
  increaseStep?: number;
}

/**
 * The limits a {@link BudgetGovernor} hands out.
 *
 * @example
 * ```ts
 * governor.limits$.subscribe(({ concurrency, prefetchDepth, interjectionRate }) => {
 *   pool.resize(concurrency);
 * });
 * ```
 */
export interface GovernorLimits {
  /** How many provider requests may run at once (an integer). */
  concurrency: number;
  /** How many segments ahead TTS/LLM work may be prefetched (an integer). */
  prefetchDepth: number;
  /** The share of interjection opportunities agents may take, 0–1. */
  interjectionRate: number;
}

/**
 * Options of {@link BudgetGovernor}.
 *
 * @example
 * ```ts
 * const options: BudgetGovernorOptions = { tokensPerSecondBudget: 2000, maxErrorRate: 0.2, windowMs: 10_000, concurrency: { min: 1, max: 6 } };
 * ```
 */
export interface BudgetGovernorOptions {
  /** The clock of the sliding windows; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
  /**
   * The token budget, tokens per second > 0, averaged over `windowMs` (at most
   * `tokensPerSecondBudget × windowMs / 1000` tokens in any window). Omit for no token budget.
   */
  tokensPerSecondBudget?: number;
  /** The highest tolerated share of failed provider requests in the window, 0–1. Defaults to 0.25. */
  maxErrorRate?: number;
  /** The sliding window, ms > 0. Defaults to 10 000. */
  windowMs?: number;
  /** The error rate is judged only once the window holds this many requests, an integer ≥ 1. Defaults to 10. */
  minimumRequestCount?: number;
  /** Each decrease multiplies every limit by this, 0 < f < 1 (integers round down). Defaults to 0.5. */
  decreaseFactor?: number;
  /**
   * After a decrease, further decreases wait this long, ms ≥ 0, so that the window can reflect the
   * lower limits before they are cut again. Defaults to `windowMs`.
   */
  decreaseCooldownMs?: number;
  /** Concurrency bounds (integers). Defaults to `{ min: 1, max: 4 }`. */
  concurrency?: LimitRange;
  /** Prefetch depth bounds (integers). Defaults to `{ min: 0, max: 3 }`. */
  prefetchDepth?: LimitRange;
  /** Interjection rate bounds, within 0–1. Defaults to `{ min: 0, max: 1, increaseStep: 0.1 }`. */
  interjectionRate?: LimitRange;
}

/**
 * One evaluation of a {@link BudgetGovernor}, with its explanation.
 *
 * @example
 * ```ts
 * const decision: BudgetDecision = governor.evaluate();
 * if (decision.action === 'decrease') console.warn(decision.reasons.join('; '));
 * ```
 */
export interface BudgetDecision {
  /** Always `budget-decision`. */
  type: 'budget-decision';
  /** When the evaluation ran, scheduler ms. */
  at: number;
  /** `decrease`: a budget was exceeded; `increase`: healthy; `hold`: neither could change a limit. */
  action: 'decrease' | 'increase' | 'hold';
  /** Human-readable reasons, e.g. `token rate 1520/s is over the 1000/s budget`. */
  reasons: string[];
  /** Tokens per second over the window. */
  tokensPerSecond: number;
  /** Failed share of the requests in the window (0 without requests). */
  errorRate: number;
  /** Requests in the window. */
  requestCount: number;
  /** The limits before this evaluation. */
  previousLimits: GovernorLimits;
  /** The limits after it. */
  limits: GovernorLimits;
}
