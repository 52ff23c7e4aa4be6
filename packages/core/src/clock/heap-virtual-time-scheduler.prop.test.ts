import fc from 'fast-check';
import { type SchedulerAction, type Subscription, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { HeapVirtualTimeScheduler } from './heap-virtual-time-scheduler';

type Operation =
  | { kind: 'schedule'; delay: number; repeats: number; every: number; throws: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'reschedule'; pick: number; delay: number }
  | { kind: 'advance'; ms: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('schedule' as const),
      delay: fc.integer({ min: 0, max: 30 }),
      repeats: fc.integer({ min: 0, max: 3 }),
      every: fc.integer({ min: 0, max: 10 }),
      throws: fc.integer({ min: 0, max: 19 }).map((value) => value === 0),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reschedule' as const),
      pick: fc.nat(),
      delay: fc.integer({ min: 0, max: 20 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 25 }) }),
  },
);

/** Runs the script on a scheduler; returns what ran when, the queue length after each step, and a thrown error. */
function run(scheduler: VirtualTimeScheduler, script: Operation[]): string[] {
  const log: string[] = [];
  const handles: Subscription[] = [];
  let label = 0;
  const advance = (ms: number) => {
    scheduler.maxFrames = scheduler.frame + ms;
    try {
      scheduler.flush();
    } catch (error) {
      log.push(`threw ${(error as Error).message}`);
    }
    scheduler.frame += ms;
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
  };
  for (const step of script) {
    if (step.kind === 'schedule') {
      const name = `a${label++}`;
      let left = step.repeats;
      handles.push(
        scheduler.schedule(
          function (this: SchedulerAction<number>, count) {
            log.push(`${name}#${count}@${scheduler.now()}`);
            if (step.throws) throw new Error(name);
            if (left-- > 0) this.schedule((count ?? 0) + 1, step.every);
          },
          step.delay,
          0,
        ),
      );
    } else if (step.kind === 'cancel' && handles.length > 0) {
      handles[step.pick % handles.length]!.unsubscribe();
    } else if (step.kind === 'reschedule' && handles.length > 0) {
      (handles[step.pick % handles.length] as unknown as SchedulerAction<number>).schedule(100, step.delay);
    } else if (step.kind === 'advance') {
      advance(step.ms);
    }
    log.push(`queue ${scheduler.actions.length}`);
  }
  advance(1000);
  log.push(`end ${scheduler.actions.length}`);
  return log;
}

describe('HeapVirtualTimeScheduler', () => {
  // 1000 runs of up to 60 operations: scheduling (same due times common), self-rescheduling work,
  // cancelling, rescheduling from outside, advancing, and the odd throwing work — the same actions
  // run in the same order at the same times as on RxJS's VirtualTimeScheduler, the queue has the
  // same length after every step, and errors end the flush the same way.
  it('runs exactly what RxJS VirtualTimeScheduler runs, in the same order', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (script) => {
        const expected = run(new VirtualTimeScheduler(VirtualAction, Number.POSITIVE_INFINITY), script);
        const actual = run(new HeapVirtualTimeScheduler(), script);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps scheduling cheap with many actions pending', () => {
    const scheduler = new HeapVirtualTimeScheduler();
    const ran: number[] = [];
    for (let index = 0; index < 20_000; index++)
      scheduler.schedule(() => ran.push(index), (index * 7919) % 5000);
    expect(scheduler.actions).toHaveLength(20_000);
    scheduler.flush();
    expect(ran).toHaveLength(20_000);
    // Due time first, then the order of scheduling.
    const due = (index: number) => (index * 7919) % 5000;
    for (let at = 1; at < ran.length; at++) {
      const a = ran[at - 1]!;
      const b = ran[at]!;
      expect(due(a) < due(b) || (due(a) === due(b) && a < b)).toBe(true);
    }
    expect(scheduler.actions).toHaveLength(0);
  });
});
