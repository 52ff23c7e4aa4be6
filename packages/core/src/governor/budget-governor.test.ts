import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/index';
import { BudgetGovernor } from './budget-governor';
import type { GovernorLimits } from './budget-governor-options';

describe('BudgetGovernor', () => {
  it('cuts every limit when the token budget is exceeded and adds back while healthy', () => {
    const clock = createVirtualClock();
    const governor = new BudgetGovernor({
      scheduler: clock.scheduler,
      tokensPerSecondBudget: 100,
      windowMs: 1000,
    });
    expect(governor.limits).toEqual({ concurrency: 4, prefetchDepth: 3, interjectionRate: 1 });
    governor.recordTokens(250);
    const cut = governor.evaluate();
    expect(cut).toMatchObject({
      type: 'budget-decision',
      at: 0,
      action: 'decrease',
      tokensPerSecond: 250,
      reasons: ['token rate 250/s is over the 100/s budget'],
      previousLimits: { concurrency: 4, prefetchDepth: 3, interjectionRate: 1 },
      limits: { concurrency: 2, prefetchDepth: 1, interjectionRate: 0.5 },
    });
    clock.advanceBy(999);
    expect(governor.evaluate()).toMatchObject({ action: 'hold', tokensPerSecond: 250 });
    clock.advanceBy(1); // the 250 tokens leave the 1 s window
    expect(governor.evaluate()).toMatchObject({
      action: 'increase',
      tokensPerSecond: 0,
      limits: { concurrency: 3, prefetchDepth: 2, interjectionRate: 0.6 },
    });
    governor.evaluate();
    governor.evaluate();
    governor.evaluate();
    governor.evaluate();
    const top = governor.evaluate();
    expect(top.limits).toEqual({ concurrency: 4, prefetchDepth: 3, interjectionRate: 1 });
    expect(top).toMatchObject({ action: 'hold', reasons: ['within budget; every limit is at its maximum'] });
  });

  it('judges the error rate only from minimumRequestCount requests on', () => {
    const clock = createVirtualClock();
    const governor = new BudgetGovernor({
      scheduler: clock.scheduler,
      maxErrorRate: 0.2,
      minimumRequestCount: 5,
    });
    for (let i = 0; i < 4; i++) governor.recordRequest({ failed: true });
    expect(governor.evaluate()).toMatchObject({ action: 'hold', errorRate: 1, requestCount: 4 });
    governor.recordRequest({ failed: false });
    const decision = governor.evaluate();
    expect(decision.action).toBe('decrease');
    expect(decision.reasons).toEqual(['error rate 80 % (4 of 5 requests) is over 20 %']);
  });

  it('waits for the cooldown before cutting again and says so', () => {
    const clock = createVirtualClock();
    const governor = new BudgetGovernor({
      scheduler: clock.scheduler,
      tokensPerSecondBudget: 10,
      windowMs: 10_000,
      decreaseCooldownMs: 3000,
    });
    governor.recordTokens(1000);
    expect(governor.evaluate().action).toBe('decrease');
    clock.advanceBy(2000);
    const waiting = governor.evaluate();
    expect(waiting.action).toBe('hold');
    expect(waiting.reasons[1]).toBe('cooling down: the last decrease was 2000 ms ago');
    clock.advanceBy(1000);
    expect(governor.evaluate()).toMatchObject({
      action: 'decrease',
      limits: { concurrency: 1, prefetchDepth: 0 },
    });
    clock.advanceBy(3000);
    const floor = governor.evaluate();
    expect(floor.limits.concurrency).toBe(1);
    expect(floor.limits.interjectionRate).toBeCloseTo(0.125, 12);
    clock.advanceBy(3000);
    governor.evaluate(); // 0.0625 …
    for (let i = 0; i < 60; i++) {
      clock.advanceBy(3000);
      governor.recordTokens(1000);
      governor.evaluate();
    }
    expect(governor.limits).toMatchObject({ concurrency: 1, prefetchDepth: 0 });
    expect(governor.limits.interjectionRate).toBeGreaterThanOrEqual(0);
    expect(governor.limits.interjectionRate).toBeLessThan(1e-15);
  });

  it('reports a breach at the minimum as a hold', () => {
    const governor = new BudgetGovernor({
      scheduler: createVirtualClock().scheduler,
      tokensPerSecondBudget: 1,
      concurrency: { min: 2, max: 2 },
      prefetchDepth: { min: 1, max: 1 },
      interjectionRate: { min: 0.3, max: 0.3 },
    });
    governor.recordTokens(100);
    const decision = governor.evaluate();
    expect(decision.action).toBe('hold');
    expect(decision.reasons).toContain('every limit is at its minimum');
  });

  it('publishes its limits as a hot stream that completes on dispose', () => {
    const clock = createVirtualClock();
    const governor = new BudgetGovernor({
      scheduler: clock.scheduler,
      tokensPerSecondBudget: 10,
      windowMs: 1000,
    });
    const seen: Array<GovernorLimits | 'complete'> = [];
    governor.limits$.subscribe({
      next: (limits) => seen.push(limits),
      complete: () => seen.push('complete'),
    });
    governor.evaluate(); // healthy at the maximum: no change, no emission
    governor.recordTokens(100);
    governor.evaluate();
    governor.dispose();
    expect(seen).toEqual([
      { concurrency: 4, prefetchDepth: 3, interjectionRate: 1 },
      { concurrency: 2, prefetchDepth: 1, interjectionRate: 0.5 },
      'complete',
    ]);
    const late: Array<GovernorLimits | 'complete'> = [];
    governor.limits$.subscribe({
      next: (limits) => late.push(limits),
      complete: () => late.push('complete'),
    });
    expect(late).toEqual([{ concurrency: 2, prefetchDepth: 1, interjectionRate: 0.5 }, 'complete']);
  });

  it('rejects bad options and records', () => {
    expect(() => new BudgetGovernor({ tokensPerSecondBudget: 0 })).toThrowError(/tokensPerSecondBudget/);
    expect(() => new BudgetGovernor({ decreaseFactor: 1 })).toThrowError(/decreaseFactor/);
    expect(() => new BudgetGovernor({ concurrency: { min: 3, max: 2 } })).toThrowError(/concurrency.max/);
    expect(() => new BudgetGovernor({ concurrency: { min: 1, max: 2.5 } })).toThrowError(/concurrency.max/);
    expect(() => new BudgetGovernor({ interjectionRate: { min: 0, max: 2 } })).toThrowError(
      /interjectionRate.max/,
    );
    expect(() => new BudgetGovernor({ prefetchDepth: { min: 0, max: 2, increaseStep: 0 } })).toThrowError(
      /prefetchDepth.increaseStep/,
    );
    const governor = new BudgetGovernor();
    expect(() => governor.recordTokens(-1)).toThrowError(InvalidArgumentError);
    expect(() => governor.recordTokens(Number.NaN)).toThrowError(/count/);
    expect(() => governor.recordRequest({ failed: 'yes' as unknown as boolean })).toThrowError(/failed/);
  });
});
