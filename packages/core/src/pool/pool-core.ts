import { type Tracer, trace } from '@opentelemetry/api';
import type { SchedulerAction, SchedulerLike, Subscriber } from 'rxjs';
import type { LatencyProfiler } from '../latency/latency-profiler';
import {
  type CircuitEvent,
  type ResolvedCircuitBreakerOptions,
  reduceCircuitBreaker,
} from './circuit-breaker';
import type { PoolSkipReason } from './pool-errors';
import type { PoolEvent } from './pool-events';
import type { LoadWaiter, PoolMemberState } from './pool-member-state';
import type { ProviderHealth } from './provider-health';
import type { RoutingPolicy } from './routing-policy';

/**
 * The resolved settings a pool runs with.
 * @internal
 */
export interface PoolSettings {
  scheduler: SchedulerLike;
  maxResident: number;
  idleTimeoutMs: number;
  firstEventTimeoutMs: number;
  latencyBudgetMs: number | undefined;
  minLatencySamples: number;
  circuit: ResolvedCircuitBreakerOptions;
  routing: RoutingPolicy;
  defaultMember: string | undefined;
  profiler: LatencyProfiler | undefined;
  tracer: Tracer | undefined;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * The mechanics of a provider pool: residency (load, warm-up, LRU eviction, idle timeout),
 * circuits, health and latency records, and event delivery. {@link ProviderPool} is its public face.
 * @internal
 */
export class PoolCore<TModel> {
  readonly byId = new Map<string, PoolMemberState<TModel>>();
  disposed = false;
  private readonly eventSubscribers = new Set<Subscriber<PoolEvent>>();
  private readonly healthSubscribers = new Set<Subscriber<ProviderHealth[]>>();
  private requestSequence = 0;

  constructor(
    readonly members: readonly PoolMemberState<TModel>[],
    readonly settings: PoolSettings,
  ) {
    this.tracer = settings.tracer ?? trace.getTracer('@argentum/core');
    for (const member of members) this.byId.set(member.id, member);
  }

  /** The pool's tracer, or the global API's (looked up once: a proxy that follows a provider registered later). */
  readonly tracer: Tracer;

  now(): number {
    return this.settings.scheduler.now();
  }

  nextRequestId(): string {
    this.requestSequence += 1;
    return `request-${this.requestSequence}`;
  }

  addEventSubscriber(subscriber: Subscriber<PoolEvent>): () => void {
    if (this.disposed) {
      subscriber.complete();
      return () => {};
    }
    this.eventSubscribers.add(subscriber);
    return () => this.eventSubscribers.delete(subscriber);
  }

  addHealthSubscriber(subscriber: Subscriber<ProviderHealth[]>): () => void {
    subscriber.next(this.list());
    if (this.disposed) {
      subscriber.complete();
      return () => {};
    }
    this.healthSubscribers.add(subscriber);
    return () => this.healthSubscribers.delete(subscriber);
  }

  emit(event: PoolEvent): void {
    for (const subscriber of [...this.eventSubscribers]) subscriber.next(event);
  }

  healthChanged(): void {
    if (this.healthSubscribers.size === 0) return;
    const snapshot = this.list();
    for (const subscriber of [...this.healthSubscribers]) subscriber.next(snapshot);
  }

  list(): ProviderHealth[] {
    return this.members.map((member) => member.health());
  }

  /** Resident plus loading members: what counts against `maxResident`. */
  residentCount(): number {
    let count = 0;
    for (const member of this.members) if (member.residency !== 'absent') count += 1;
    return count;
  }

  /** Why `member` cannot take a request now (making room for it if needed), or `undefined`. */
  skipReason(member: PoolMemberState<TModel>): PoolSkipReason | undefined {
    this.tickCircuit(member);
    if (member.circuit.status === 'open') return 'circuit-open';
    if (member.circuit.status === 'half-open' && member.circuit.probeInFlight) return 'probe-in-flight';
    if (member.inFlight >= member.maxConcurrency) return 'at-concurrency-limit';
    if (member.residency === 'absent' && !this.makeRoom()) return 'pool-full';
    return undefined;
  }

  /** Evicts least recently used idle members until one more fits; `false` when every slot is busy. */
  makeRoom(): boolean {
    while (this.residentCount() >= this.settings.maxResident) {
      let victim: PoolMemberState<TModel> | undefined;
      for (const member of this.members) {
        if (
          member.residency !== 'resident' ||
          member.inFlight > 0 ||
          member.id === this.settings.defaultMember
        )
          continue;
        const lastUsed = member.lastUsedAt ?? Number.NEGATIVE_INFINITY;
        if (victim === undefined || lastUsed < (victim.lastUsedAt ?? Number.NEGATIVE_INFINITY))
          victim = member;
      }
      if (victim === undefined) return false;
      this.unload(victim, 'evicted');
    }
    return true;
  }

