import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { BudgetGovernor } from './budget-governor';
import type { BudgetDecision, BudgetGovernorOptions, GovernorLimits } from './budget-governor-options';

const KEYS = ['concurrency', 'prefetchDepth', 'interjectionRate'] as const;

/** Random governor settings: bounds, steps, budgets, window and factors. */
const settings = fc
  .record({
    concurrencyMin: fc.integer({ min: 0, max: 4 }),
    concurrencyWidth: fc.integer({ min: 0, max: 12 }),
    concurrencyStep: fc.integer({ min: 1, max: 3 }),
    prefetchMin: fc.integer({ min: 0, max: 2 }),
    prefetchWidth: fc.integer({ min: 0, max: 6 }),
    // Rates in steps of 0.001 per second: a real interjection rate, never a subnormal double such as
    // 5e-324, where x·f rounds back to x and "scaled down" cannot be observed.
    rateMin: fc.integer({ min: 0, max: 500 }).map((n) => n / 1000),
    rateWidth: fc.integer({ min: 0, max: 500 }).map((n) => n / 1000),
    rateStep: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
    tokensPerSecondBudget: fc.double({ min: 1, max: 5000, noNaN: true }),
    maxErrorRate: fc.double({ min: 0, max: 0.9, noNaN: true }),
    windowMs: fc.integer({ min: 100, max: 20_000 }),
    minimumRequestCount: fc.integer({ min: 1, max: 20 }),
    decreaseFactor: fc.double({ min: 0.1, max: 0.95, noNaN: true }),
    cooldownShare: fc.double({ min: 0, max: 1.5, noNaN: true }),
  })
  .map(
    (s): BudgetGovernorOptions => ({
      concurrency: {
        min: s.concurrencyMin,
        max: s.concurrencyMin + s.concurrencyWidth,
        increaseStep: s.concurrencyStep,
      },
      prefetchDepth: { min: s.prefetchMin, max: s.prefetchMin + s.prefetchWidth },
      interjectionRate: { min: s.rateMin, max: s.rateMin + s.rateWidth, increaseStep: s.rateStep },
      tokensPerSecondBudget: s.tokensPerSecondBudget,
      maxErrorRate: s.maxErrorRate,
      windowMs: s.windowMs,
      minimumRequestCount: s.minimumRequestCount,
      decreaseFactor: s.decreaseFactor,
      decreaseCooldownMs: s.cooldownShare * s.windowMs,
    }),
  );

type Action =
  | { kind: 'advance'; ms: number }
  | { kind: 'tokens'; count: number }
  | { kind: 'request'; failed: boolean }
  | { kind: 'evaluate' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
  fc.record({ kind: fc.constant('tokens' as const), count: fc.double({ min: 0, max: 20_000, noNaN: true }) }),
  fc.record({ kind: fc.constant('request' as const), failed: fc.boolean() }),
  fc.constant({ kind: 'evaluate' as const }),
);

function assertWithinBounds(limits: GovernorLimits, options: BudgetGovernorOptions): void {
  for (const key of KEYS) {
    const range = options[key]!;
    expect(limits[key]).toBeGreaterThanOrEqual(range.min);
    expect(limits[key]).toBeLessThanOrEqual(range.max);
  }
  expect(Number.isInteger(limits.concurrency)).toBe(true);
  expect(Number.isInteger(limits.prefetchDepth)).toBe(true);
}

