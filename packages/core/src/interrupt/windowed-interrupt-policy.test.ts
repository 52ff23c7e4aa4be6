import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { InterruptDeniedError } from './interrupt-denied-error';
import { WindowedInterruptPolicy } from './windowed-interrupt-policy';

describe('WindowedInterruptPolicy', () => {
  it('enforces a per-agent budget and says when a slot frees', () => {
    const policy = new WindowedInterruptPolicy({ windowMs: 10_000, globalBudget: 2, perAgentBudget: 1 });
    policy.commit(policy.decide({ agentId: 'bob', tokens: 0 }, 1000));
    const again = policy.decide({ agentId: 'bob', tokens: 0 }, 4000);
    expect(again.allowed).toBe(false);
    expect(again.reason).toBe('agent-budget-exhausted');
    expect(again.retryAt).toBe(11_000);
    expect(again.explanation).toBe(
      'Denied: 1 of 2 interrupts on the floor and 1 of 1 by bob in the last 10000 ms; the agent budget is used up; a slot frees at 11000 ms.',
    );
    expect(policy.decide({ agentId: 'carol', tokens: 0 }, 4000).allowed).toBe(true);
    // The window is (now − W, now]: at exactly 11 000 ms the interrupt at 1000 ms has left it.
    expect(policy.decide({ agentId: 'bob', tokens: 0 }, 10_999).allowed).toBe(false);
    expect(policy.decide({ agentId: 'bob', tokens: 0 }, 11_000).allowed).toBe(true);
  });

  it('enforces the global budget across agents', () => {
    const policy = new WindowedInterruptPolicy({ windowMs: 5000, globalBudget: 2 });
    policy.commit(policy.decide({ agentId: 'a', tokens: 0 }, 0));
    policy.commit(policy.decide({ agentId: 'b', tokens: 0 }, 1000));
    const third = policy.decide({ agentId: 'c', tokens: 0 }, 2000);
    expect(third.reason).toBe('global-budget-exhausted');
    expect(third.retryAt).toBe(5000);
    expect(third.recentInterrupts).toBe(2);
  });

  it('re-checks on commit: a decision made stale by another commit is refused', () => {
    const policy = new WindowedInterruptPolicy({ windowMs: 5000, globalBudget: 1 });
    const first = policy.decide({ agentId: 'a', tokens: 0 }, 0);
    const second = policy.decide({ agentId: 'b', tokens: 0 }, 0);
    policy.commit(first);
    expect(() => policy.commit(second)).toThrow(InterruptDeniedError);
    try {
      policy.commit(second);
    } catch (error) {
      expect((error as InterruptDeniedError).reason).toBe('global-budget-exhausted');
    }
  });

  it('refuses to commit a denial, charges its fee, and never lets an agent interrupt itself', () => {
    const policy = new WindowedInterruptPolicy({ windowMs: 5000, perAgentBudget: 3, fee: 2 });
    const poor = policy.decide({ agentId: 'a', tokens: 1 }, 0);
    expect(poor.reason).toBe('insufficient-tokens');
    expect(() => policy.commit(poor)).toThrow(InterruptDeniedError);
    const self = policy.decide({ agentId: 'a', tokens: 9, speakerId: 'a' }, 0);
    expect(self.reason).toBe('self-interrupt');
    const ok = policy.decide({ agentId: 'a', tokens: 9, speakerId: 'b' }, 0);
    expect(ok).toMatchObject({ allowed: true, fee: 2, speakerId: 'b' });
  });

  it('a zero budget never frees', () => {
    const denied = new WindowedInterruptPolicy({ windowMs: 5000, globalBudget: 0 }).decide(
      { agentId: 'a', tokens: 0 },
      0,
    );
    expect(denied.retryAt).toBeUndefined();
    expect(denied.explanation).toContain('never frees');
  });

  it('rejects time going backwards and bad options', () => {
    const policy = new WindowedInterruptPolicy({ windowMs: 5000, globalBudget: 1 });
    policy.decide({ agentId: 'a', tokens: 0 }, 100);
    expect(() => policy.decide({ agentId: 'a', tokens: 0 }, 50)).toThrow(/backwards/);
    expect(() => policy.decide({ agentId: 'a', tokens: Number.NaN }, 200)).toThrow(InvalidArgumentError);
    expect(() => policy.decide({ agentId: '', tokens: 1 }, 200)).toThrow(InvalidArgumentError);
    expect(() => new WindowedInterruptPolicy({ windowMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new WindowedInterruptPolicy({ windowMs: 10, globalBudget: 1.5 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new WindowedInterruptPolicy({ windowMs: 10, perAgentBudget: -1 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('rejects decisions from another policy', () => {
    const policy = new WindowedInterruptPolicy({ windowMs: 5000 });
    const foreign = new WindowedInterruptPolicy({ windowMs: 5000 }).decide({ agentId: 'a', tokens: 0 }, 0);
    expect(() => policy.commit({ ...foreign, policy: 'simple' })).toThrow(InvalidArgumentError);
  });
});
