import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { DynamicFeeInterruptPolicy } from './dynamic-fee-interrupt-policy';
import { InterruptDeniedError } from './interrupt-denied-error';

describe('DynamicFeeInterruptPolicy', () => {
  it('doubles the fee per recent interrupt and relaxes as they leave the window', () => {
    const policy = new DynamicFeeInterruptPolicy({ baseFee: 1, growth: 2, windowMs: 30_000 });
    policy.commit(policy.decide({ agentId: 'bob', tokens: 10 }, 0));
    policy.commit(policy.decide({ agentId: 'carol', tokens: 10 }, 5000));
    const third = policy.decide({ agentId: 'bob', tokens: 3 }, 9000);
    expect(third).toMatchObject({
      fee: 4,
      allowed: false,
      reason: 'insufficient-tokens',
      recentInterrupts: 2,
    });
    expect(third.explanation).toBe(
      'Denied: bob has 3 tokens; the fee is 4 (base 1 × 2^2) after 2 on the floor in the last 30000 ms.',
    );
    expect(policy.feeAt('bob', 30_000)).toBe(2);
    expect(policy.feeAt('bob', 35_000)).toBe(1);
  });

  it('caps the fee and can count per agent', () => {
    const policy = new DynamicFeeInterruptPolicy({
      baseFee: 1,
      growth: 3,
      windowMs: 1000,
      maxFee: 5,
      scope: 'agent',
    });
    for (let i = 0; i < 3; i++) policy.commit(policy.decide({ agentId: 'a', tokens: 100 }, i));
    expect(policy.feeAt('a', 3)).toBe(5);
    expect(policy.feeAt('b', 3)).toBe(1);
    expect(policy.decide({ agentId: 'a', tokens: 100 }, 4).explanation).toContain('capped at 5');
  });

  it('quotes base · growth^recent against a model on random sequences', () => {
    // numRuns 300; growth 1–3; window 100–5000 ms; up to 100 requests 0–1000 ms apart.
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.integer({ min: 100, max: 5000 }),
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 1000 }), tokens: fc.integer({ min: 0, max: 50 }) }),
          {
            maxLength: 100,
          },
        ),
        (growth, windowMs, requests) => {
          const policy = new DynamicFeeInterruptPolicy({ baseFee: 0.5, growth, windowMs });
          const log: number[] = [];
          let now = 0;
          for (const request of requests) {
            now += request.gapMs;
            const recent = log.filter((at) => at > now - windowMs).length;
            const decision = policy.decide({ agentId: 'x', tokens: request.tokens }, now);
            expect(decision.fee).toBeCloseTo(0.5 * growth ** recent, 9);
            expect(decision.allowed).toBe(request.tokens >= decision.fee);
            if (decision.allowed) {
              policy.commit(decision);
              log.push(now);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses denied commits and self-interrupts; validates options', () => {
    const policy = new DynamicFeeInterruptPolicy({ windowMs: 1000 });
    const self = policy.decide({ agentId: 'a', tokens: 5, speakerId: 'a' }, 0);
    expect(self.reason).toBe('self-interrupt');
    expect(() => policy.commit(self)).toThrow(InterruptDeniedError);
    expect(() => new DynamicFeeInterruptPolicy({ windowMs: 1000, growth: 0.5 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new DynamicFeeInterruptPolicy({ windowMs: 1000, baseFee: 2, maxFee: 1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new DynamicFeeInterruptPolicy({ windowMs: 1000, scope: 'team' as never })).toThrow(
      InvalidArgumentError,
    );
  });
});
