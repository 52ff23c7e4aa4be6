import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import {
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

  it('reopens when the probe fails, for another full open duration', () => {
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
  });
});
