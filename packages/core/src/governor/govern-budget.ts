import { Observable, type OperatorFunction, type SchedulerAction } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { BudgetGovernor } from './budget-governor';
import type { BudgetDecision, BudgetGovernorOptions } from './budget-governor-options';

/**
 * One usage report for {@link governBudget}: tokens spent, or a finished provider request.
 *
 * @example
 * ```ts
 * const usage: BudgetUsage[] = [{ type: 'tokens', count: 420 }, { type: 'request', failed: false }];
 * ```
 */
export type BudgetUsage =
  | {
      /** Tokens spent. */
      type: 'tokens';
      /** How many, ≥ 0. */
      count: number;
    }
  | {
      /** A provider request finished. */
      type: 'request';
      /** Whether it ended in an error. */
      failed: boolean;
    };

/**
 * Options of {@link governBudget}: the governor's options plus the evaluation cadence.
 *
 * @example
 * ```ts
 * const options: GovernBudgetOptions = { tokensPerSecondBudget: 2000, evaluationIntervalMs: 500 };
 * ```
 */
export interface GovernBudgetOptions extends BudgetGovernorOptions {
  /** How often to evaluate, ms > 0. Defaults to 1000. */
  evaluationIntervalMs?: number;
}

/**
 * Runs a {@link BudgetGovernor} over a stream of usage reports: records each report as it arrives
 * and evaluates every `evaluationIntervalMs` on the scheduler, emitting each {@link BudgetDecision}
 * (including `hold`s; filter on `action` if you only want changes).
 *
 * Options are validated when the operator is created (an `InvalidArgumentError` is thrown then).
 * Cold: each subscription has its own governor and timer. Completes when the source completes,
 * errors when it errors (or with an `InvalidArgumentError` for a malformed report); unsubscribing
 * stops the timer.
 *
 * @param options - the governor's options and the evaluation interval.
 * @returns an operator from {@link BudgetUsage} to {@link BudgetDecision}.
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { governBudget, type BudgetUsage } from '@argentum/core';
 *
 * const usage = new Subject<BudgetUsage>();
 * usage.pipe(governBudget({ tokensPerSecondBudget: 2000, maxErrorRate: 0.2 })).subscribe((decision) => {
 *   if (decision.action !== 'hold') console.log(decision.action, decision.limits, decision.reasons);
 * });
 * usage.next({ type: 'tokens', count: 512 });
 * usage.next({ type: 'request', failed: false });
 * ```
 */
export function governBudget(
  options: GovernBudgetOptions = {},
): OperatorFunction<BudgetUsage, BudgetDecision> {
  const scheduler = options.scheduler ?? realtimeScheduler;
  const evaluationIntervalMs = assertNumber('evaluationIntervalMs', options.evaluationIntervalMs ?? 1000, {
    above: 0,
  });
  // Validate the governor's options now, not at the first subscription.
  new BudgetGovernor({ ...options, scheduler }).dispose();
  return (source) =>
    new Observable<BudgetDecision>((subscriber) => {
      const governor = new BudgetGovernor({ ...options, scheduler });
      const timer = scheduler.schedule(function (this: SchedulerAction<undefined>) {
        subscriber.next(governor.evaluate());
        if (!subscriber.closed) this.schedule(undefined, evaluationIntervalMs);
      }, evaluationIntervalMs);
      const subscription = source.subscribe({
        next: (usage) => {
          try {
            if (usage?.type === 'tokens') governor.recordTokens(usage.count);
            else if (usage?.type === 'request') governor.recordRequest(usage);
            else
              throw new InvalidArgumentError(
                'usage',
                "expected { type: 'tokens', count } or { type: 'request', failed }.",
              );
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        timer.unsubscribe();
        governor.dispose();
      };
    });
}
