import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { InterruptDeniedError } from './interrupt-denied-error';
import { SimpleInterruptPolicy } from './simple-interrupt-policy';

describe('SimpleInterruptPolicy', () => {
  it('allows when the agent can pay the fee, with an explanation', () => {
    const policy = new SimpleInterruptPolicy({ fee: 3 });
    const denied = policy.decide({ agentId: 'bob', tokens: 2, speakerId: 'alice' }, 1000);
    expect(denied).toMatchObject({ allowed: false, reason: 'insufficient-tokens', fee: 3, at: 1000 });
    expect(denied.explanation).toBe('Denied: bob has 2 tokens, the interrupt fee is 3.');
    const allowed = policy.decide({ agentId: 'bob', tokens: 3, speakerId: 'alice' }, 1000);
    expect(allowed).toMatchObject({ allowed: true, reason: 'allowed', recentInterrupts: undefined });
    expect(allowed.explanation).toBe('Allowed: bob has 3 tokens and pays the fee of 3.');
  });

  it('never lets the speaker interrupt itself', () => {
    const decision = new SimpleInterruptPolicy({ fee: 0 }).decide(
      { agentId: 'a', tokens: 9, speakerId: 'a' },
      0,
    );
    expect(decision.reason).toBe('self-interrupt');
  });

  it('counts commits and refuses to commit denials', () => {
    const policy = new SimpleInterruptPolicy();
    policy.commit(policy.decide({ agentId: 'a', tokens: 1 }, 0));
    expect(policy.committedCount).toBe(1);
    expect(() => policy.commit(policy.decide({ agentId: 'a', tokens: 0 }, 1))).toThrow(InterruptDeniedError);
    expect(policy.committedCount).toBe(1);
  });

  it('validates fee and request', () => {
    expect(() => new SimpleInterruptPolicy({ fee: -1 })).toThrow(InvalidArgumentError);
    expect(() =>
      new SimpleInterruptPolicy().decide({ agentId: 'a', tokens: Number.POSITIVE_INFINITY }, 0),
    ).toThrow(InvalidArgumentError);
    expect(() => new SimpleInterruptPolicy().decide({ agentId: 'a', tokens: 1 }, Number.NaN)).toThrow(
      InvalidArgumentError,
    );
  });
});
