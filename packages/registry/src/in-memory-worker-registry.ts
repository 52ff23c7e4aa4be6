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
import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import {
  assertLoad,
  assertPositiveMs,
  byId,
  matchesFilter,
  toInfo,
  toRecord,
  type WorkerRecord,
} from './worker-record';

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
  private readonly watchers = new Set<Subscriber<WorkerRegistryEvent>>();
  private readonly keepAlives = new Set<Subscription>();
  private closed = false;

  /**
   * @param options - TTL and clock.
   * @throws InvalidArgumentError when `ttlMs` is not a positive number.
   */
  constructor(options: InMemoryWorkerRegistryOptions = {}) {
    this.ttlMs = assertPositiveMs('ttlMs', options.ttlMs ?? 10_000);
    this.scheduler = options.scheduler ?? realtimeScheduler;
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
    const intervalMs =
      options.keepAlive === undefined
        ? undefined
        : assertPositiveMs('keepAlive.intervalMs', options.keepAlive.intervalMs);
    this.put(record, 'worker-joined');
    let lastLoad = record.load;
    let heartbeats = 0;
    let closed = false;
    const heartbeat = async (load?: number): Promise<void> => {
      if (closed) return;
      this.assertOpen();
      lastLoad = load === undefined ? lastLoad : assertLoad(load);
      heartbeats += 1;
      const live = this.entries.has(record.id);
      this.put({ ...record, load: lastLoad, heartbeats }, live ? 'worker-updated' : 'worker-joined');
    };
    let keepAlive: Subscription | undefined;
    if (intervalMs !== undefined) {
      const readLoad = options.keepAlive?.load;
      keepAlive = this.scheduler.schedule(function beat(this: {
        schedule(state?: unknown, delay?: number): void;
      }) {
        void heartbeat(readLoad?.()).catch(() => {});
        this.schedule(undefined, intervalMs);
      }, intervalMs);
      this.keepAlives.add(keepAlive);
    }
    return {
      id: record.id,
      heartbeat,
      close: async () => {
        if (closed) return;
        closed = true;
        if (keepAlive !== undefined) {
          keepAlive.unsubscribe();
          this.keepAlives.delete(keepAlive);
        }
        const entry = this.entries.get(record.id);
        if (entry === undefined || this.closed) return;
        entry.expiry.unsubscribe();
        this.entries.delete(record.id);
        this.emit({ type: 'worker-left', id: record.id, reason: 'closed', at: this.scheduler.now() });
      },
    };
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
    return new Observable<WorkerRegistryEvent>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return;
      }
      this.watchers.add(subscriber);
      return () => this.watchers.delete(subscriber);
    });
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
    for (const watcher of [...this.watchers]) watcher.complete();
    this.watchers.clear();
  }

  private put(record: WorkerRecord, type: 'worker-joined' | 'worker-updated'): void {
    this.entries.get(record.id)?.expiry.unsubscribe();
    const now = this.scheduler.now();
    const expiry = this.scheduler.schedule(() => {
      if (this.entries.get(record.id)?.expiry !== expiry) return;
      this.entries.delete(record.id);
      this.emit({ type: 'worker-left', id: record.id, reason: 'expired', at: this.scheduler.now() });
    }, this.ttlMs);
    this.entries.set(record.id, { record, expiresAt: now + this.ttlMs, expiry });
    this.emit({ type, worker: toInfo(record, this.ttlMs), at: now });
  }

  private emit(event: WorkerRegistryEvent): void {
    for (const watcher of [...this.watchers]) watcher.next(event);
  }

  private assertOpen(): void {
    if (this.closed) throw new WorkerRegistryClosedError();
  }
}
