import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/index';
import type { BudgetDecision } from './budget-governor-options';
import { type BudgetUsage, governBudget } from './govern-budget';

describe('governBudget', () => {
  it('records usage as it arrives and evaluates on the scheduler every interval', () => {
    const clock = createVirtualClock();
    const usage = new Subject<BudgetUsage>();
    const decisions: BudgetDecision[] = [];
    usage
      .pipe(
        governBudget({
          scheduler: clock.scheduler,
          tokensPerSecondBudget: 50,
          windowMs: 2000,
          evaluationIntervalMs: 500,
        }),
      )
      .subscribe((decision) => decisions.push(decision));
    usage.next({ type: 'tokens', count: 300 }); // 150 tokens/s over the 2 s window
    clock.advanceBy(500);
    clock.advanceBy(2000);
    expect(decisions.map(({ at, action }) => [at, action])).toEqual([
      [500, 'decrease'],
      [1000, 'hold'],
      [1500, 'hold'],
      [2000, 'increase'],
      [2500, 'increase'],
    ]);
    expect(decisions[0]!.limits).toEqual({ concurrency: 2, prefetchDepth: 1, interjectionRate: 0.5 });
  });

  it('counts failed requests towards the error rate', () => {
    const clock = createVirtualClock();
    const usage = new Subject<BudgetUsage>();
    const decisions: BudgetDecision[] = [];
    usage
      .pipe(governBudget({ scheduler: clock.scheduler, maxErrorRate: 0.5, minimumRequestCount: 4 }))
      .subscribe((decision) => decisions.push(decision));
    for (const failed of [true, true, true, false]) usage.next({ type: 'request', failed });
    clock.advanceBy(1000);
    expect(decisions[0]).toMatchObject({ action: 'decrease', errorRate: 0.75, requestCount: 4 });
  });

  it('stops its timer when unsubscribed and completes with the source', () => {
    const clock = createVirtualClock();
    const usage = new Subject<BudgetUsage>();
    let count = 0;
    let completed = false;
    const subscription = usage
      .pipe(governBudget({ scheduler: clock.scheduler }))
      .subscribe({ next: () => count++, complete: () => (completed = true) });
    clock.advanceBy(3000);
    expect(count).toBe(3);
    subscription.unsubscribe();
    clock.advanceBy(10_000);
    expect(count).toBe(3);
    expect(usage.observed).toBe(false);

    usage
      .pipe(governBudget({ scheduler: clock.scheduler }))
      .subscribe({ complete: () => (completed = true) });
    usage.complete();
    clock.advanceBy(5000);
    expect(completed).toBe(true);
  });

  it('validates options at once and errors on malformed usage', () => {
    expect(() => governBudget({ windowMs: -1 })).toThrowError(/windowMs/);
    expect(() => governBudget({ evaluationIntervalMs: 0 })).toThrowError(/evaluationIntervalMs/);
    const clock = createVirtualClock();
    const usage = new Subject<BudgetUsage>();
    let failure: unknown;
    usage
      .pipe(governBudget({ scheduler: clock.scheduler }))
      .subscribe({ error: (error: unknown) => (failure = error) });
    usage.next({ type: 'tokens', count: -5 });
    expect(InvalidArgumentError.isInstance(failure)).toBe(true);
    usage.next({ type: 'spend' } as unknown as BudgetUsage);
    expect(usage.observed).toBe(false);
  });
});
