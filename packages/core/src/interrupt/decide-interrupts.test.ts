import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { decideInterrupts } from './decide-interrupts';
import type { InterruptDecision, InterruptRequest } from './interrupt-types';
import { WindowedInterruptPolicy } from './windowed-interrupt-policy';

describe('decideInterrupts', () => {
  it('decides on the scheduler clock and commits allowed interrupts', () => {
    const clock = createVirtualClock();
    const requests = new Subject<InterruptRequest>();
    const decisions: InterruptDecision[] = [];
    requests
      .pipe(
        decideInterrupts(new WindowedInterruptPolicy({ windowMs: 1000, globalBudget: 1 }), {
          scheduler: clock.scheduler,
        }),
      )
      .subscribe((decision) => decisions.push(decision));
    requests.next({ agentId: 'a', tokens: 0 });
    clock.advanceBy(500);
    requests.next({ agentId: 'b', tokens: 0 });
    clock.advanceBy(500);
    requests.next({ agentId: 'b', tokens: 0 });
    expect(decisions.map((d) => [d.at, d.allowed])).toEqual([
      [0, true],
      [500, false],
      [1000, true],
    ]);
  });

  it('leaves commits to the caller when asked', () => {
    const clock = createVirtualClock();
    const requests = new Subject<InterruptRequest>();
    const decisions: InterruptDecision[] = [];
    requests
      .pipe(
        decideInterrupts(new WindowedInterruptPolicy({ windowMs: 1000, globalBudget: 1 }), {
          scheduler: clock.scheduler,
          commitAllowed: false,
        }),
      )
      .subscribe((decision) => decisions.push(decision));
    requests.next({ agentId: 'a', tokens: 0 });
    requests.next({ agentId: 'b', tokens: 0 });
    expect(decisions.every((d) => d.allowed)).toBe(true);
  });

  it('rejects something that is not a policy', () => {
    expect(() => decideInterrupts({} as never)).toThrow(InvalidArgumentError);
  });
});
