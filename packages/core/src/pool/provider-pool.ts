import type { Tracer } from '@opentelemetry/api';
import { Observable, type SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { LatencyProfiler } from '../latency/latency-profiler';
import { type CircuitBreakerOptions, resolveCircuitBreakerOptions } from './circuit-breaker';
import { PoolCore } from './pool-core';
import type { PoolEvent } from './pool-events';
import type { PoolMemberOptions } from './pool-member';
import { PoolMemberState } from './pool-member-state';
import { type PoolCall, type PoolRequest, runPoolRequest } from './pool-request';
import type { ProviderHealth } from './provider-health';
import { declaredOrderRouting, type RoutingPolicy } from './routing-policy';

/**
 * Options of {@link ProviderPool}.
 *
 * @example
 * ```ts
 * const options: ProviderPoolOptions<TtsModel> = {
 *   members: [elevenlabsMember, openaiMember, mespeakMember],
 *   defaultMember: 'elevenlabs-flash',
 *   maxResident: 2,
 *   idleTimeoutMs: 5 * 60_000,
 *   firstEventTimeoutMs: 1500,
 *   latencyBudgetMs: 700,
 *   circuitBreaker: { failureThreshold: 3, openDurationMs: 15_000 },
 * };
 * ```
 */
export interface ProviderPoolOptions<TModel> {
  /** The members, primary first: with the default routing this order is the fallback chain. Ids must be unique. */
  members: readonly PoolMemberOptions<TModel>[];
  /** A member that is loaded by {@link ProviderPool.preload} and never unloaded (idle timeout or LRU). */
  defaultMember?: string;
  /** Members {@link ProviderPool.preload} loads besides the default (they may be evicted later). */
  preload?: readonly string[];
  /** The most models resident (loaded or loading) at once, integer ≥ 1; the least recently used idle one is evicted to make room. Default: unlimited. */
  maxResident?: number;
  /** A resident model unused this long is unloaded (except the default member), ms > 0. Default: never. */
  idleTimeoutMs?: number;
  /** How members are ordered for each request. Default {@link declaredOrderRouting}. */
  routing?: RoutingPolicy;
  /** Default per-attempt time to first event, ms > 0 (see {@link PoolRequest.firstEventTimeoutMs}). Default: none. */
  firstEventTimeoutMs?: number;
  /**
   * The p95 first-event latency a member may have, ms > 0. A member over it (once it has
   * `minLatencySamples` samples), or a half-open probe slower than it, trips its circuit and emits
   * `latency-budget-breached`. Default: no budget.
   */
  latencyBudgetMs?: number;
  /** How many recent first-event latencies each member's p95 covers, integer 1..65 536. Default 20. */
  latencyWindowSize?: number;
  /** Samples needed before a member's p95 is judged against the budget, integer ≥ 1. Default 5. */
  minLatencySamples?: number;
  /** Circuit breaker thresholds. */
  circuitBreaker?: CircuitBreakerOptions;
  /** Also records every first-event latency here, under the stage `first-event:<member id>`. */
  profiler?: LatencyProfiler;
  /** The clock of timeouts, idle unloading and circuits. Default: the real-time scheduler. */
  scheduler?: SchedulerLike;
  /** The tracer of `argentum.pool.attempt` spans. Default: the global tracer provider's (a no-op unless an OpenTelemetry SDK is installed). */
  tracer?: Tracer;
}

/**
 * A pool of interchangeable models of one kind (TTS, STT or LLM) — routing by capability and
 * policy, fallback chains, circuit breakers, latency budgets, and model residency.
 *
 * - **Residency.** Members are created lazily on first use (or by {@link ProviderPool.preload}),
 *   warmed up with a short synthetic request whose latency is recorded, unloaded after
 *   `idleTimeoutMs` unused, and evicted least-recently-used first when `maxResident` would be
 *   exceeded. A member busy with requests is never evicted; when every slot is busy, a member
 *   that is not loaded is skipped (`pool-full`) rather than exceeding the cap.
 * - **Routing.** Each request is served by the first member, in the routing policy's order, that
 *   has the required capabilities, a closed (or probe-ready half-open) circuit, and a free
 *   concurrency slot.
 * - **Fallback.** A member that errors, times out (`firstEventTimeoutMs`) or fails to load
 *   *before emitting anything* is cancelled and the same request moves to the next member. After
 *   the first event nothing is retried (the audio or text was already delivered): the request
 *   fails with {@link PoolRequestFailedError}, which names every member tried.
 * - **Circuits.** Consecutive failures (or a latency budget breach) open a member's circuit; after
 *   `openDurationMs` the next request routed to it is a probe whose success restores it, and each
 *   failed probe in a row keeps it open longer (`backoffMultiplier`, up to `maxOpenDurationMs`).
 *
 * `events$` and `health$` report everything; `run` is the only way requests flow.
 *
 * @example
 * ```ts
 * import { ProviderPool, createPooledTtsModel, createSimulatedTts } from '@argentum/core';
 *
 * const pool = new ProviderPool<TtsModel>({
 *   members: [
 *     { id: 'elevenlabs', create: () => elevenlabs.speech('eleven_flash_v2_5', { voiceId }) },
 *     { id: 'openai', create: () => openai.speech('gpt-4o-mini-tts') },
 *   ],
 *   firstEventTimeoutMs: 800,
 *   circuitBreaker: { failureThreshold: 2, openDurationMs: 10_000 },
 * });
 * pool.events$.subscribe((event) => console.log(event.type, event));
 * const tts = createPooledTtsModel(pool, { sampleRate: 24000 });
 * tts.synthesize({ text: 'Hello there.' }).subscribe(play); // elevenlabs, or openai if it stalls
 * ```
 */
export class ProviderPool<TModel> {
  /**
   * Everything the pool does (loads, unloads, attempts, fallbacks, circuit changes, budget
   * breaches). **Hot**: subscribers get events from when they subscribe. Completes on
   * {@link ProviderPool.dispose}; never errors.
   *
   * @example
   * ```ts
   * pool.events$.subscribe((event) => {
   *   if (event.type === 'latency-budget-breached') playFiller();
   * });
   * ```
   */
  readonly events$: Observable<PoolEvent>;

  /**
   * Health of every member, in `members` order. **Hot**: a subscriber gets the current snapshot at
   * once, then one after each change. Completes on {@link ProviderPool.dispose}; never errors.
   *
   * @example
   * ```ts
   * pool.health$.subscribe((members) => dashboard.update(members));
   * ```
   */
  readonly health$: Observable<ProviderHealth[]>;

  private readonly core: PoolCore<TModel>;
  private readonly preloadIds: readonly string[];

  /**
   * @param options - members, residency, routing, timeouts, budget, circuit and clock.
   * @throws InvalidArgumentError on a duplicate or unknown member id, or an option out of range.
   */
  constructor(options: ProviderPoolOptions<TModel>) {
    const latencyWindowSize = assertNumber('latencyWindowSize', options.latencyWindowSize ?? 20, {
      min: 1,
      max: 65_536,
      integer: true,
    });
    const members = options.members.map((member, index) => {
      if (typeof member.id !== 'string' || member.id === '') {
        throw new InvalidArgumentError(`members[${index}].id`, 'expected a non-empty string.');
      }
      const cost = assertNumber(`members[${index}].costPerRequest`, member.costPerRequest ?? 0, { min: 0 });
      const concurrency =
        member.maxConcurrency === undefined
          ? Number.POSITIVE_INFINITY
          : assertNumber(`members[${index}].maxConcurrency`, member.maxConcurrency, {
              min: 1,
              integer: true,
            });
      return new PoolMemberState(member, index, latencyWindowSize, cost, concurrency);
    });
    const ids = new Set<string>();
    for (const member of members) {
      if (ids.has(member.id)) {
        throw new InvalidArgumentError(
          'members',
          `the id '${member.id}' is used twice; give every member its own id.`,
        );
      }
      ids.add(member.id);
    }
    const known = (argument: string, id: string): string => {
      if (!ids.has(id))
        throw new InvalidArgumentError(
          argument,
          `'${id}' is not a member id (members: ${[...ids].join(', ')}).`,
        );
      return id;
    };
    const defaultMember =
      options.defaultMember === undefined ? undefined : known('defaultMember', options.defaultMember);
    this.preloadIds = [
      ...new Set([
        ...(defaultMember === undefined ? [] : [defaultMember]),
        ...(options.preload ?? []).map((id) => known('preload', id)),
      ]),
    ];
    const maxResident =
      options.maxResident === undefined
        ? Number.POSITIVE_INFINITY
        : assertNumber('maxResident', options.maxResident, { min: 1, integer: true });
    if (this.preloadIds.length > maxResident) {
      throw new InvalidArgumentError(
        'preload',
        `${this.preloadIds.length} members to preload (with the default) exceed maxResident ${maxResident}; preload fewer or raise maxResident.`,
      );
    }
    const positiveOrInfinite = (argument: string, value: number | undefined): number =>
      value === undefined ? Number.POSITIVE_INFINITY : assertNumber(argument, value, { above: 0 });
    this.core = new PoolCore(members, {
      scheduler: options.scheduler ?? realtimeScheduler,
      maxResident,
      idleTimeoutMs: positiveOrInfinite('idleTimeoutMs', options.idleTimeoutMs),
      firstEventTimeoutMs: positiveOrInfinite('firstEventTimeoutMs', options.firstEventTimeoutMs),
      latencyBudgetMs:
        options.latencyBudgetMs === undefined
          ? undefined
          : assertNumber('latencyBudgetMs', options.latencyBudgetMs, { above: 0 }),
      minLatencySamples: assertNumber('minLatencySamples', options.minLatencySamples ?? 5, {
        min: 1,
        integer: true,
      }),
      circuit: resolveCircuitBreakerOptions(options.circuitBreaker),
      routing: options.routing ?? declaredOrderRouting(),
      defaultMember,
      profiler: options.profiler,
      tracer: options.tracer,
    });
    this.events$ = new Observable<PoolEvent>((subscriber) => this.core.addEventSubscriber(subscriber));
    this.health$ = new Observable<ProviderHealth[]>((subscriber) =>
      this.core.addHealthSubscriber(subscriber),
    );
  }

  /** The member ids, in `members` order. */
  get memberIds(): string[] {
    return this.core.members.map((member) => member.id);
  }

  /**
   * Runs one request: routes it, loads the member if needed, calls `call` on its model, and fails
   * over to the next member when the call errors or times out before its first event.
   *
   * Cold: each subscription is one request. Emits the serving call's events; completes when it
   * completes; errors with {@link PoolRequestFailedError} (naming every member tried),
   * {@link NoMatchingProviderError}, {@link PoolDisposedError}, or an error `isRequestError`
   * recognised. Unsubscribing cancels the call in progress (a model still loading keeps loading,
   * for the next request).
   *
   * @param call - makes the call on a member's model; it gets the attempt's context.
   * @param request - requirements, allowed members, first-event timeout.
   * @returns the serving call's events.
   * @example
   * ```ts
   * pool
   *   .run((model) => model.synthesize({ text: 'One moment.' }), { requires: { language: 'en' }, firstEventTimeoutMs: 600 })
   *   .subscribe({ next: play, error: (error) => console.error(error.message) });
   * ```
   */
  run<TEvent>(call: PoolCall<TModel, TEvent>, request: PoolRequest = {}): Observable<TEvent> {
    return runPoolRequest(this.core, call, request);
  }

  /**
   * Loads the default member and the `preload` list, in that order (each with its warm-up).
   *
   * @returns resolves when all are loaded; rejects with the first load error.
   * @example
   * ```ts
   * await pool.preload(); // before accepting calls, so the first caller does not wait for a warm-up
   * ```
   */
  async preload(): Promise<void> {
    for (const id of this.preloadIds) await this.load(id);
  }

  /**
   * Loads one member now (evicting the least recently used idle member if the pool is full).
   *
   * @param id - the member's id.
   * @returns `true` once it is resident; `false` when every resident slot is busy.
   * @throws InvalidArgumentError for an unknown id (synchronously); rejects with the load error.
   * @example
   * ```ts
   * if (!(await pool.load('openai'))) console.warn('pool full of busy models');
   * ```
   */
  load(id: string): Promise<boolean> {
    const member = this.member(id);
    if (member.residency === 'resident') return Promise.resolve(true);
    if (member.residency === 'absent' && !this.core.makeRoom()) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      this.core.ensureLoaded(member, { ready: () => resolve(true), failed: reject });
    });
  }

  /**
   * Unloads one member now, if it is resident and idle.
   *
   * @param id - the member's id.
   * @returns `true` if it was unloaded; `false` if it was not resident, is loading or is busy.
   * @throws InvalidArgumentError for an unknown id.
   * @example
   * ```ts
   * pool.unload('mespeak'); // free its memory
   * ```
   */
  unload(id: string): boolean {
    const member = this.member(id);
    if (member.residency !== 'resident' || member.inFlight > 0) return false;
    this.core.unload(member, 'manual');
    return true;
  }

  /**
   * The health of every member now, in `members` order (what `health$` emits).
   *
   * @returns one snapshot per member.
   * @example
   * ```ts
   * const resident = pool.list().filter((member) => member.resident).map((member) => member.provider);
   * ```
   */
  list(): ProviderHealth[] {
    return this.core.list();
  }

  /**
   * Unloads every model, stops every timer and completes `events$` and `health$`. Requests in
   * flight finish on their own; new ones fail with {@link PoolDisposedError}.
   *
   * @example
   * ```ts
   * pool.dispose();
   * ```
   */
  dispose(): void {
    this.core.dispose();
  }

  private member(id: string) {
    const member = this.core.byId.get(id);
    if (member === undefined) {
      throw new InvalidArgumentError(
        'id',
        `'${id}' is not a member of this pool (members: ${this.memberIds.join(', ')}).`,
      );
    }
    return member;
  }
}
