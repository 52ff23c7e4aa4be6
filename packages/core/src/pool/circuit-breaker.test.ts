import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import {
  type CircuitBreakerOptions,
  type CircuitEffect,
  type CircuitState,
  InvalidCircuitTransitionError,
  initialCircuitState,
  reduceCircuitBreaker,
  resolveCircuitBreakerOptions,
} from './circuit-breaker';

const options = resolveCircuitBreakerOptions({ failureThreshold: 3, openDurationMs: 1000 });

function run(events: Parameters<typeof reduceCircuitBreaker>[1][]): {
  state: CircuitState;
  effects: string[];
} {
  let state = initialCircuitState();
  const effects: string[] = [];
  for (const event of events) {
    const result = reduceCircuitBreaker(state, event, options);
    state = result.state;
    effects.push(...result.effects.map((effect) => `${effect.type}@${effect.at}`));
  }
  return { state, effects };
}

describe('reduceCircuitBreaker', () => {
  it('opens after the threshold of consecutive failures; a success in between resets the count', () => {
    expect(
      run([
        { type: 'failure', at: 1 },
        { type: 'failure', at: 2 },
        { type: 'success', at: 3 },
        { type: 'failure', at: 4 },
        { type: 'failure', at: 5 },
      ]).state.status,
    ).toBe('closed');
    const opened = run([
      { type: 'failure', at: 1 },
      { type: 'failure', at: 2 },
      { type: 'failure', at: 3 },
    ]);
    expect(opened.state).toMatchObject({ status: 'open', openedAt: 3, consecutiveFailures: 3 });
    expect(opened.effects).toEqual(['opened@3']);
  });

  it('half-opens once the open duration has passed, admits one probe, and closes on its success', () => {
    const { state, effects } = run([
      { type: 'trip', at: 10 },
      { type: 'tick', at: 1009 },
      { type: 'probe-start', at: 1010 },
      { type: 'success', at: 1050 },
    ]);
    expect(effects).toEqual(['opened@10', 'half-opened@1010', 'closed@1050']);
    expect(state).toEqual(initialCircuitState());
  });

  it('reopens when the probe fails', () => {
    const { state, effects } = run([
      { type: 'trip', at: 0 },
      { type: 'probe-start', at: 1000 },
      { type: 'failure', at: 1200 },
    ]);
    expect(effects).toEqual(['opened@0', 'half-opened@1000', 'opened@1200']);
    expect(state).toMatchObject({ status: 'open', openedAt: 1200, probeInFlight: false });
  });

  it('absorbs late outcomes while open', () => {
    const { state, effects } = run([
      { type: 'trip', at: 0 },
      { type: 'success', at: 100 },
      { type: 'failure', at: 200 },
    ]);
    expect(state).toMatchObject({ status: 'open', openedAt: 0 });
    expect(effects).toEqual(['opened@0']);
  });

  it('rejects a probe when not half-open or when one is in flight', () => {
    expect(() => run([{ type: 'probe-start', at: 0 }])).toThrow(InvalidCircuitTransitionError);
    try {
      run([
        { type: 'trip', at: 0 },
        { type: 'probe-start', at: 1000 },
        { type: 'probe-start', at: 1001 },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(InvalidCircuitTransitionError.isInstance(error)).toBe(true);
      expect((error as InvalidCircuitTransitionError).status).toBe('half-open');
    }
    expect(
      run([
        { type: 'trip', at: 0 },
        { type: 'probe-start', at: 1000 },
        { type: 'probe-cancel', at: 1001 },
        { type: 'probe-start', at: 1002 },
      ]).state.probeInFlight,
    ).toBe(true);
  });

  it('validates its options', () => {
    expect(() => resolveCircuitBreakerOptions({ failureThreshold: 0 })).toThrow(InvalidArgumentError);
    expect(() => resolveCircuitBreakerOptions({ openDurationMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => resolveCircuitBreakerOptions({ backoffMultiplier: 0.5 })).toThrow(/backoffMultiplier/);
    expect(() => resolveCircuitBreakerOptions({ backoffMultiplier: Number.POSITIVE_INFINITY })).toThrow(
      InvalidArgumentError,
    );
    expect(() => resolveCircuitBreakerOptions({ maxOpenDurationMs: Number.NaN })).toThrow(
      InvalidArgumentError,
    );
    try {
      resolveCircuitBreakerOptions({ openDurationMs: 10_000, maxOpenDurationMs: 5000 });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('maxOpenDurationMs');
      expect((error as Error).message).toContain('at least openDurationMs (10000 ms)');
    }
  });

  it('fills in backoff defaults: ×2 up to 5 minutes, never below openDurationMs', () => {
    expect(resolveCircuitBreakerOptions({})).toEqual({
      failureThreshold: 3,
      openDurationMs: 10_000,
      backoffMultiplier: 2,
      maxOpenDurationMs: 300_000,
    });
    // An open duration longer than the default cap stays valid (as before backoff existed).
    expect(resolveCircuitBreakerOptions({ openDurationMs: 600_000 }).maxOpenDurationMs).toBe(600_000);
    expect(resolveCircuitBreakerOptions({ openDurationMs: 1000, maxOpenDurationMs: 1000 })).toMatchObject({
      maxOpenDurationMs: 1000,
    });
  });
});

/** Trips the circuit, then fails `failedProbes` probes, each as soon as the circuit half-opens. */
function openPeriods(optionsGiven: CircuitBreakerOptions, failedProbes: number, start = 0): number[] {
  const resolved = resolveCircuitBreakerOptions(optionsGiven);
  let state = initialCircuitState();
  const periods: number[] = [];
  const apply = (event: Parameters<typeof reduceCircuitBreaker>[1]): CircuitEffect[] => {
    const result = reduceCircuitBreaker(state, event, resolved);
    state = result.state;
    return [...result.effects];
  };
  let openedAt = 0;
  let halfOpenAt = 0;
  const record = (effects: CircuitEffect[]): void => {
    for (const effect of effects) {
      if (effect.type === 'opened') {
        periods.push(effect.halfOpenAt - effect.at);
        openedAt = effect.at;
        halfOpenAt = effect.halfOpenAt;
      }
    }
  };
  record(apply({ type: 'trip', at: start }));
  for (let probe = 0; probe < failedProbes; probe++) {
    if (halfOpenAt > openedAt) {
      apply({ type: 'tick', at: halfOpenAt - 1 });
      expect(state.status).toBe('open');
    }
    apply({ type: 'probe-start', at: halfOpenAt });
    expect(state.status).toBe('half-open');
    record(apply({ type: 'failure', at: halfOpenAt + 7 }));
  }
  return periods;
}

/** A circuit (threshold 1, 1 s base) driven event by event: `step` returns the effects. */
function stepper() {
  const resolved = resolveCircuitBreakerOptions({ failureThreshold: 1, openDurationMs: 1000 });
  let state = initialCircuitState();
  return {
    step(event: Parameters<typeof reduceCircuitBreaker>[1]): CircuitEffect[] {
      const result = reduceCircuitBreaker(state, event, resolved);
      state = result.state;
      return [...result.effects];
    },
    current: (): CircuitState => state,
  };
}

describe('reduceCircuitBreaker backoff', () => {
  it('doubles the open period after each consecutive failed probe: 1 s, 2 s, 4 s … capped', () => {
    expect(openPeriods({ openDurationMs: 1000, maxOpenDurationMs: 10_000 }, 6)).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
    // Defaults: 10 s doubling up to 5 minutes.
    expect(openPeriods({}, 7)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('steps the backoff only for a failed probe, not for a late failure of an older request', () => {
    const { step, current } = stepper();
    step({ type: 'failure', at: 0 }); // open until 1000
    step({ type: 'probe-start', at: 1000 });
    expect(step({ type: 'failure', at: 1100 })).toEqual([{ type: 'opened', at: 1100, halfOpenAt: 3100 }]);
    // Half-open again, no probe out yet: a request sent long before fails late. The circuit
    // reopens, for the same 2 s — that failure says nothing about the recovery.
    step({ type: 'tick', at: 3100 });
    expect(step({ type: 'failure', at: 3200 })).toEqual([{ type: 'opened', at: 3200, halfOpenAt: 5200 }]);
    expect(current().consecutiveReopens).toBe(1);
  });

  it('counts consecutive reopens in the state, and a successful probe resets the backoff', () => {
    const { step, current } = stepper();
    step({ type: 'failure', at: 0 });
    expect(current()).toMatchObject({ status: 'open', consecutiveReopens: 0 });
    step({ type: 'probe-start', at: 1000 });
    expect(step({ type: 'trip', at: 1100 })).toEqual([{ type: 'opened', at: 1100, halfOpenAt: 3100 }]);
    expect(current().consecutiveReopens).toBe(1);
    // Late outcomes while open neither extend nor reset the backoff.
    step({ type: 'success', at: 2000 });
    step({ type: 'failure', at: 2500 });
    expect(current()).toMatchObject({ status: 'open', openedAt: 1100, consecutiveReopens: 1 });
    expect(step({ type: 'tick', at: 3099 })).toEqual([]);
    expect(step({ type: 'tick', at: 3100 })).toEqual([{ type: 'half-opened', at: 3100 }]);
    step({ type: 'probe-start', at: 3100 });
    expect(step({ type: 'success', at: 3200 })).toEqual([{ type: 'closed', at: 3200 }]);
    expect(current()).toEqual(initialCircuitState());
    // The next outage starts at the base period again.
    expect(step({ type: 'failure', at: 5000 })).toEqual([{ type: 'opened', at: 5000, halfOpenAt: 6000 }]);
  });

  it('keeps a fixed open period with backoffMultiplier 1', () => {
    expect(openPeriods({ openDurationMs: 1000, backoffMultiplier: 1 }, 5)).toEqual([
      1000, 1000, 1000, 1000, 1000, 1000,
    ]);
  });

  it('grows by any multiplier ≥ 1 and stays within the cap after many reopens', () => {
    expect(openPeriods({ openDurationMs: 100, backoffMultiplier: 1.5, maxOpenDurationMs: 1000 }, 6)).toEqual([
      100, 150, 225, 337.5, 506.25, 759.375, 1000,
    ]);
    const many = openPeriods({ openDurationMs: 1000, backoffMultiplier: 10 }, 400);
    expect(many.at(-1)).toBe(300_000);
    // A zero base stays zero however far the power overflows.
    expect(
      openPeriods({ openDurationMs: 0, backoffMultiplier: 10 }, 400).every((period) => period === 0),
    ).toBe(true);
  });
});
