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
import { createClient, type RedisClientOptions } from '@redis/client';
import { type Observable, type SchedulerLike, type Subscription, throwError } from 'rxjs';
import { createWorkerHandle, keepAliveIntervalMs } from './worker-handle';
import { assertPositiveMs, byId, matchesFilter, toInfo, toRecord, type WorkerRecord } from './worker-record';
import { WorkerWatchers } from './worker-watchers';

/**
 * How a Redis registry notices that a worker expired.
 *
 * - `keyspace-notifications`: Redis publishes `expired` key events (the registry enables the `Ex`
 *   flags with `CONFIG SET`, keeping flags already set); immediate.
 * - `polling`: the registry lists workers every `pollIntervalMs` and reports those gone; for
 *   managed Redis services that forbid `CONFIG`.
 * - `auto` (default): keyspace notifications, or polling when `CONFIG SET` is refused.
 *
 * @example
 * ```ts
 * const detection: ExpiryDetection = 'polling';
 * ```
 */
export type ExpiryDetection = 'auto' | 'keyspace-notifications' | 'polling';

/**
 * Options of {@link RedisWorkerRegistry.connect}.
 *
 * @example
 * ```ts
 * const options: RedisWorkerRegistryOptions = { url: process.env.REDIS_URL, keyPrefix: 'voice:', ttlMs: 10_000 };
 * ```
 */
export interface RedisWorkerRegistryOptions {
  /** The Redis URL, `redis[s]://[[user][:password]@]host[:port][/db]`. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** More `@redis/client` options (TLS, reconnect strategy); `url` wins over `clientOptions.url`. */
  clientOptions?: RedisClientOptions;
  /** Prefix of every key and channel, so several deployments can share a Redis. Default `argentum:registry:`. */
  keyPrefix?: string;
  /** How long an entry lives after its last heartbeat, ms > 0 (Redis `PX`). Default 10 000. */
  ttlMs?: number;
  /** Whether to open the second connection that `watch()` needs. Default `true`. */
  watch?: boolean;
  /** How expiries are noticed; see {@link ExpiryDetection}. Default `auto`. */
  expiryDetection?: ExpiryDetection;
  /** Polling period for `polling` expiry detection, ms > 0. Default a quarter of `ttlMs`. */
  pollIntervalMs?: number;
  /** The clock of keep-alives, polling and event times. Default: core's real-time scheduler. */
  scheduler?: SchedulerLike;
}

type Client = ReturnType<typeof createClient>;

interface ChannelMessage {
  type: 'worker-joined' | 'worker-updated' | 'worker-left';
  id: string;
  record?: WorkerRecord;
  ttlMs?: number;
}

