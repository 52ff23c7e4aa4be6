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
        // The model: the backoff exponent k of the current outage — 0 when opened from closed, +1 when
        // a probe in flight fails or trips, unchanged when a late outcome reopens a half-open circuit
        // with no probe out; the open period is base × multiplier^k, capped.
        let exponent = 0;
        let previousPeriod: number | undefined;
        let halfOpenAt: number | undefined;
        for (const step of scenario.steps) {
          at += step.afterMs;
          // Half-open when the event arrives (an open circuit past its period half-opens first).
          const halfOpen = state.status === 'half-open' || (state.status === 'open' && at >= halfOpenAt!);
          const probing = state.status === 'half-open' && state.probeInFlight;
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
              exponent = !halfOpen ? 0 : probing ? exponent + 1 : exponent;
              const expected = Math.min(
                options.openDurationMs * options.backoffMultiplier ** exponent,
                options.maxOpenDurationMs,
              );
              expect(period).toBeCloseTo(Number.isNaN(expected) ? 0 : expected, 6);
              previousPeriod = period;
              halfOpenAt = effect.halfOpenAt;
            } else if (effect.type === 'half-opened') {
              expect(halfOpenAt).toBeDefined();
              expect(effect.at).toBeGreaterThanOrEqual(halfOpenAt!);
            } else {
              exponent = 0;
              previousPeriod = undefined;
            }
          }
          state = result.state;
          if (state.status !== 'closed') expect(state.consecutiveReopens).toBe(exponent);
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
