import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type {
  BudgetDecision,
  BudgetGovernorOptions,
  GovernorLimits,
  LimitRange,
} from './budget-governor-options';
import { TimedWindowSum } from './timed-window-sum';

interface ResolvedRange {
  min: number;
  max: number;
  increaseStep: number;
  integer: boolean;
}

/**
 * Keeps a conversation inside its budgets: watches the token rate and the provider error rate over
 * a sliding window on the scheduler's clock and scales `concurrency`, `prefetchDepth` and
 * `interjectionRate` down multiplicatively when a budget is exceeded and back up additively while
 * healthy (AIMD, as TCP does with its window), always within their bounds.
 *
 * Feed it with {@link BudgetGovernor.recordTokens} and {@link BudgetGovernor.recordRequest}; call
 * {@link BudgetGovernor.evaluate} at a steady cadence (each call is one control step), or use
 * {@link governBudget}, which does both from a stream. A breach cuts every limit at once — fewer
 * parallel requests, shallower prefetch and fewer interjections all lower token spend and load on a
 * failing provider — then waits `decreaseCooldownMs` before cutting again. The error rate is judged
 * only from `minimumRequestCount` requests on, so one early failure is not a 100 % error rate.
 *
 * @example
 * ```ts
 * import { BudgetGovernor, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const governor = new BudgetGovernor({ scheduler: clock.scheduler, tokensPerSecondBudget: 100, windowMs: 1000 });
 * governor.recordTokens(250);
 * governor.evaluate().action; // 'decrease': 250 tokens/s > 100
 * governor.limits; // { concurrency: 2, prefetchDepth: 1, interjectionRate: 0.5 }
 * clock.advanceBy(1000);
 * governor.evaluate().action; // 'increase': the window is empty again
 * ```
 */
export class BudgetGovernor {
  /** The token budget, tokens/s (`Infinity` without one). */
  readonly tokensPerSecondBudget: number;
  /** The tolerated error rate. */
  readonly maxErrorRate: number;
  /** The sliding window, ms. */
  readonly windowMs: number;

  /**
   * The current limits. **Hot**: a subscriber gets the current limits at once, then every change.
   * Completes on {@link BudgetGovernor.dispose}. Never errors.
   *
   * @example
   * ```ts
   * governor.limits$.subscribe((limits) => console.log(limits.concurrency));
   * ```
   */
  readonly limits$: Observable<GovernorLimits>;

  private readonly scheduler: SchedulerLike;
  private readonly minimumRequestCount: number;
  private readonly decreaseFactor: number;
  private readonly decreaseCooldownMs: number;
  private readonly ranges: Record<keyof GovernorLimits, ResolvedRange>;
  private readonly tokens: TimedWindowSum;
  private readonly requests: TimedWindowSum;
  private readonly failures: TimedWindowSum;
  private current: GovernorLimits;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private readonly subscribers = new Set<Subscriber<GovernorLimits>>();
  private disposed = false;

  /**
   * @param options - budgets, window, factors and limit bounds.
   * @throws InvalidArgumentError when an option is out of range.
   */
  constructor(options: BudgetGovernorOptions = {}) {
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.tokensPerSecondBudget =
      options.tokensPerSecondBudget === undefined
        ? Number.POSITIVE_INFINITY
        : assertNumber('tokensPerSecondBudget', options.tokensPerSecondBudget, { above: 0 });
    this.maxErrorRate = assertNumber('maxErrorRate', options.maxErrorRate ?? 0.25, { min: 0, max: 1 });
    this.windowMs = assertNumber('windowMs', options.windowMs ?? 10_000, { above: 0 });
    this.minimumRequestCount = assertNumber('minimumRequestCount', options.minimumRequestCount ?? 10, {
      min: 1,
      integer: true,
    });
    this.decreaseFactor = assertNumber('decreaseFactor', options.decreaseFactor ?? 0.5, {
      above: 0,
      max: 0.999,
    });
    this.decreaseCooldownMs = assertNumber(
      'decreaseCooldownMs',
      options.decreaseCooldownMs ?? this.windowMs,
      {
        min: 0,
      },
    );
    const concurrency = resolveRange('concurrency', options.concurrency ?? { min: 1, max: 4 }, true, 1);
    const prefetchDepth = resolveRange('prefetchDepth', options.prefetchDepth ?? { min: 0, max: 3 }, true, 1);
    const interjectionRate = resolveRange(
      'interjectionRate',
      options.interjectionRate ?? { min: 0, max: 1 },
      false,
      0.1,
    );
    if (interjectionRate.range.max > 1) {
      throw new InvalidArgumentError(
        'interjectionRate.max',
        `expected at most 1, got ${interjectionRate.range.max}.`,
      );
    }
    this.ranges = {
      concurrency: concurrency.range,
      prefetchDepth: prefetchDepth.range,
      interjectionRate: interjectionRate.range,
    };
    this.current = Object.freeze({
      concurrency: concurrency.initial,
      prefetchDepth: prefetchDepth.initial,
      interjectionRate: interjectionRate.initial,
    });
    this.tokens = new TimedWindowSum(this.windowMs);
    this.requests = new TimedWindowSum(this.windowMs);
    this.failures = new TimedWindowSum(this.windowMs);
    this.limits$ = new Observable<GovernorLimits>((subscriber) => {
      subscriber.next(this.current);
      if (this.disposed) {
        subscriber.complete();
        return undefined;
      }
      this.subscribers.add(subscriber);
      return () => {
        this.subscribers.delete(subscriber);
      };
    });
  }

