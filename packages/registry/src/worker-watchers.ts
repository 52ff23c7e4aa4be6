import type { WorkerRegistryEvent } from '@argentum/core';
import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import { toInfo, type WorkerRecord } from './worker-record';

/**
 * The watchers of one registry and the events it sends them: `watch()` streams, `worker-joined` /
 * `worker-updated` / `worker-left` assembly, and completion on close. Both registries hold one.
 * @internal
 */
export class WorkerWatchers {
  private readonly subscribers = new Set<Subscriber<WorkerRegistryEvent>>();
  private completed = false;

  constructor(private readonly scheduler: SchedulerLike) {}

  /** A hot stream of the events sent from now on; completes at once after {@link complete}. */
  watch(): Observable<WorkerRegistryEvent> {
    return new Observable<WorkerRegistryEvent>((subscriber) => {
      if (this.completed) {
        subscriber.complete();
        return;
      }
      this.subscribers.add(subscriber);
      return () => this.subscribers.delete(subscriber);
    });
  }

  /** Sends `worker-joined` or `worker-updated` for `record`, which expires in `expiresInMs`. */
  present(
    type: 'worker-joined' | 'worker-updated',
    record: WorkerRecord,
    expiresInMs: number,
    at: number = this.scheduler.now(),
  ): void {
    this.emit({ type, worker: toInfo(record, expiresInMs), at });
  }

  /** Sends `worker-left` for the worker `id`. */
  left(id: string, reason: 'closed' | 'expired', at: number = this.scheduler.now()): void {
    this.emit({ type: 'worker-left', id, reason, at });
  }

  /** Completes every watch, present and future. */
  complete(): void {
    this.completed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
  }

  private emit(event: WorkerRegistryEvent): void {
    for (const subscriber of [...this.subscribers]) subscriber.next(event);
  }
}
