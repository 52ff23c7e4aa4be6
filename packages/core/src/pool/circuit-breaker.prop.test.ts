import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CircuitEvent,
  type CircuitState,
  InvalidCircuitTransitionError,
  initialCircuitState,
  reduceCircuitBreaker,
  resolveCircuitBreakerOptions,
} from './circuit-breaker';

const stepArbitrary = fc.record({
  type: fc.constantFrom<CircuitEvent['type']>(
    'success',
    'failure',
    'trip',
    'probe-start',
    'probe-cancel',
    'tick',
  ),
  afterMs: fc.integer({ min: 0, max: 20_000 }),
});

const scenarioArbitrary = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    openDurationMs: fc.integer({ min: 0, max: 5000 }),
    backoffMultiplier: fc.double({ min: 1, max: 4, noNaN: true }),
    extraMaxOpenDurationMs: fc.integer({ min: 0, max: 100_000 }),
    steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 80 }),
  })
  .map((scenario) => ({
    ...scenario,
    maxOpenDurationMs: scenario.openDurationMs + scenario.extraMaxOpenDurationMs,
  }));

describe('reduceCircuitBreaker backoff model test', () => {
  // Parameters: 500 runs; failureThreshold 1–4, openDurationMs 0–5000, backoffMultiplier 1–4
  // (any double), maxOpenDurationMs = openDurationMs + 0–100 000, 1–80 random events (any type,
  // 0–20 s apart; a rejected probe-start leaves the state as it was).
  it('open periods stay within [openDurationMs, maxOpenDurationMs], grow across failed probes, reset on close', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const options = resolveCircuitBreakerOptions(scenario);
        let state: CircuitState = initialCircuitState();
        let at = 0;
        // The model: opens since the circuit last closed; the k-th (from 0) lasts base × multiplier^k, capped.
        let opensThisOutage = 0;
        let previousPeriod: number | undefined;
        let halfOpenAt: number | undefined;
        for (const step of scenario.steps) {
          at += step.afterMs;
          let result: ReturnType<typeof reduceCircuitBreaker>;
          try {
            result = reduceCircuitBreaker(state, { type: step.type, at }, options);
          } catch (error) {
            expect(InvalidCircuitTransitionError.isInstance(error)).toBe(true);
            expect(step.type).toBe('probe-start');
            continue;
          }
          for (const effect of result.effects) {
            if (effect.type === 'opened') {
              // Times and bounds are whole ms, so the bounds hold exactly; a fractional multiplier's
              // periods round when added to `at`, hence the 1e-6 ms slack between periods.
              const period = effect.halfOpenAt - effect.at;
              expect(period).toBeGreaterThanOrEqual(options.openDurationMs);
              expect(period).toBeLessThanOrEqual(options.maxOpenDurationMs);
              if (previousPeriod !== undefined) expect(period).toBeGreaterThanOrEqual(previousPeriod - 1e-6);
              const expected = Math.min(
                options.openDurationMs * options.backoffMultiplier ** opensThisOutage,
                options.maxOpenDurationMs,
              );
              expect(period).toBeCloseTo(Number.isNaN(expected) ? 0 : expected, 6);
              opensThisOutage += 1;
              previousPeriod = period;
              halfOpenAt = effect.halfOpenAt;
            } else if (effect.type === 'half-opened') {
              expect(halfOpenAt).toBeDefined();
              expect(effect.at).toBeGreaterThanOrEqual(halfOpenAt!);
            } else {
              opensThisOutage = 0;
              previousPeriod = undefined;
            }
          }
          state = result.state;
          expect(state.consecutiveReopens).toBe(Math.max(0, opensThisOutage - 1));
          // Time passing half-opens lazily: a circuit still open after an event that did not open it is early.
          if (state.status === 'open' && !result.effects.some((effect) => effect.type === 'opened')) {
            expect(at).toBeLessThan(halfOpenAt!);
          }
          if (state.status === 'closed') expect(state.consecutiveReopens).toBe(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
