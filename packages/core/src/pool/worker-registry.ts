import type { Observable } from 'rxjs';

/**
 * What a worker (a server process that hosts sessions) announces about itself.
 *
 * @example
 * ```ts
 * const registration: WorkerRegistration = {
 *   id: 'voice-1',
 *   address: 'ws://10.0.0.5:8080',
 *   capabilities: ['tts:elevenlabs', 'lang:en'],
 *   load: 0,
 *   capacity: 200,
 * };
 * ```
 */
export interface WorkerRegistration {
  /** A unique worker id (host and port, a pod name). Registering an id again replaces the entry. */
  id: string;
  /** How clients or a load balancer reach it, e.g. `ws://10.0.0.5:8080`. */
  address?: string;
  /** Free-form capability tags a dispatcher can require, e.g. `tts:elevenlabs`, `lang:de`. */
  capabilities?: readonly string[];
  /** Its current load (e.g. active sessions), ≥ 0. Default 0. */
  load?: number;
  /** The load at which it is full, > 0. Default: no limit. */
  capacity?: number;
  /** Any other string fields (region, version). */
  metadata?: Record<string, string>;
}

/**
 * A live worker as the registry sees it.
 *
 * @example
 * ```ts
 * const [worker] = await registry.list();
 * console.log(worker?.id, worker?.load, worker?.expiresInMs);
 * ```
 */
export interface WorkerInfo {
  /** The worker's id. */
  id: string;
  /** How to reach it. */
  address: string | undefined;
  /** Its capability tags. */
  capabilities: readonly string[];
  /** Its load at its last heartbeat. */
  load: number;
  /** Its capacity (`undefined`: no limit). */
  capacity: number | undefined;
  /** Its other fields. */
  metadata: Record<string, string>;
  /** Heartbeats since it registered (0 right after `register`); changes whenever its load report is refreshed. */
  heartbeats: number;
  /** Time left before it expires without another heartbeat, ms. */
  expiresInMs: number;
}

/**
 * Which workers {@link WorkerRegistry.list} returns.
 *
 * @example
 * ```ts
 * const germanWorkers = await registry.list({ capabilities: ['lang:de'] });
 * ```
 */
export interface WorkerFilter {
  /** Only workers with every one of these capability tags. */
  capabilities?: readonly string[];
}

/**
 * Options of {@link WorkerRegistry.register}.
 *
 * @example
 * ```ts
 * const handle = await registry.register(registration, { keepAlive: { intervalMs: 2000, load: () => sessions.size } });
 * ```
 */
export interface RegisterOptions {
  /**
   * Heartbeat automatically every `intervalMs` (on the registry's scheduler; choose well under the
   * registry's TTL, e.g. a third) reporting `load()`, until the handle is closed. Without it, call
   * {@link WorkerHandle.heartbeat} yourself.
   */
  keepAlive?: {
    /** Time between heartbeats, ms > 0. */
    intervalMs: number;
    /** Reads the current load. Default: the last load reported. */
    load?: () => number;
  };
}

/**
 * A registered worker's handle: keep it alive with heartbeats, close it on shutdown. A worker that
 * stops heartbeating (it crashed, or its host went away) expires after the registry's TTL and is
 * dropped from `list()`; watchers see `worker-left` with reason `expired`.
 *
 * @example
 * ```ts
 * const handle = await registry.register({ id: 'voice-1', capacity: 200 });
 * setInterval(() => void handle.heartbeat(sessions.size), 2000); // or use keepAlive
 * process.on('SIGTERM', () => void handle.close());
 * ```
 */
export interface WorkerHandle {
  /** The worker's id. */
  readonly id: string;
  /**
   * Refreshes the worker's TTL and reports its load. After an expiry it registers the worker again.
   * @param load - the current load; default: the last reported.
   */
  heartbeat(load?: number): Promise<void>;
  /** Removes the worker from the registry and stops its keep-alive. Idempotent. */
  close(): Promise<void>;
}

/**
 * An event of {@link WorkerRegistry.watch}.
 *
 * @example
 * ```ts
 * registry.watch().subscribe((event) => {
 *   if (event.type === 'worker-left') console.warn(event.id, event.reason);
 * });
 * ```
 */
export type WorkerRegistryEvent =
  | {
      /** A worker registered (or came back after expiring). */
      type: 'worker-joined';
      /** The worker. */
      worker: WorkerInfo;
      /** When the watcher saw it, on the watching registry's scheduler, ms. */
      at: number;
    }
  | {
      /** A worker heartbeated (its load may have changed). */
      type: 'worker-updated';
      /** The worker. */
      worker: WorkerInfo;
      /** When the watcher saw it, ms. */
      at: number;
    }
  | {
      /** A worker closed, or expired without a heartbeat. */
      type: 'worker-left';
      /** The worker's id. */
      id: string;
      /** `closed`: it deregistered; `expired`: its TTL ran out. */
      reason: 'closed' | 'expired';
      /** When the watcher saw it, ms. */
      at: number;
    };

/**
 * Where the workers of a deployment announce themselves (with capabilities and load) and where a
 * dispatcher finds the live ones. Entries expire `ttlMs` after the last heartbeat. Implementations:
 * `InMemoryWorkerRegistry` (one process, tests) and `RedisWorkerRegistry` (many hosts), both in
 * `@argentum/registry`.
 *
 * @example
 * ```ts
 * const handle = await registry.register(
 *   { id: 'voice-1', address: 'ws://10.0.0.5:8080', capacity: 200 },
 *   { keepAlive: { intervalMs: 3000, load: () => sessions.size } },
 * );
 * const live = await registry.list();
 * registry.watch().subscribe((event) => console.log(event.type));
 * ```
 */
export interface WorkerRegistry {
  /** How long an entry lives after its last heartbeat, ms. */
  readonly ttlMs: number;
  /**
   * Registers (or re-registers) a worker.
   * @param registration - id, address, capabilities, load, capacity.
   * @param options - automatic heartbeats.
   * @returns the worker's handle.
   */
  register(registration: WorkerRegistration, options?: RegisterOptions): Promise<WorkerHandle>;
  /**
   * The live workers, sorted by id.
   * @param filter - capabilities to require.
   */
  list(filter?: WorkerFilter): Promise<WorkerInfo[]>;
  /**
   * Joins, updates and departures. **Hot**: events from subscription on (list first for the current
   * state). Completes when the registry is closed.
   */
  watch(): Observable<WorkerRegistryEvent>;
  /** Stops keep-alives and watches and releases connections; registered workers are left to expire (or closed first by their handles). */
  close(): Promise<void>;
}
