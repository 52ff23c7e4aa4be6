import {
  type RegisterOptions,
  realtimeScheduler,
  type WorkerFilter,
  type WorkerHandle,
  type WorkerInfo,
  type WorkerRegistration,
  type WorkerRegistry,
  WorkerRegistryClosedError,
  type WorkerRegistryEvent,
} from '@argentum/core';
import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import { createWorkerHandle, keepAliveIntervalMs } from './worker-handle';
import { assertPositiveMs, byId, matchesFilter, toInfo, toRecord, type WorkerRecord } from './worker-record';
import { WorkerWatchers } from './worker-watchers';

/**
 * Options of {@link InMemoryWorkerRegistry}.
 *
 * @example
 * ```ts
 * const options: InMemoryWorkerRegistryOptions = { ttlMs: 5000, scheduler: clock.scheduler };
 * ```
 */
export interface InMemoryWorkerRegistryOptions {
  /** How long an entry lives after its last heartbeat, ms > 0. Default 10 000. */
  ttlMs?: number;
  /** The clock of expiries and keep-alives. Default: core's real-time scheduler. */
  scheduler?: SchedulerLike;
}

interface Entry {
  record: WorkerRecord;
  expiresAt: number;
  expiry: Subscription;
}

/**
 * A `WorkerRegistry` (from `@argentum/core`) held in one process's memory: for a single-process deployment, for
 * tests (on a virtual clock, expiry is exact and instant), and as the reference the Redis
 * implementation is tested against.
 *
 * @example
 * ```ts
 * import { InMemoryWorkerRegistry, LeastLoadedDispatcher } from '@argentum/registry';
 *
 * const registry = new InMemoryWorkerRegistry({ ttlMs: 5000 });
 * const handle = await registry.register({ id: 'voice-1', capacity: 100 }, { keepAlive: { intervalMs: 1500, load: () => 3 } });
 * const worker = await new LeastLoadedDispatcher(registry).dispatch();
 * await handle.close();
 * ```
 */
export class InMemoryWorkerRegistry implements WorkerRegistry {
  /** How long an entry lives after its last heartbeat, ms. */
  readonly ttlMs: number;
  private readonly scheduler: SchedulerLike;
  private readonly entries = new Map<string, Entry>();
  private readonly watchers: WorkerWatchers;
  private readonly keepAlives = new Set<Subscription>();
  private closed = false;

  /**
   * @param options - TTL and clock.
   * @throws InvalidArgumentError when `ttlMs` is not a positive number.
   */
  constructor(options: InMemoryWorkerRegistryOptions = {}) {
    this.ttlMs = assertPositiveMs('ttlMs', options.ttlMs ?? 10_000);
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.watchers = new WorkerWatchers(this.scheduler);
  }

  /**
   * Registers a worker (replacing an entry with the same id).
   * @param registration - id, address, capabilities, load, capacity.
   * @param options - automatic heartbeats.
   * @returns the worker's handle.
   * @example
   * ```ts
   * const handle = await registry.register({ id: 'voice-1', load: 0, capacity: 50 });
   * ```
   */
  async register(registration: WorkerRegistration, options: RegisterOptions = {}): Promise<WorkerHandle> {
    this.assertOpen();
    const record = toRecord(registration);
    const intervalMs = keepAliveIntervalMs(options);
    this.put(record, 'worker-joined');
    return createWorkerHandle(record, options, intervalMs, {
      scheduler: this.scheduler,
      keepAlives: this.keepAlives,
      assertOpen: () => this.assertOpen(),
      renew: (next) => this.put(next, this.entries.has(record.id) ? 'worker-updated' : 'worker-joined'),
      remove: () => {
        const entry = this.entries.get(record.id);
        if (entry === undefined || this.closed) return;
        entry.expiry.unsubscribe();
        this.entries.delete(record.id);
        this.watchers.left(record.id, 'closed');
      },
    });
  }

  /**
   * The live workers, sorted by id.
   * @param filter - capabilities to require.
   * @returns the workers.
   * @example
   * ```ts
   * const english = await registry.list({ capabilities: ['lang:en'] });
   * ```
   */
  async list(filter?: WorkerFilter): Promise<WorkerInfo[]> {
    const now = this.scheduler.now();
    return [...this.entries.values()]
      .filter((entry) => matchesFilter(entry.record, filter))
      .map((entry) => toInfo(entry.record, entry.expiresAt - now))
      .sort(byId);
  }

  /**
   * Joins, updates and departures (hot; completes on {@link InMemoryWorkerRegistry.close}).
   * @returns the events.
   * @example
   * ```ts
   * registry.watch().subscribe((event) => console.log(event.type));
   * ```
   */
  watch(): Observable<WorkerRegistryEvent> {
    return this.watchers.watch();
  }

  /**
   * Stops keep-alives and expiry timers, forgets every worker and completes watches.
   * @example
   * ```ts
   * await registry.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const keepAlive of this.keepAlives) keepAlive.unsubscribe();
    this.keepAlives.clear();
    for (const entry of this.entries.values()) entry.expiry.unsubscribe();
    this.entries.clear();
    this.watchers.complete();
  }

  private put(record: WorkerRecord, type: 'worker-joined' | 'worker-updated'): void {
    this.entries.get(record.id)?.expiry.unsubscribe();
    const now = this.scheduler.now();
    const expiry = this.scheduler.schedule(() => {
      if (this.entries.get(record.id)?.expiry !== expiry) return;
      this.entries.delete(record.id);
      this.watchers.left(record.id, 'expired');
    }, this.ttlMs);
    this.entries.set(record.id, { record, expiresAt: now + this.ttlMs, expiry });
    this.watchers.present(type, record, this.ttlMs, now);
  }

  private assertOpen(): void {
    if (this.closed) throw new WorkerRegistryClosedError();
  }
}