  /** The current limits (a frozen object, replaced on every change). */
  get limits(): GovernorLimits {
    return this.current;
  }

  /**
   * Counts tokens spent now (prompt + completion, or characters for TTS — whatever the budget is in).
   *
   * @param count - a finite number ≥ 0.
   * @throws InvalidArgumentError for a negative or non-finite count.
   * @example
   * ```ts
   * governor.recordTokens(usage.totalTokens);
   * ```
   */
  recordTokens(count: number): void {
    assertNumber('count', count, { min: 0 });
    this.tokens.add(this.scheduler.now(), count);
  }

  /**
   * Counts one finished provider request.
   *
   * @param outcome - `{ failed: true }` for a request that ended in an error.
   * @throws InvalidArgumentError when `failed` is not a boolean.
   * @example
   * ```ts
   * governor.recordRequest({ failed: ProviderError.isInstance(error) });
   * ```
   */
  recordRequest(outcome: { failed: boolean }): void {
    if (typeof outcome?.failed !== 'boolean') {
      throw new InvalidArgumentError('outcome', 'expected { failed: boolean }.');
    }
    const now = this.scheduler.now();
    this.requests.add(now, 1);
    if (outcome.failed) this.failures.add(now, 1);
  }

  /**
   * One control step: measures the window, then cuts every limit by `decreaseFactor` if a budget
   * is exceeded (unless a cut happened less than `decreaseCooldownMs` ago), or raises each by its
   * `increaseStep` if healthy; emits on `limits$` if the limits changed.
   *
   * @returns the decision with its reasons.
   * @example
   * ```ts
   * const { action, reasons, limits } = governor.evaluate();
   * ```
   */
  evaluate(): BudgetDecision {
    const at = this.scheduler.now();
    const tokensPerSecond = this.tokens.total(at) / (this.windowMs / 1000);
    const requestCount = this.requests.total(at);
    const failureCount = this.failures.total(at);
    const errorRate = requestCount === 0 ? 0 : failureCount / requestCount;
    const reasons: string[] = [];
    if (tokensPerSecond > this.tokensPerSecondBudget) {
      reasons.push(
        `token rate ${round(tokensPerSecond)}/s is over the ${round(this.tokensPerSecondBudget)}/s budget`,
      );
    }
    if (requestCount >= this.minimumRequestCount && errorRate > this.maxErrorRate) {
      reasons.push(
        `error rate ${round(errorRate * 100)} % (${failureCount} of ${requestCount} requests) is over ${round(this.maxErrorRate * 100)} %`,
      );
    }
    const previousLimits = this.current;
    let action: BudgetDecision['action'];
    if (reasons.length > 0) {
      if (at - this.lastDecreaseAt < this.decreaseCooldownMs) {
        action = 'hold';
        reasons.push(`cooling down: the last decrease was ${round(at - this.lastDecreaseAt)} ms ago`);
      } else {
        this.lastDecreaseAt = at;
        this.current = this.step((value, range) => {
          const scaled = value * this.decreaseFactor;
          return Math.max(range.min, range.integer ? Math.floor(scaled) : scaled);
        });
        action = this.current === previousLimits ? 'hold' : 'decrease';
        if (action === 'hold') reasons.push('every limit is at its minimum');
      }
    } else {
      // Snap to the maximum when float steps land a hair below it (0.1 × 10 ≠ 1).
      this.current = this.step((value, range) => {
        const raised = value + range.increaseStep;
        return raised >= range.max - 1e-9 * range.increaseStep ? range.max : raised;
      });
      action = this.current === previousLimits ? 'hold' : 'increase';
      reasons.push(action === 'hold' ? 'within budget; every limit is at its maximum' : 'within budget');
    }
    if (this.current !== previousLimits && !this.disposed) {
      for (const subscriber of this.subscribers) subscriber.next(this.current);
    }
    return {
      type: 'budget-decision',
      at,
      action,
      reasons,
      tokensPerSecond,
      errorRate,
      requestCount,
      previousLimits,
      limits: this.current,
    };
  }

  /**
   * Completes `limits$` for every subscriber. The governor keeps answering `evaluate()`. Idempotent.
   *
   * @example
   * ```ts
   * governor.dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) subscriber.complete();
  }

  /** Applies `change` to every limit; returns the same object when nothing changed. */
  private step(change: (value: number, range: ResolvedRange) => number): GovernorLimits {
    const next = {
      concurrency: change(this.current.concurrency, this.ranges.concurrency),
      prefetchDepth: change(this.current.prefetchDepth, this.ranges.prefetchDepth),
      interjectionRate: change(this.current.interjectionRate, this.ranges.interjectionRate),
    };
    if (
      next.concurrency === this.current.concurrency &&
      next.prefetchDepth === this.current.prefetchDepth &&
      next.interjectionRate === this.current.interjectionRate
    ) {
      return this.current;
    }
    return Object.freeze(next);
  }
}

function resolveRange(
  name: string,
  range: LimitRange,
  integer: boolean,
  defaultStep: number,
): { range: ResolvedRange; initial: number } {
  const bounds = integer ? { min: 0, integer: true } : { min: 0 };
  const min = assertNumber(`${name}.min`, range.min, bounds);
  const max = assertNumber(`${name}.max`, range.max, { ...bounds, min });
  const initial = assertNumber(`${name}.initial`, range.initial ?? max, { ...bounds, min, max });
  const increaseStep = assertNumber(`${name}.increaseStep`, range.increaseStep ?? defaultStep, {
    above: 0,
    integer,
  });
  return { range: { min, max, increaseStep, integer }, initial };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
