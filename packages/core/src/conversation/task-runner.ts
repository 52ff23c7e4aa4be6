import { from, type ObservableInput, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * How a task ended when it did not complete normally: `timeout` (nothing, or no new value, in
 * time), `error` (the source failed), `cancelled` (by its owner or a context change).
 * @internal
 */
export type TaskFailure = { kind: 'timeout'; phase: 'first' | 'idle' } | { kind: 'error'; error: unknown };

/** What to run. @internal */
export interface TaskSpec<T> {
  /** The agent whose in-flight slot it takes, or `null` (e.g. TTS of a clip, counted only globally). */
  agentId: string | null;
  /** The context version it was spawned for. */
  version: number;
  /** Higher runs first when slots are scarce. */
  priority: number;
  /** When the agent already has a task in flight: wait (`queue`) or give up at once (`skip`). */
  whenBusy: 'queue' | 'skip';
  /** Whether a context change cancels it. */
  cancelOnContextChange: boolean;
  /** From the request (or the start, see `timeoutFrom`) to the first value, ms (`Infinity`: no limit). */
  firstValueTimeoutMs: number;
  /**
   * Whether queueing counts toward `firstValueTimeoutMs` (`request`, the default) or the clock
   * starts when the task does (`start`: for a call that should wait for its agent's slot).
   */
  timeoutFrom?: 'request' | 'start';
  /** Longest silence between values after the first, ms (`Infinity`: no limit). */
  idleTimeoutMs: number;
  /** Starts the work (called once, when a slot is free). */
  start: () => ObservableInput<T>;
  /** Each value. */
  onValue: (value: T) => void;
  /** Normal completion. */
  onComplete: () => void;
  /** Timeout or error (not called on cancel). */
  onFailure: (failure: TaskFailure) => void;
}

/** A running or queued task. @internal */
export interface TaskHandle {
  /** Cancels it (unsubscribes the work, frees its slot); no callback fires afterwards. */
  cancel(): void;
  /** Re-tags it with a newer context version (it survives the change it caused). */
  adopt(version: number): void;
  /** Whether it has ended (completed, failed or cancelled). */
  readonly ended: boolean;
}

interface Task {
  spec: TaskSpec<unknown>;
  version: number;
  requestedAt: number;
  state: 'queued' | 'running' | 'ended';
  subscription: Subscription | undefined;
  timer: Subscription | undefined;
  sequence: number;
}

/**
 * Runs agent and TTS work with the conversation's concurrency rules: at most `limit` tasks in
 * flight, at most one per agent, timeouts on the scheduler (first value and idle), and
 * cancellation of tasks spawned for a context version that has been superseded.
 * @internal
 */
export class TaskRunner {
  private readonly queue: Task[] = [];
  private readonly busyAgents = new Map<string, Task>();
  private readonly live = new Set<Task>();
  private running = 0;
  private sequence = 0;

  constructor(
    private readonly limit: number,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** Tasks running or queued. */
  get pending(): number {
    return this.live.size;
  }

  /** Whether the agent has a task in flight. */
  isBusy(agentId: string): boolean {
    return this.busyAgents.has(agentId);
  }

  /** Requests a task; `undefined` when skipped because its agent is busy. */
  run<T>(spec: TaskSpec<T>): TaskHandle | undefined {
    if (spec.agentId !== null && spec.whenBusy === 'skip' && this.busyAgents.has(spec.agentId))
      return undefined;
    const task: Task = {
      spec: spec as TaskSpec<unknown>,
      version: spec.version,
      requestedAt: this.scheduler.now(),
      state: 'queued',
      subscription: undefined,
      timer: undefined,
      sequence: this.sequence++,
    };
    this.live.add(task);
    if (spec.timeoutFrom !== 'start') this.armTimer(task, spec.firstValueTimeoutMs, 'first');
    this.queue.push(task);
    this.pump();
    return {
      cancel: () => this.end(task),
      adopt: (version: number) => {
        task.version = Math.max(task.version, version);
      },
      get ended() {
        return task.state === 'ended';
      },
    };
  }

  /** Cancels every task spawned for a version older than `version` that asked to be. */
  supersede(version: number): void {
    for (const task of [...this.live]) {
      if (task.spec.cancelOnContextChange && task.version < version) this.end(task);
    }
  }

  /** Cancels everything. */
  cancelAll(): void {
    for (const task of [...this.live]) this.end(task);
  }

  private pump(): void {
    while (this.running < this.limit) {
      let best = -1;
      for (let i = 0; i < this.queue.length; i++) {
        const task = this.queue[i] as Task;
        const agentId = task.spec.agentId;
        if (agentId !== null && this.busyAgents.has(agentId)) continue;
        if (best === -1 || task.spec.priority > (this.queue[best] as Task).spec.priority) best = i;
      }
      if (best === -1) return;
      const [task] = this.queue.splice(best, 1) as [Task];
      this.begin(task);
    }
  }

  private begin(task: Task): void {
    task.state = 'running';
    this.running++;
    if (task.spec.timeoutFrom === 'start') {
      task.requestedAt = this.scheduler.now();
      this.armTimer(task, task.spec.firstValueTimeoutMs, 'first');
    }
    if (task.spec.agentId !== null) this.busyAgents.set(task.spec.agentId, task);
    let received = false;
    let source: ObservableInput<unknown>;
    try {
      source = task.spec.start();
    } catch (error) {
      this.fail(task, { kind: 'error', error });
      return;
    }
    const subscription = from(source).subscribe({
      next: (value) => {
        if (task.state !== 'running') return;
        if (!received) received = true;
        this.armTimer(task, task.spec.idleTimeoutMs, 'idle');
        task.spec.onValue(value);
      },
      error: (error: unknown) => {
        if (task.state === 'running') this.fail(task, { kind: 'error', error });
      },
      complete: () => {
        if (task.state !== 'running') return;
        this.release(task);
        task.spec.onComplete();
      },
    });
    if (task.state === 'running') task.subscription = subscription;
    else subscription.unsubscribe();
  }

  private armTimer(task: Task, timeoutMs: number, phase: 'first' | 'idle'): void {
    task.timer?.unsubscribe();
    task.timer = undefined;
    if (!Number.isFinite(timeoutMs)) return;
    const dueIn = phase === 'first' ? task.requestedAt + timeoutMs - this.scheduler.now() : timeoutMs;
    task.timer = this.scheduler.schedule(
      () => {
        task.timer = undefined;
        if (task.state !== 'ended') this.fail(task, { kind: 'timeout', phase });
      },
      Math.max(0, dueIn),
    );
  }

  private fail(task: Task, failure: TaskFailure): void {
    this.release(task);
    task.spec.onFailure(failure);
  }

  /** Ends a task without telling its owner (cancel). */
  private end(task: Task): void {
    if (task.state === 'ended') return;
    this.release(task);
  }

  private release(task: Task): void {
    const wasRunning = task.state === 'running';
    const wasQueued = task.state === 'queued';
    task.state = 'ended';
    this.live.delete(task);
    task.timer?.unsubscribe();
    task.timer = undefined;
    const subscription = task.subscription;
    task.subscription = undefined;
    subscription?.unsubscribe();
    if (wasQueued) {
      const index = this.queue.indexOf(task);
      if (index >= 0) this.queue.splice(index, 1);
    }
    if (wasRunning) {
      this.running--;
      const agentId = task.spec.agentId;
      if (agentId !== null && this.busyAgents.get(agentId) === task) this.busyAgents.delete(agentId);
      this.pump();
    }
  }
}