function databaseOf(url: string): number {
  const path = new URL(url).pathname.replace(/^\//, '');
  const database = path === '' ? 0 : Number(path);
  return Number.isInteger(database) ? database : 0;
}

/**
 * A `WorkerRegistry` (from `@argentum/core`) on Redis, for workers on many hosts. Each worker is one key
 * (`<prefix>worker:<id>`, a JSON record) set with a TTL (`PX`) that every heartbeat renews, so a
 * crashed worker disappears on its own; a set of ids makes listing cheap; joins, updates and
 * departures are published on `<prefix>events`, and expiries come from Redis keyspace
 * notifications (or polling). Uses the official `@redis/client`; two connections (commands, and
 * a subscriber for `watch`).
 *
 * @example
 * ```ts
 * import { LeastLoadedDispatcher, RedisWorkerRegistry } from '@argentum/registry';
 *
 * const registry = await RedisWorkerRegistry.connect({ url: process.env.REDIS_URL, ttlMs: 10_000 });
 * const handle = await registry.register(
 *   { id: `voice-${process.pid}`, address: 'ws://10.0.0.5:8080', capacity: 200 },
 *   { keepAlive: { intervalMs: 3000, load: () => server.sessionCount } },
 * );
 * // elsewhere, in the dispatcher process:
 * const worker = await new LeastLoadedDispatcher(registry).dispatch();
 * ```
 */
export class RedisWorkerRegistry implements WorkerRegistry {
  /** How long an entry lives after its last heartbeat, ms. */
  readonly ttlMs: number;
  /** How expiries are being noticed (after `auto` resolved). */
  readonly expiryDetection: 'keyspace-notifications' | 'polling' | 'none';
  private readonly watchers: WorkerWatchers;
  private readonly keepAlives = new Set<Subscription>();
  private readonly known = new Set<string>();
  private poll: Subscription | undefined;
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly subscriber: Client | undefined,
    private readonly prefix: string,
    private readonly scheduler: SchedulerLike,
    ttlMs: number,
    expiryDetection: 'keyspace-notifications' | 'polling' | 'none',
  ) {
    this.ttlMs = ttlMs;
    this.expiryDetection = expiryDetection;
    this.watchers = new WorkerWatchers(scheduler);
  }

  /**
   * Connects to Redis (and, for `watch`, subscribes to the registry's channels) and returns a
   * ready registry.
   *
   * @param options - URL, key prefix, TTL, expiry detection and clock.
   * @returns the registry, connected.
   * @throws InvalidArgumentError on a bad option; rejects when Redis cannot be reached.
   * @example
   * ```ts
   * const registry = await RedisWorkerRegistry.connect({ url: 'redis://127.0.0.1:6379/0' });
   * ```
   */
  static async connect(options: RedisWorkerRegistryOptions = {}): Promise<RedisWorkerRegistry> {
    const ttlMs = assertPositiveMs('ttlMs', options.ttlMs ?? 10_000);
    const pollIntervalMs = assertPositiveMs(
      'pollIntervalMs',
      options.pollIntervalMs ?? Math.max(50, ttlMs / 4),
    );
    const url = options.url ?? options.clientOptions?.url ?? 'redis://127.0.0.1:6379';
    const prefix = options.keyPrefix ?? 'argentum:registry:';
    const scheduler = options.scheduler ?? realtimeScheduler;
    const client: Client = createClient({ ...options.clientOptions, url });
    client.on('error', () => {
      // Connection errors surface as rejected commands; the client reconnects on its own.
    });
    await client.connect();
    if (options.watch === false)
      return new RedisWorkerRegistry(client, undefined, prefix, scheduler, ttlMs, 'none');

    let detection: 'keyspace-notifications' | 'polling' = 'polling';
    const wanted = options.expiryDetection ?? 'auto';
    if (wanted !== 'polling') {
      try {
        const current = (await client.configGet('notify-keyspace-events'))['notify-keyspace-events'] ?? '';
        const flags = new Set(current.split(''));
        if (!flags.has('A') && !flags.has('x')) flags.add('x');
        flags.add('E');
        await client.configSet('notify-keyspace-events', [...flags].join(''));
        detection = 'keyspace-notifications';
      } catch (error) {
        if (wanted === 'keyspace-notifications') {
          client.destroy();
          throw error;
        }
      }
    }
    const subscriber = client.duplicate();
    subscriber.on('error', () => {});
    await subscriber.connect();
    const registry = new RedisWorkerRegistry(client, subscriber, prefix, scheduler, ttlMs, detection);
    await subscriber.subscribe(`${prefix}events`, (message) => registry.onChannelMessage(message));
    if (detection === 'keyspace-notifications') {
      await subscriber.subscribe(`__keyevent@${databaseOf(url)}__:expired`, (key) =>
        registry.onExpiredKey(key),
      );
    } else {
      registry.startPolling(pollIntervalMs);
    }
    return registry;
  }

  /**
   * Registers a worker (replacing an entry with the same id) and publishes `worker-joined`.
   * @param registration - id, address, capabilities, load, capacity.
   * @param options - automatic heartbeats.
   * @returns the worker's handle.
   * @example
   * ```ts
   * const handle = await registry.register({ id: 'voice-1', capacity: 200 });
   * await handle.heartbeat(12);
   * ```
   */
  async register(registration: WorkerRegistration, options: RegisterOptions = {}): Promise<WorkerHandle> {
    this.assertOpen();
    const record = toRecord(registration);
    const intervalMs = keepAliveIntervalMs(options);
    await this.put(record, true);
    return createWorkerHandle(record, options, intervalMs, {
      scheduler: this.scheduler,
      keepAlives: this.keepAlives,
      assertOpen: () => this.assertOpen(),
      renew: (next) => this.put(next, false),
      remove: async () => {
        if (this.closed) return;
        const removed = await this.client.del(this.key(record.id));
        await this.client.sRem(this.idsKey(), record.id);
        if (removed > 0) await this.publish({ type: 'worker-left', id: record.id });
      },
    });
  }

  /**
   * The live workers, sorted by id (entries whose TTL ran out are never returned, even before
   * Redis reclaims them).
   * @param filter - capabilities to require.
   * @returns the workers.
   * @example
   * ```ts
   * const workers = await registry.list({ capabilities: ['tts:elevenlabs'] });
   * ```
   */
  async list(filter?: WorkerFilter): Promise<WorkerInfo[]> {
    this.assertOpen();
    const ids = await this.client.sMembers(this.idsKey());
    const entries = await Promise.all(
      ids.map(async (id) => {
        const [value, ttl] = await Promise.all([
          this.client.get(this.key(id)),
          this.client.pTTL(this.key(id)),
        ]);
        return { id, value, ttl };
      }),
    );
    const workers: WorkerInfo[] = [];
    const gone: string[] = [];
    for (const entry of entries) {
      if (entry.value === null || entry.ttl < 0) {
        if (entry.value === null) gone.push(entry.id);
        continue;
      }
      const record = JSON.parse(entry.value) as WorkerRecord;
      if (matchesFilter(record, filter)) workers.push(toInfo(record, entry.ttl));
    }
    if (gone.length > 0) await this.client.sRem(this.idsKey(), gone);
    return workers.sort(byId);
  }

  /**
   * Joins, updates and departures of every worker in this registry's prefix, from any host. Hot;
   * completes on {@link RedisWorkerRegistry.close}. Errors if the registry was connected with
   * `watch: false`.
   * @returns the events.
   * @example
   * ```ts
   * registry.watch().subscribe((event) => {
   *   if (event.type === 'worker-left' && event.reason === 'expired') console.warn(event.id, 'crashed?');
   * });
   * ```
   */
  watch(): Observable<WorkerRegistryEvent> {
    if (this.subscriber === undefined) {
      return throwError(
        () =>
          new Error('This registry was connected with watch: false; connect with watch enabled to watch.'),
      );
    }
    return this.watchers.watch();
  }

  /**
   * Stops keep-alives and polling, completes watches and closes both connections. Registered
   * workers are not removed (close their handles first, or let them expire).
   * @example
   * ```ts
   * await handle.close();
   * await registry.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const keepAlive of this.keepAlives) keepAlive.unsubscribe();
    this.keepAlives.clear();
    this.poll?.unsubscribe();
    this.watchers.complete();
    await Promise.all([this.client.close(), this.subscriber?.close()]);
  }

  private key(id: string): string {
    return `${this.prefix}worker:${id}`;
  }

  private idsKey(): string {
    return `${this.prefix}ids`;
  }

  private async put(record: WorkerRecord, registering: boolean): Promise<void> {
    const previous = await this.client.set(this.key(record.id), JSON.stringify(record), {
      expiration: { type: 'PX', value: Math.ceil(this.ttlMs) },
      GET: true,
    });
    await this.client.sAdd(this.idsKey(), record.id);
    const joined = registering || previous === null;
    await this.publish({
      type: joined ? 'worker-joined' : 'worker-updated',
      id: record.id,
      record,
      ttlMs: this.ttlMs,
    });
  }

  private async publish(message: ChannelMessage): Promise<void> {
    await this.client.publish(`${this.prefix}events`, JSON.stringify(message));
  }

  private onChannelMessage(raw: string): void {
    let message: ChannelMessage;
    try {
      message = JSON.parse(raw) as ChannelMessage;
    } catch {
      return;
    }
    const at = this.scheduler.now();
    if (message.type === 'worker-left') {
      this.known.delete(message.id);
      this.watchers.left(message.id, 'closed', at);
    } else if (message.record !== undefined) {
      this.known.add(message.id);
      this.watchers.present(message.type, message.record, message.ttlMs ?? this.ttlMs, at);
    }
  }

  private onExpiredKey(key: string): void {
    const prefix = `${this.prefix}worker:`;
    if (!key.startsWith(prefix)) return;
    const id = key.slice(prefix.length);
    this.known.delete(id);
    this.watchers.left(id, 'expired');
    void this.client.sRem(this.idsKey(), id).catch(() => {});
  }

  private startPolling(intervalMs: number): void {
    const check = async (): Promise<void> => {
      const live = new Set((await this.list()).map((worker) => worker.id));
      for (const id of [...this.known]) {
        if (!live.has(id)) {
          this.known.delete(id);
          this.watchers.left(id, 'expired');
        }
      }
      for (const id of live) this.known.add(id);
    };
    const registry = this;
    this.poll = this.scheduler.schedule(function tick(this: {
      schedule(state?: unknown, delay?: number): void;
    }) {
      if (registry.closed) return;
      void check().catch(() => {});
      this.schedule(undefined, intervalMs);
    }, intervalMs);
  }

  private assertOpen(): void {
    if (this.closed) throw new WorkerRegistryClosedError();
  }
}
