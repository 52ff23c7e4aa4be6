import { firstValueFrom, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { LatencyProfiler } from '../latency/latency-profiler';
import { ServerError, TimeoutError } from '../provider/provider-errors';
import { type FakeBehaviour, FakeModel } from './fake-pool-model.test-support';
import { NoMatchingProviderError, PoolDisposedError, PoolRequestFailedError } from './pool-errors';
import type { CircuitOpenedEvent, PoolEvent } from './pool-events';
import type { PoolMemberOptions } from './pool-member';
import { ProviderPool, type ProviderPoolOptions } from './provider-pool';
import {
  combineRouting,
  leastBusyRouting,
  lowestCostRouting,
  lowestLatencyRouting,
  preferResidentRouting,
} from './routing-policy';

interface Harness {
  clock: VirtualClock;
  pool: ProviderPool<FakeModel>;
  models: Record<string, FakeModel>;
  events: PoolEvent[];
  created: string[];
  disposed: string[];
  request(options?: Parameters<ProviderPool<FakeModel>['run']>[1]): Outcome;
}

interface Outcome {
  values: string[];
  error: unknown;
  done: boolean;
  unsubscribe(): void;
}

function harness(
  behaviours: Record<string, FakeBehaviour>,
  options: Partial<ProviderPoolOptions<FakeModel>> = {},
  memberOptions: Record<string, Partial<PoolMemberOptions<FakeModel>>> = {},
): Harness {
  const clock = createVirtualClock();
  const models: Record<string, FakeModel> = {};
  const created: string[] = [];
  const disposed: string[] = [];
  for (const [id, behaviour] of Object.entries(behaviours))
    models[id] = new FakeModel(id, clock.scheduler, behaviour);
  const pool = new ProviderPool<FakeModel>({
    scheduler: clock.scheduler,
    ...options,
    members: Object.keys(behaviours).map((id) => ({
      id,
      create: () => {
        created.push(id);
        return models[id]!;
      },
      dispose: () => {
        disposed.push(id);
      },
      ...memberOptions[id],
    })),
  });
  const events: PoolEvent[] = [];
  pool.events$.subscribe((event) => events.push(event));
  const request: Harness['request'] = (requestOptions) => {
    const outcome: Outcome = { values: [], error: undefined, done: false, unsubscribe: () => {} };
    const subscription = pool
      .run((model) => model.call(), requestOptions)
      .subscribe({
        next: (value) => outcome.values.push(value),
        error: (error: unknown) => {
          outcome.error = error;
          outcome.done = true;
        },
        complete: () => {
          outcome.done = true;
        },
      });
    outcome.unsubscribe = () => subscription.unsubscribe();
    return outcome;
  };
  return { clock, pool, models, events, created, disposed, request };
}

const ok = (latencyMs = 10): FakeBehaviour => ({ kind: 'ok', latencyMs });
const types = (events: PoolEvent[]) => events.map((event) => event.type);

describe('ProviderPool routing and fallback', () => {
  it('serves from the first member and loads it lazily', () => {
    const h = harness({ primary: ok(), fallback: ok() });
    expect(h.created).toEqual([]);
    const outcome = h.request();
    h.clock.advanceBy(100);
    expect(outcome).toMatchObject({ values: ['primary:1', 'primary:2'], done: true, error: undefined });
    expect(h.created).toEqual(['primary']);
    expect(types(h.events)).toEqual([
      'attempt-start',
      'provider-loading',
      'provider-loaded',
      'request-served',
    ]);
    expect(h.events.at(-1)).toMatchObject({ provider: 'primary', firstEventMs: 10, attempts: 1 });
  });

  it('moves a request that fails before any output to the next member', () => {
    const h = harness({ primary: { kind: 'error', afterMs: 30 }, fallback: ok(20) });
    const outcome = h.request();
    h.clock.advanceBy(100);
    expect(outcome.values).toEqual(['fallback:1', 'fallback:2']);
    expect(outcome.error).toBeUndefined();
    const failed = h.events.find((event) => event.type === 'attempt-failed');
    expect(failed).toMatchObject({ provider: 'primary', reason: 'error', at: 30 });
    expect(h.events.filter((event) => event.type === 'attempt-start').map((event) => event.provider)).toEqual(
      ['primary', 'fallback'],
    );
  });

  it('fails with an error naming every member tried when all fail', () => {
    const h = harness({
      a: { kind: 'error', afterMs: 5 },
      b: { kind: 'error', afterMs: 5 },
      c: { kind: 'error', afterMs: 5 },
    });
    const outcome = h.request();
    h.clock.advanceBy(100);
    expect(PoolRequestFailedError.isInstance(outcome.error)).toBe(true);
    const error = outcome.error as PoolRequestFailedError;
    expect(error.providersTried).toEqual(['a', 'b', 'c']);
    expect(error.outputStarted).toBe(false);
    for (const id of ['a', 'b', 'c']) expect(error.message).toContain(id);
    expect(error.code).toBe('pool-request-failed');
  });

  it('times out a stalled member, cancels its call and falls back within the timeout', () => {
    const h = harness({ primary: { kind: 'stall' }, fallback: ok(40) }, { firstEventTimeoutMs: 300 });
    const outcome = h.request();
    h.clock.advanceBy(299);
    expect(outcome.values).toEqual([]);
    expect(h.models.primary!.active).toBe(1);
    h.clock.advanceBy(1);
    expect(h.models.primary!.active).toBe(0);
    const failed = h.events.find((event) => event.type === 'attempt-failed');
    expect(failed).toMatchObject({ provider: 'primary', reason: 'timeout', at: 300 });
    expect(TimeoutError.isInstance((failed as { error: unknown }).error)).toBe(true);
    h.clock.advanceBy(40);
    expect(outcome.values[0]).toBe('fallback:1');
  });

  it('does not move a request whose member failed after emitting', () => {
    const h = harness({ primary: { kind: 'fail-after-output', latencyMs: 10 }, fallback: ok() });
    const outcome = h.request();
    h.clock.advanceBy(100);
    expect(outcome.values).toEqual(['primary:1']);
    const error = outcome.error as PoolRequestFailedError;
    expect(error.outputStarted).toBe(true);
    expect(error.providersTried).toEqual(['primary']);
    expect(h.models.fallback!.calls).toBe(0);
  });

  it('unsubscribing cancels the call and frees the member', () => {
    const h = harness({ primary: { kind: 'stall' } });
    const outcome = h.request();
    h.clock.advanceBy(10);
    expect(h.pool.list()[0]!.inFlight).toBe(1);
    outcome.unsubscribe();
    expect(h.models.primary!.active).toBe(0);
    expect(h.pool.list()[0]!.inFlight).toBe(0);
    expect(h.pool.list()[0]!.failures).toBe(0);
  });

  it('skips a member at its concurrency limit', () => {
    const h = harness({ primary: ok(50), fallback: ok(50) }, {}, { primary: { maxConcurrency: 1 } });
    const first = h.request();
    const second = h.request();
    h.clock.advanceBy(200);
    expect(first.values[0]).toBe('primary:1');
    expect(second.values[0]).toBe('fallback:1');
  });

  it('reports a typed error when every member is skipped', () => {
    const h = harness({ only: { kind: 'stall' } }, {}, { only: { maxConcurrency: 1 } });
    h.request();
    const second = h.request();
    expect(second.error).toBeInstanceOf(PoolRequestFailedError);
    expect((second.error as PoolRequestFailedError).attempts).toEqual([
      { provider: 'only', outcome: 'skipped', reason: 'at-concurrency-limit' },
    ]);
    expect((second.error as Error).message).toContain('only (at-concurrency-limit)');
  });
});

describe('ProviderPool capabilities', () => {
  const capable = (): Harness =>
    harness(
      { eleven: ok(), openai: ok(), local: ok() },
      {},
      {
        eleven: {
          capabilities: { features: ['aligned-marks', 'streaming-input'], languages: ['en', 'de'] },
          costPerRequest: 3,
        },
        openai: { capabilities: { features: ['streaming-input'], languages: ['en'] }, costPerRequest: 1 },
        local: { capabilities: { languages: ['en'], voices: ['robot'] }, costPerRequest: 0 },
      },
    );

  it('routes by required features and language (a primary subtag matches a region)', () => {
    const h = capable();
    const german = h.request({ requires: { language: 'de-AT' } });
    const cheap = h.request({ requires: { features: ['streaming-input'], maxCostPerRequest: 2 } });
    const voiced = h.request({ requires: { voice: 'robot' } });
    h.clock.advanceBy(100);
    expect(german.values[0]).toBe('eleven:1');
    expect(cheap.values[0]).toBe('openai:1');
    expect(voiced.values[0]).toBe('eleven:1'); // eleven declares no voices: any voice passes
  });

  it('fails with NoMatchingProviderError saying what each member lacks', () => {
    const h = capable();
    const outcome = h.request({ requires: { language: 'ja', features: ['aligned-marks'] } });
    expect(NoMatchingProviderError.isInstance(outcome.error)).toBe(true);
    const error = outcome.error as NoMatchingProviderError;
    expect(error.rejected.map((entry) => entry.provider)).toEqual(['eleven', 'openai', 'local']);
    expect(error.message).toContain("openai lacks feature 'aligned-marks', language 'ja'");
    expect(h.created).toEqual([]);
  });

  it('restricts a request to the named members', () => {
    const h = capable();
    const outcome = h.request({ providers: ['local'] });
    h.clock.advanceBy(100);
    expect(outcome.values[0]).toBe('local:1');
  });
});

describe('ProviderPool circuit breaker', () => {
  it('opens after consecutive failures, half-opens, and a successful probe restores the primary', () => {
    let primaryBehaviour: FakeBehaviour = { kind: 'error', afterMs: 5 };
    const h = harness(
      { primary: ok(), fallback: ok() },
      { circuitBreaker: { failureThreshold: 2, openDurationMs: 1000 } },
    );
    h.models.primary!.behaviour = () => primaryBehaviour;
    h.request();
    h.clock.advanceBy(50);
    h.request();
    h.clock.advanceBy(50);
    expect(h.pool.list()[0]!.circuit).toBe('open');
    expect(h.events.find((event) => event.type === 'circuit-opened')).toMatchObject({
      provider: 'primary',
      halfOpenAt: 1055,
    });
    const callsWhenOpened = h.models.primary!.calls;
    const whileOpen = h.request();
    h.clock.advanceBy(50);
    expect(whileOpen.values[0]).toBe('fallback:1');
    expect(h.models.primary!.calls).toBe(callsWhenOpened);
    h.clock.advanceTo(1055);
    expect(h.pool.list()[0]!.circuit).toBe('half-open');
    primaryBehaviour = ok(10);
    const probe = h.request();
    expect(h.events.filter((event) => event.type === 'attempt-start').at(-1)).toMatchObject({
      provider: 'primary',
      probe: true,
    });
    const duringProbe = h.request();
    h.clock.advanceBy(50);
    expect(probe.values[0]).toBe('primary:1');
    expect(duringProbe.values[0]).toBe('fallback:1');
    expect(h.pool.list()[0]!.circuit).toBe('closed');
    expect(types(h.events)).toContain('circuit-closed');
    const restored = h.request();
    h.clock.advanceBy(50);
    expect(restored.values[0]).toBe('primary:1');
  });

  it('a failed probe reopens the circuit and the same request falls back', () => {
    const h = harness(
      { primary: { kind: 'error', afterMs: 5 }, fallback: ok() },
      { circuitBreaker: { failureThreshold: 1, openDurationMs: 100 } },
    );
    h.request();
    h.clock.advanceBy(100);
    h.clock.advanceBy(10);
    expect(h.pool.list()[0]!.circuit).toBe('half-open');
    const probe = h.request();
    h.clock.advanceBy(50);
    expect(probe.values[0]).toBe('fallback:1');
    expect(h.pool.list()[0]!.circuit).toBe('open');
  });

  it('a provider that stays down is probed at growing intervals, capped, and a recovery resets them', () => {
    const h = harness(
      { primary: { kind: 'error', afterMs: 5 }, fallback: ok() },
      {
        circuitBreaker: {
          failureThreshold: 1,
          openDurationMs: 100,
          backoffMultiplier: 2,
          maxOpenDurationMs: 300,
        },
      },
    );
    const opened = (): CircuitOpenedEvent[] =>
      h.events.filter((event): event is CircuitOpenedEvent => event.type === 'circuit-opened');
    h.request();
    h.clock.advanceBy(50);
    for (let probe = 0; probe < 4; probe++) {
      const last = opened().at(-1)!;
      h.clock.advanceTo(last.halfOpenAt - 1);
      expect(h.pool.list()[0]!.circuit).toBe('open');
      h.clock.advanceBy(1);
      expect(h.pool.list()[0]!.circuit).toBe('half-open');
      const request = h.request();
      h.clock.advanceBy(50);
      expect(request.values[0]).toMatch(/^fallback:/);
    }
    expect(opened().map((event) => event.halfOpenAt - event.at)).toEqual([100, 200, 300, 300, 300]);
    expect(h.pool.list()[0]!.circuitReopens).toBe(4);
    h.models.primary!.behaviour = () => ({ kind: 'ok', latencyMs: 10 });
    h.clock.advanceTo(opened().at(-1)!.halfOpenAt);
    h.request();
    h.clock.advanceBy(50);
    expect(h.pool.list()[0]!).toMatchObject({ circuit: 'closed', circuitReopens: 0 });
    h.models.primary!.behaviour = () => ({ kind: 'error', afterMs: 5 });
    h.request();
    h.clock.advanceBy(50);
    expect(opened().at(-1)!.halfOpenAt - opened().at(-1)!.at).toBe(100);
  });

  it('health scores fall with failures and drop to 0 while open', () => {
    const h = harness(
      { primary: { kind: 'error', afterMs: 5 }, fallback: ok() },
      { circuitBreaker: { failureThreshold: 3 } },
    );
    const scores: number[] = [];
    h.pool.health$.subscribe((members) => scores.push(members[0]!.healthScore));
    expect(scores[0]).toBe(1);
    h.request();
    h.clock.advanceBy(50);
    expect(h.pool.list()[0]!.healthScore).toBeCloseTo(0.8);
    h.request();
    h.clock.advanceBy(50);
    h.request();
    h.clock.advanceBy(50);
    expect(h.pool.list()[0]!.healthScore).toBe(0);
    expect(h.pool.list()[1]!.healthScore).toBe(1);
  });
});

describe('ProviderPool latency budget', () => {
  it('a p95 over budget emits a breach, opens the circuit, and a fast probe restores the member', () => {
    let latencyMs = 100;
    const h = harness(
      { primary: ok(), fallback: ok(50) },
      { latencyBudgetMs: 300, minLatencySamples: 3, circuitBreaker: { openDurationMs: 2000 } },
    );
    h.models.primary!.behaviour = () => ({ kind: 'ok', latencyMs });
    for (let i = 0; i < 3; i++) {
      h.request();
      h.clock.advanceBy(1000);
    }
    expect(types(h.events)).not.toContain('latency-budget-breached');
    latencyMs = 500;
    for (let i = 0; i < 2 && !types(h.events).includes('latency-budget-breached'); i++) {
      h.request();
      h.clock.advanceBy(1000);
    }
    const breach = h.events.find((event) => event.type === 'latency-budget-breached');
    expect(breach).toMatchObject({ provider: 'primary', budgetMs: 300, p95Ms: 500 });
    expect(h.pool.list()[0]!.circuit).toBe('open');
    const next = h.request();
    h.clock.advanceBy(100);
    expect(next.values[0]).toBe('fallback:1');
    h.clock.advanceBy(2000);
    latencyMs = 500;
    const slowProbe = h.request();
    h.clock.advanceBy(1000);
    expect(slowProbe.values[0]).toBe('primary:1');
    expect(h.pool.list()[0]!.circuit).toBe('open');
    // The slow probe was a failed probe: the circuit reopens for twice openDurationMs (backoff).
    const reopened = h.events.filter((event) => event.type === 'circuit-opened').at(-1) as CircuitOpenedEvent;
    expect(reopened.halfOpenAt - reopened.at).toBe(4000);
    h.clock.advanceTo(reopened.halfOpenAt - 1);
    expect(h.pool.list()[0]!.circuit).toBe('open');
    h.clock.advanceBy(1);
    latencyMs = 80;
    h.request();
    h.clock.advanceBy(1000);
    expect(h.pool.list()[0]!.circuit).toBe('closed');
    expect(h.pool.list()[0]!.p95Ms).toBe(80);
  });

  it('records first-event latencies into a profiler', () => {
    const clock = createVirtualClock();
    const profiler = new LatencyProfiler({ scheduler: clock.scheduler });
    const model = new FakeModel('tts', clock.scheduler, { kind: 'ok', latencyMs: 42 });
    const pool = new ProviderPool<FakeModel>({
      scheduler: clock.scheduler,
      profiler,
      members: [{ id: 'tts', create: () => model }],
    });
    pool.run((m) => m.call()).subscribe();
    clock.advanceBy(100);
    expect(profiler.stageStats('first-event:tts').max).toBe(42);
  });
});

describe('ProviderPool residency', () => {
  it('never holds more than maxResident models: the least recently used idle one is evicted', () => {
    const h = harness({ a: ok(), b: ok(), c: ok() }, { maxResident: 2 });
    h.request({ providers: ['a'] });
    h.clock.advanceBy(100);
    h.request({ providers: ['b'] });
    h.clock.advanceBy(100);
    h.request({ providers: ['a'] });
    h.clock.advanceBy(100);
    h.request({ providers: ['c'] });
    h.clock.advanceBy(100);
    expect(h.events.find((event) => event.type === 'provider-unloaded')).toMatchObject({
      provider: 'b',
      reason: 'evicted',
    });
    expect(h.disposed).toEqual(['b']);
    expect(
      h.pool
        .list()
        .filter((member) => member.resident)
        .map((member) => member.provider),
    ).toEqual(['a', 'c']);
  });

  it('skips a member that is not loaded when every slot is busy (pool-full)', () => {
    const h = harness({ a: { kind: 'stall' }, b: ok() }, { maxResident: 1 });
    h.request({ providers: ['a'] });
    const outcome = h.request({ providers: ['b'] });
    expect((outcome.error as PoolRequestFailedError).attempts).toEqual([
      { provider: 'b', outcome: 'skipped', reason: 'pool-full' },
    ]);
  });

  it('unloads an idle model after idleTimeoutMs, except the default member', async () => {
    const h = harness(
      { main: ok(), spare: ok() },
      { idleTimeoutMs: 1000, defaultMember: 'main', preload: ['spare'] },
    );
    await h.pool.preload();
    expect(h.created).toEqual(['main', 'spare']);
    h.clock.advanceBy(999);
    expect(h.pool.list().map((member) => member.resident)).toEqual([true, true]);
    h.clock.advanceBy(1);
    expect(h.pool.list().map((member) => member.resident)).toEqual([true, false]);
    expect(h.events.find((event) => event.type === 'provider-unloaded')).toMatchObject({
      provider: 'spare',
      reason: 'idle',
      at: 1000,
    });
    h.clock.advanceBy(10_000);
    expect(h.pool.list()[0]!.resident).toBe(true);
  });

  it('warms a model up on load and records the warm-up latency; a failed warm-up falls back', () => {
    const h = harness(
      { primary: ok(), fallback: ok() },
      {},
      {
        primary: { warmUp: (model) => model.call('warm-up') },
        fallback: {
          warmUp: () =>
            throwError(() => new ServerError({ provider: 'fallback', message: 'warm-up failed' })),
        },
      },
    );
    h.models.primary!.behaviour = (call) =>
      call === 1 ? { kind: 'ok', latencyMs: 70 } : { kind: 'error', afterMs: 1 };
    const outcome = h.request();
    h.clock.advanceBy(1000);
    expect(h.events.find((event) => event.type === 'provider-loaded')).toMatchObject({
      provider: 'primary',
      warmUpMs: 70,
    });
    expect(h.models.primary!.inputs[0]).toBe('warm-up');
    expect(outcome.error).toBeInstanceOf(PoolRequestFailedError);
    const error = outcome.error as PoolRequestFailedError;
    expect(error.attempts.map((attempt) => [attempt.provider, attempt.reason])).toEqual([
      ['primary', 'error'],
      ['fallback', 'load-failed'],
    ]);
  });

  it('loads asynchronously created models and shares one load among waiting requests', async () => {
    const clock = createVirtualClock();
    let creations = 0;
    const model = new FakeModel('async', clock.scheduler, { kind: 'ok', latencyMs: 5 });
    const pool = new ProviderPool<FakeModel>({
      scheduler: clock.scheduler,
      members: [
        {
          id: 'async',
          create: async () => {
            creations += 1;
            return model;
          },
        },
      ],
    });
    const results = [pool.run((m) => m.call()), pool.run((m) => m.call())].map((source) =>
      firstValueFrom(source.pipe(toArray())),
    );
    await Promise.resolve();
    await Promise.resolve();
    clock.advanceBy(100);
    expect(await Promise.all(results)).toEqual([
      ['async:1', 'async:2'],
      ['async:1', 'async:2'],
    ]);
    expect(creations).toBe(1);
  });

  it('load() and unload() by hand', async () => {
    const h = harness({ a: ok() });
    expect(await h.pool.load('a')).toBe(true);
    expect(h.pool.unload('a')).toBe(true);
    expect(h.pool.unload('a')).toBe(false);
    expect(types(h.events)).toEqual(['provider-loading', 'provider-loaded', 'provider-unloaded']);
    expect(() => h.pool.load('nope')).toThrow(InvalidArgumentError);
  });

  it('dispose unloads everything, completes the streams and refuses new requests', () => {
    const h = harness({ a: ok() });
    h.request();
    h.clock.advanceBy(100);
    let completed = false;
    h.pool.events$.subscribe({ complete: () => (completed = true) });
    h.pool.dispose();
    expect(completed).toBe(true);
    expect(h.disposed).toEqual(['a']);
    expect(PoolDisposedError.isInstance(h.request().error)).toBe(true);
  });

  it('rejects bad options', () => {
    const member = { id: 'a', create: () => 1 };
    expect(() => new ProviderPool({ members: [member, member] })).toThrow(/used twice/);
    expect(() => new ProviderPool({ members: [member], defaultMember: 'b' })).toThrow(InvalidArgumentError);
    expect(
      () =>
        new ProviderPool({
          members: [member, { id: 'b', create: () => 2 }],
          maxResident: 1,
          preload: ['a', 'b'],
        }),
    ).toThrow(/exceed maxResident/);
    expect(() => new ProviderPool({ members: [member], firstEventTimeoutMs: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('routing policies', () => {
  const order = (h: Harness, run: () => void): string[] => {
    run();
    return h.events.filter((event) => event.type === 'attempt-start').map((event) => event.provider);
  };

  it('least-busy spreads concurrent requests', () => {
    const h = harness(
      { a: { kind: 'stall' }, b: { kind: 'stall' }, c: { kind: 'stall' } },
      { routing: leastBusyRouting() },
    );
    expect(
      order(h, () => {
        for (let i = 0; i < 4; i++) h.request();
      }),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  it('prefer-resident picks a loaded member over an unloaded one', async () => {
    const h = harness({ a: ok(), b: ok() }, { routing: preferResidentRouting() });
    await h.pool.load('b');
    expect(order(h, () => h.request())).toEqual(['b']);
  });

  it('lowest-p95 tries unmeasured members first, then the fastest', () => {
    const h = harness({ slow: ok(200), fast: ok(20) }, { routing: lowestLatencyRouting() });
    h.request();
    h.clock.advanceBy(1000);
    h.request();
    h.clock.advanceBy(1000);
    h.request();
    h.clock.advanceBy(1000);
    expect(h.events.filter((event) => event.type === 'attempt-start').map((event) => event.provider)).toEqual(
      ['slow', 'fast', 'fast'],
    );
  });

  it('combined policies break ties in order, then by member order', () => {
    const policy = combineRouting(lowestCostRouting(), leastBusyRouting());
    const base = { index: 0, inFlight: 0, maxConcurrency: 4, costPerRequest: 1 } as const;
    const a = { ...base, provider: 'a' } as never;
    const b = { ...base, provider: 'b', inFlight: 2 } as never;
    expect(policy.compare(a, b)).toBeLessThan(0);
    expect(policy.name).toBe('lowest-cost > least-busy');
  });
});
