import type { RegisterOptions, WorkerHandle } from '@argentum/core';
import type { SchedulerLike, Subscription } from 'rxjs';
import { assertLoad, assertPositiveMs, type WorkerRecord } from './worker-record';

/**
 * What a worker's handle needs from its registry.
 * @internal
 */
export interface WorkerHandleHost {
  /** The clock of keep-alives. */
  scheduler: SchedulerLike;
  /** The registry's running keep-alives: the handle adds its own and removes it on close. */
  keepAlives: Set<Subscription>;
  /** Throws `WorkerRegistryClosedError` once the registry is closed. */
  assertOpen(): void;
  /** Stores a heartbeat's record (same id, new load and heartbeat count) and tells the watchers. */
  renew(record: WorkerRecord): void | Promise<void>;
  /** Removes the worker (the handle was closed) and tells the watchers. */
  remove(): void | Promise<void>;
}

/**
 * Validates `options.keepAlive` before anything is registered.
 * @returns the keep-alive period, ms, or `undefined` without keep-alive.
 * @internal
 */
export function keepAliveIntervalMs(options: RegisterOptions): number | undefined {
  return options.keepAlive === undefined
    ? undefined
    : assertPositiveMs('keepAlive.intervalMs', options.keepAlive.intervalMs);
}

/**
 * Builds the handle of a just-registered worker: `heartbeat` (also run every `intervalMs` with the
 * keep-alive's load) and an idempotent `close` that stops the keep-alive and removes the worker.
 * @internal
 */
export function createWorkerHandle(
  record: WorkerRecord,
  options: RegisterOptions,
  intervalMs: number | undefined,
  host: WorkerHandleHost,
): WorkerHandle {
  let lastLoad = record.load;
  let heartbeats = 0;
  let closed = false;
  const heartbeat = async (load?: number): Promise<void> => {
    if (closed) return;
    host.assertOpen();
    lastLoad = load === undefined ? lastLoad : assertLoad(load);
    heartbeats += 1;
    // Awaited only when asynchronous: a synchronous registry settles the heartbeat without an extra tick.
    const renewed = host.renew({ ...record, load: lastLoad, heartbeats });
    if (renewed !== undefined) await renewed;
  };
  let keepAlive: Subscription | undefined;
  if (intervalMs !== undefined) {
    const readLoad = options.keepAlive?.load;
    keepAlive = host.scheduler.schedule(function beat(this: {
      schedule(state?: unknown, delay?: number): void;
    }) {
      void heartbeat(readLoad?.()).catch(() => {});
      this.schedule(undefined, intervalMs);
    }, intervalMs);
    host.keepAlives.add(keepAlive);
  }
  return {
    id: record.id,
    heartbeat,
    close: async () => {
      if (closed) return;
      closed = true;
      if (keepAlive !== undefined) {
        keepAlive.unsubscribe();
        host.keepAlives.delete(keepAlive);
      }
      const removed = host.remove();
      if (removed !== undefined) await removed;
    },
  };
}