  acquire(member: PoolMemberState<TModel>): void {
    member.inFlight += 1;
    member.idleTimer?.unsubscribe();
    member.idleTimer = undefined;
  }

  release(member: PoolMemberState<TModel>): void {
    member.inFlight -= 1;
    member.lastUsedAt = this.now();
    this.scheduleIdleUnload(member);
    this.healthChanged();
  }

  private scheduleIdleUnload(member: PoolMemberState<TModel>): void {
    member.idleTimer?.unsubscribe();
    member.idleTimer = undefined;
    const { idleTimeoutMs, defaultMember, scheduler } = this.settings;
    if (this.disposed || !Number.isFinite(idleTimeoutMs) || member.id === defaultMember) return;
    if (member.residency !== 'resident' || member.inFlight > 0) return;
    member.idleTimer = scheduler.schedule(() => {
      member.idleTimer = undefined;
      if (member.residency === 'resident' && member.inFlight === 0) this.unload(member, 'idle');
    }, idleTimeoutMs);
  }

  /**
   * Calls `waiter.ready` with the member's model, loading it first when needed (the caller made
   * room). Returns a function that stops waiting.
   */
  ensureLoaded(member: PoolMemberState<TModel>, waiter: LoadWaiter<TModel>): () => void {
    if (member.residency === 'resident') {
      waiter.ready(member.model as TModel);
      return () => {};
    }
    member.loadWaiters.add(waiter);
    if (member.residency === 'absent') this.startLoad(member);
    return () => {
      member.loadWaiters.delete(waiter);
    };
  }

  private startLoad(member: PoolMemberState<TModel>): void {
    member.residency = 'loading';
    member.generation += 1;
    const generation = member.generation;
    this.emit({ type: 'provider-loading', provider: member.id, at: this.now() });
    this.healthChanged();
    let created: TModel | PromiseLike<TModel>;
    try {
      created = member.options.create();
    } catch (error) {
      this.loadFailed(member, generation, error);
      return;
    }
    if (isPromiseLike(created)) {
      created.then(
        (model) => this.created(member, generation, model),
        (error: unknown) => this.loadFailed(member, generation, error),
      );
    } else {
      this.created(member, generation, created);
    }
  }

  private created(member: PoolMemberState<TModel>, generation: number, model: TModel): void {
    if (generation !== member.generation || this.disposed) {
      this.disposeModel(member, model);
      return;
    }
    const warmUp = member.options.warmUp;
    if (warmUp === undefined) {
      this.loaded(member, model, undefined);
      return;
    }
    const { scheduler } = this.settings;
    const startedAt = this.now();
    let firstEventMs: number | undefined;
    const fail = (error: unknown): void => {
      member.warmUp = undefined;
      this.disposeModel(member, model);
      this.loadFailed(member, generation, error);
    };
    try {
      member.warmUp = warmUp(model, { scheduler }).subscribe({
        next: () => {
          if (firstEventMs === undefined) firstEventMs = Math.max(0, this.now() - startedAt);
        },
        error: fail,
        complete: () => {
          member.warmUp = undefined;
          if (generation === member.generation) this.loaded(member, model, firstEventMs);
        },
      });
    } catch (error) {
      fail(error);
    }
  }

  private loaded(member: PoolMemberState<TModel>, model: TModel, warmUpMs: number | undefined): void {
    member.residency = 'resident';
    member.model = model;
    member.lastUsedAt = this.now();
    if (warmUpMs !== undefined) this.recordLatencySample(member, warmUpMs);
    this.emit({ type: 'provider-loaded', provider: member.id, at: this.now(), warmUpMs });
    const waiters = [...member.loadWaiters];
    member.loadWaiters.clear();
    for (const waiter of waiters) waiter.ready(model);
    this.scheduleIdleUnload(member);
    this.healthChanged();
  }

  private loadFailed(member: PoolMemberState<TModel>, generation: number, error: unknown): void {
    if (generation !== member.generation) return;
    member.residency = 'absent';
    member.model = undefined;
    this.emit({ type: 'provider-load-failed', provider: member.id, at: this.now(), error });
    this.recordFailure(member);
    const waiters = [...member.loadWaiters];
    member.loadWaiters.clear();
    for (const waiter of waiters) waiter.failed(error);
    this.healthChanged();
  }

