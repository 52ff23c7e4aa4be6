import { type SchedulerAction, type Subscription, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { type HeapItem, IndexedHeap } from './indexed-heap';

/** The fields of a `VirtualAction` this file reads (protected in RxJS's typings). */
interface ActionFields {
  delay: number;
  index: number;
  id: unknown;
  active: boolean;
  state: unknown;
  scheduler: HeapVirtualTimeScheduler | null;
  work: (this: SchedulerAction<unknown>, state?: unknown) => void;
  execute(state: unknown, delay: number): unknown;
}

const fields = (action: HeapVirtualAction<unknown>): ActionFields => action as unknown as ActionFields;

/** RxJS's order of virtual actions: by due time, then by creation. */
function before(a: HeapVirtualAction<unknown>, b: HeapVirtualAction<unknown>): boolean {
  const x = fields(a);
  const y = fields(b);
  return x.delay === y.delay ? x.index < y.index : x.delay < y.delay;
}

/**
 * An RxJS `VirtualAction` whose scheduler keeps its queue as a binary heap. RxJS's own sorts the
 * whole queue on every `schedule`, which at thousands of pending actions (a timer or two per
 * conversation in a large simulation) was most of a virtual run's time; the order of execution is
 * the same — due time, then creation — and so is everything else (a rescheduled action still
 * chains a new one, a cancelled one leaves the queue at once).
 * @internal
 */
export class HeapVirtualAction<T> extends VirtualAction<T> implements HeapItem {
  /** Where the action sits in the scheduler's heap, −1 when not queued. */
  heapIndex = -1;

  override schedule(state?: T, delay = 0): Subscription {
    const self = fields(this as HeapVirtualAction<unknown>);
    if (!Number.isFinite(delay) || !self.id) return super.schedule(state, delay);
    // As RxJS does: a pending action rescheduled hands over to a new one (with a later index).
    self.active = false;
    const next = new HeapVirtualAction<T>(
      self.scheduler as VirtualTimeScheduler,
      self.work as (this: SchedulerAction<T>, state?: T) => void,
    );
    this.add(next);
    return next.schedule(state, delay);
  }

  protected override requestAsyncId(scheduler: VirtualTimeScheduler, _id?: unknown, delay = 0): 1 {
    const self = fields(this as HeapVirtualAction<unknown>);
    self.delay = scheduler.frame + delay;
    (scheduler as HeapVirtualTimeScheduler).push(this as HeapVirtualAction<unknown>);
    return 1;
  }

  override unsubscribe(): void {
    const self = this as HeapVirtualAction<unknown>;
    if (!this.closed && this.heapIndex >= 0) fields(self).scheduler?.remove(self);
    super.unsubscribe();
  }
}

/**
 * An RxJS `VirtualTimeScheduler` with its queue (`actions`) kept as a binary heap ordered like
 * RxJS's sorted array: `schedule` and each step of `flush` take O(log n) instead of a sort.
 * `actions.length` is still the number of queued actions.
 * @internal
 */
export class HeapVirtualTimeScheduler extends VirtualTimeScheduler {
  readonly #queue: IndexedHeap<HeapVirtualAction<unknown>>;

  constructor(maxFrames = Number.POSITIVE_INFINITY) {
    super(HeapVirtualAction as unknown as typeof VirtualAction, maxFrames);
    this.#queue = new IndexedHeap(this.actions as unknown as HeapVirtualAction<unknown>[], before);
  }

  /** Queues an action (its due time already set). */
  push(action: HeapVirtualAction<unknown>): void {
    this.#queue.push(action);
  }

  /** Takes a queued action out. */
  remove(action: HeapVirtualAction<unknown>): void {
    this.#queue.remove(action);
  }

  override flush(): void {
    const maxFrames = this.maxFrames;
    const queue = this.#queue;
    let error: unknown;
    for (;;) {
      const action = queue.peek();
      if (action === undefined || fields(action).delay > maxFrames) break;
      queue.pop();
      const self = fields(action);
      this.frame = self.delay;
      error = self.execute(self.state, self.delay);
      if (error) break;
    }
    if (error) {
      for (let action = queue.pop(); action !== undefined; action = queue.pop()) action.unsubscribe();
      throw error;
    }
  }
}
