import { NEVER, Observable, of, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { type TaskFailure, TaskRunner, type TaskSpec } from './task-runner';

function spec<T>(overrides: Partial<TaskSpec<T>> & Pick<TaskSpec<T>, 'start'>): TaskSpec<T> {
  return {
    agentId: null,
    version: 0,
    priority: 0,
    whenBusy: 'queue',
    cancelOnContextChange: true,
    firstValueTimeoutMs: Number.POSITIVE_INFINITY,
    idleTimeoutMs: Number.POSITIVE_INFINITY,
    onValue: () => undefined,
    onComplete: () => undefined,
    onFailure: () => undefined,
    ...overrides,
  };
}

describe('TaskRunner', () => {
  it('runs at most `limit` tasks at once and one per agent', () => {
    const clock = createVirtualClock();
    const runner = new TaskRunner(2, clock.scheduler);
    let active = 0;
    let peak = 0;
    const started: string[] = [];
    const work = (name: string) => () =>
      new Observable<number>((subscriber) => {
        started.push(`${name}@${clock.now()}`);
        active++;
        peak = Math.max(peak, active);
        const handle = clock.scheduler.schedule(() => subscriber.complete(), 100);
        return () => {
          active--;
          handle.unsubscribe();
        };
      });
    runner.run(spec({ agentId: 'ada', start: work('a1') }));
    runner.run(spec({ agentId: 'ada', start: work('a2') }));
    runner.run(spec({ agentId: 'bruno', start: work('b1') }));
    runner.run(spec({ agentId: 'chen', start: work('c1') }));
    expect(runner.run(spec({ agentId: 'ada', whenBusy: 'skip', start: work('skipped') }))).toBeUndefined();
    clock.flush();
    expect(peak).toBe(2);
    expect(started).toEqual(['a1@0', 'b1@0', 'a2@100', 'c1@100']); // FIFO once a slot frees
  });

  it('times out on the first value (from the request or the start) and between values', () => {
    const clock = createVirtualClock();
    const runner = new TaskRunner(1, clock.scheduler);
    const failures: string[] = [];
    const record = (name: string) => (failure: TaskFailure) =>
      failures.push(`${name}:${failure.kind === 'timeout' ? failure.phase : 'error'}@${clock.now()}`);
    runner.run(
      spec({ start: () => timer(500, clock.scheduler), firstValueTimeoutMs: 300, onFailure: record('slow') }),
    );
    runner.run(spec({ start: () => NEVER, firstValueTimeoutMs: 200, onFailure: record('queued') }));
    runner.run(
      spec({
        start: () => NEVER,
        firstValueTimeoutMs: 200,
        timeoutFrom: 'start',
        onFailure: record('patient'),
      }),
    );
    clock.flush();
    expect(failures).toEqual(['queued:first@200', 'slow:first@300', 'patient:first@500']);
    const idle = new TaskRunner(1, clock.scheduler);
    const values: number[] = [];
    idle.run(
      spec({
        start: () => new Observable<number>((subscriber) => subscriber.next(1)),
        idleTimeoutMs: 50,
        onValue: (value) => values.push(value),
        onFailure: record('stalled'),
      }),
    );
    clock.flush();
    expect(values).toEqual([1]);
    expect(failures.at(-1)).toBe('stalled:idle@550');
  });

  it('cancels superseded tasks but keeps adopted ones, and reports errors', () => {
    const clock = createVirtualClock();
    const runner = new TaskRunner(4, clock.scheduler);
    const completed: string[] = [];
    const stale = runner.run(
      spec({
        version: 1,
        start: () => timer(100, clock.scheduler),
        onComplete: () => completed.push('stale'),
      }),
    );
    const kept = runner.run(
      spec({
        version: 1,
        start: () => timer(100, clock.scheduler),
        onComplete: () => completed.push('kept'),
      }),
    );
    const errors: unknown[] = [];
    runner.run(
      spec({
        start: () => {
          throw new Error('bad start');
        },
        onFailure: (failure) => errors.push(failure),
      }),
    );
    kept?.adopt(2);
    runner.supersede(2);
    clock.flush();
    expect(completed).toEqual(['kept']);
    expect(stale?.ended).toBe(true);
    expect(errors).toHaveLength(1);
    expect(runner.pending).toBe(0);
    runner.run(spec({ start: () => of(1) }));
    expect(runner.pending).toBe(0);
  });
});
