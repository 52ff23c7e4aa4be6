import { map, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { InterruptDecision, InterruptPolicy, InterruptRequest } from './interrupt-types';

/**
 * Options of {@link decideInterrupts}.
 *
 * @example
 * ```ts
 * requests$.pipe(decideInterrupts(policy, { scheduler: clock.scheduler, commitAllowed: false }));
 * ```
 */
export interface DecideInterruptsOptions {
  /** The clock whose `now()` stamps each decision. Default: {@link realtimeScheduler}. */
  scheduler?: SchedulerLike;
  /**
   * Commit every allowed decision at once (the interrupt is taken to execute when decided).
   * Set `false` to commit yourself when the interrupt actually lands. Default `true`.
   */
  commitAllowed?: boolean;
}

/**
 * An RxJS operator from interrupt requests to decisions, timed on the scheduler's clock. The policy
 * is shared state: use one subscription per policy (or a fresh policy per subscription) so that
 * budgets mean what they say.
 *
 * @param policy - the interrupt policy.
 * @param options - scheduler and whether to commit allowed decisions.
 * @returns the operator.
 * @example
 * ```ts
 * import { WindowedInterruptPolicy, decideInterrupts } from '@argentum/core';
 *
 * requests$
 *   .pipe(decideInterrupts(new WindowedInterruptPolicy({ windowMs: 10_000, globalBudget: 3 }), { scheduler }))
 *   .subscribe((decision) => log(decision.explanation));
 * ```
 */
export function decideInterrupts(
  policy: InterruptPolicy,
  options: DecideInterruptsOptions = {},
): OperatorFunction<InterruptRequest, InterruptDecision> {
  if (typeof policy?.decide !== 'function' || typeof policy.commit !== 'function') {
    throw new InvalidArgumentError('policy', 'expected an InterruptPolicy with decide() and commit().');
  }
  const scheduler = options.scheduler ?? realtimeScheduler;
  const commitAllowed = options.commitAllowed ?? true;
  return map((request) => {
    const decision = policy.decide(request, scheduler.now());
    if (decision.allowed && commitAllowed) policy.commit(decision);
    return decision;
  });
}