  unload(member: PoolMemberState<TModel>, reason: 'idle' | 'evicted' | 'manual' | 'disposed'): void {
    if (member.residency === 'absent') return;
    const model = member.model;
    member.generation += 1;
    member.residency = 'absent';
    member.model = undefined;
    member.warmUp?.unsubscribe();
    member.warmUp = undefined;
    member.idleTimer?.unsubscribe();
    member.idleTimer = undefined;
    if (model !== undefined) this.disposeModel(member, model);
    this.emit({ type: 'provider-unloaded', provider: member.id, at: this.now(), reason });
    this.healthChanged();
  }

  private disposeModel(member: PoolMemberState<TModel>, model: TModel): void {
    const dispose = member.options.dispose;
    if (dispose === undefined) return;
    try {
      const result = dispose(model);
      if (isPromiseLike(result)) result.then(undefined, () => {});
    } catch {
      // A failing dispose must not break the pool; the model is dropped either way.
    }
  }

  applyCircuit(member: PoolMemberState<TModel>, event: CircuitEvent): void {
    const { state, effects } = reduceCircuitBreaker(member.circuit, event, this.settings.circuit);
    member.circuit = state;
    for (const effect of effects) {
      if (effect.type === 'opened') {
        this.scheduleHalfOpen(member, effect.halfOpenAt);
        this.emit({
          type: 'circuit-opened',
          provider: member.id,
          at: effect.at,
          halfOpenAt: effect.halfOpenAt,
        });
      } else if (effect.type === 'half-opened') {
        member.halfOpenTimer?.unsubscribe();
        member.halfOpenTimer = undefined;
        this.emit({ type: 'circuit-half-opened', provider: member.id, at: effect.at });
      } else {
        this.emit({ type: 'circuit-closed', provider: member.id, at: effect.at });
      }
    }
    if (effects.length > 0) this.healthChanged();
  }

  tickCircuit(member: PoolMemberState<TModel>): void {
    if (member.circuit.status === 'open') this.applyCircuit(member, { type: 'tick', at: this.now() });
  }

  private scheduleHalfOpen(member: PoolMemberState<TModel>, halfOpenAt: number): void {
    member.halfOpenTimer?.unsubscribe();
    member.halfOpenTimer = undefined;
    if (this.disposed) return;
    const { scheduler } = this.settings;
    const tick = (): void => this.tickCircuit(member);
    member.halfOpenTimer = scheduler.schedule(
      function check(this: SchedulerAction<undefined>) {
        // Timers may fire a little early against a monotonic clock: re-arm for the remainder.
        const remaining = halfOpenAt - scheduler.now();
        if (remaining > 0) this.schedule(undefined, remaining);
        else tick();
      },
      Math.max(0, halfOpenAt - this.now()),
    );
  }

  recordSuccess(member: PoolMemberState<TModel>): void {
    member.recordOutcome(true);
    this.applyCircuit(member, { type: 'success', at: this.now() });
    this.healthChanged();
  }

  recordFailure(member: PoolMemberState<TModel>): void {
    member.recordOutcome(false);
    this.applyCircuit(member, { type: 'failure', at: this.now() });
    this.healthChanged();
  }

  private recordLatencySample(member: PoolMemberState<TModel>, latencyMs: number): void {
    member.latency.record(latencyMs);
    this.settings.profiler?.record(`first-event:${member.id}`, latencyMs);
  }

  /** Records a call's first-event latency and acts on a latency budget breach. */
  recordLatency(member: PoolMemberState<TModel>, latencyMs: number, probe: boolean): void {
    this.recordLatencySample(member, latencyMs);
    const budgetMs = this.settings.latencyBudgetMs;
    if (budgetMs === undefined) return;
    let p95Ms: number | undefined;
    if (probe) {
      if (latencyMs > budgetMs) p95Ms = latencyMs;
    } else if (member.latency.count >= this.settings.minLatencySamples) {
      const measured = member.latency.quantile(0.95);
      if (measured > budgetMs) p95Ms = measured;
    }
    if (p95Ms === undefined) return;
    const samples = probe ? 1 : member.latency.count;
    member.latency.reset();
    this.emit({
      type: 'latency-budget-breached',
      provider: member.id,
      at: this.now(),
      p95Ms,
      budgetMs,
      samples,
    });
    this.applyCircuit(member, { type: 'trip', at: this.now() });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const member of this.members) {
      member.halfOpenTimer?.unsubscribe();
      member.halfOpenTimer = undefined;
      this.unload(member, 'disposed');
      const waiters = [...member.loadWaiters];
      member.loadWaiters.clear();
      for (const waiter of waiters) waiter.failed(new Error('The provider pool was disposed.'));
    }
    for (const subscriber of [...this.eventSubscribers]) subscriber.complete();
    for (const subscriber of [...this.healthSubscribers]) subscriber.complete();
    this.eventSubscribers.clear();
    this.healthSubscribers.clear();
  }
}