describe('BudgetGovernor (property)', () => {
  // numRuns 300; random settings (above); 0–300 random actions: advance the virtual clock 0–3 s,
  // spend 0–20 000 tokens, finish a request (failed or not), evaluate. Checked after every
  // evaluation: limits within bounds (integers where they must be); the measured token rate, request
  // count and error rate equal a naive recount of the window; a decrease lowers every limit to
  // max(min, ⌊x·f⌋) (or x·f) and happens only on a breach outside the cooldown; an increase happens
  // only when healthy and never lowers a limit.
  it('keeps every limit within bounds under random load and moves only as the rules say', () => {
    fc.assert(
      fc.property(settings, fc.array(action, { maxLength: 300 }), (options, actions) => {
        const clock = createVirtualClock();
        const governor = new BudgetGovernor({ ...options, scheduler: clock.scheduler });
        const windowMs = options.windowMs!;
        const log: Array<{ at: number; tokens: number; failed?: boolean }> = [];
        let lastDecreaseAt = Number.NEGATIVE_INFINITY;
        assertWithinBounds(governor.limits, options);
        for (const step of actions) {
          if (step.kind === 'advance') clock.advanceBy(step.ms);
          else if (step.kind === 'tokens') {
            governor.recordTokens(step.count);
            log.push({ at: clock.now(), tokens: step.count });
          } else if (step.kind === 'request') {
            governor.recordRequest({ failed: step.failed });
            log.push({ at: clock.now(), tokens: 0, failed: step.failed });
          } else {
            const decision: BudgetDecision = governor.evaluate();
            const now = clock.now();
            const inWindow = log.filter((entry) => now - entry.at < windowMs);
            const tokens = inWindow.reduce((sum, entry) => sum + entry.tokens, 0);
            const requests = inWindow.filter((entry) => entry.failed !== undefined);
            const failures = requests.filter((entry) => entry.failed).length;
            expect(decision.tokensPerSecond).toBeCloseTo(tokens / (windowMs / 1000), 6);
            expect(decision.requestCount).toBe(requests.length);
            expect(decision.errorRate).toBeCloseTo(
              requests.length === 0 ? 0 : failures / requests.length,
              12,
            );
            assertWithinBounds(decision.limits, options);

            const breached =
              decision.tokensPerSecond > options.tokensPerSecondBudget! ||
              (decision.requestCount >= options.minimumRequestCount! &&
                decision.errorRate > options.maxErrorRate!);
            const cooling = now - lastDecreaseAt < options.decreaseCooldownMs!;
            if (breached && !cooling) {
              lastDecreaseAt = now;
              for (const key of KEYS) {
                const scaled = decision.previousLimits[key] * options.decreaseFactor!;
                const expected = Math.max(
                  options[key]!.min,
                  key === 'interjectionRate' ? scaled : Math.floor(scaled),
                );
                expect(decision.limits[key]).toBe(expected);
              }
            } else {
              expect(decision.action).not.toBe('decrease');
              if (breached) expect(decision.limits).toBe(decision.previousLimits);
              else
                for (const key of KEYS)
                  expect(decision.limits[key]).toBeGreaterThanOrEqual(decision.previousLimits[key]);
            }
            expect(governor.limits).toBe(decision.limits);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  // numRuns 200; random settings; phase 1: a token rate of 2–10× the budget, reported every 100 ms
  // and evaluated every second for 1–10 windows; phase 2: silence, evaluated every second. Phase 1's
  // first evaluation must cut every limit that is above its minimum; phase 2 must bring every limit
  // back to its maximum within ⌈windowMs/1000⌉ + ⌈(max − min)/step⌉ + 1 evaluations.
  it('scales down on a breach and recovers to the maximum once the load is gone', () => {
    fc.assert(
      fc.property(
        settings,
        fc.double({ min: 2, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        (options, overload, windows) => {
          const clock = createVirtualClock();
          const governor = new BudgetGovernor({ ...options, scheduler: clock.scheduler });
          const start = governor.limits;
          const tokensPer100Ms = (options.tokensPerSecondBudget! * overload) / 10;
          const overloadMs = windows * options.windowMs!;
          let first: BudgetDecision | undefined;
          for (let t = 100; t <= overloadMs + 1000; t += 100) {
            clock.advanceTo(t);
            governor.recordTokens(tokensPer100Ms);
            if (t % 1000 === 0 && t >= options.windowMs!) {
              const decision = governor.evaluate();
              first ??= decision;
            }
          }
          expect(first).toBeDefined();
          for (const key of KEYS) {
            if (start[key] > options[key]!.min) expect(first!.limits[key]).toBeLessThan(start[key]);
          }
          expect(['decrease', 'hold']).toContain(first!.action);

          const stepsNeeded = Math.max(
            ...KEYS.map((key) => {
              const range = options[key]!;
              return Math.ceil((range.max - range.min) / (range.increaseStep ?? 1));
            }),
          );
          const evaluations = Math.ceil(options.windowMs! / 1000) + stepsNeeded + 1;
          for (let i = 0; i < evaluations; i++) {
            clock.advanceBy(1000);
            governor.evaluate();
          }
          for (const key of KEYS) expect(governor.limits[key]).toBe(options[key]!.max);
        },
      ),
      { numRuns: 200 },
    );
  });
});
