import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InsufficientTokensError } from './auction-errors';
import { TokenBank } from './token-bank';

/*
 * Token-bank invariants under random operation sequences.
 * Parameters: numRuns 500 per accrual mode; 1–5 agents; capacity in [0.5, 100]; 1–200 operations
 * drawn from accrue (tick 0–10 s / sync after advancing the virtual clock 0–10 s / accrueTurn 0–3),
 * spend and refund of 0–150 tokens (often more than the balance or the headroom).
 * After every step: 0 ≤ balance ≤ capacity for every agent; a failed spend changes nothing;
 * a refund credits exactly min(amount, capacity − balance).
 */

const AGENTS = ['a', 'b', 'c', 'd', 'e'];

type Operation =
  | { kind: 'accrue'; elapsedMs: number; turns: number; viaClock: boolean }
  | { kind: 'spend' | 'refund'; agent: number; amount: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('accrue' as const),
    elapsedMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
    turns: fc.integer({ min: 0, max: 3 }),
    viaClock: fc.boolean(),
  }),
  fc.record({
    kind: fc.constantFrom('spend' as const, 'refund' as const),
    agent: fc.nat(4),
    amount: fc.oneof(fc.double({ min: 0, max: 150, noNaN: true }), fc.integer({ min: 0, max: 20 })),
  }),
);

describe('TokenBank invariants', () => {
  it.each(['time', 'turn'] as const)('never goes negative nor past the cap (%s accrual)', (mode) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.array(operation, { minLength: 1, maxLength: 200 }),
        (agentCount, capacity, rate, operations) => {
          const clock = createVirtualClock();
          const agents = AGENTS.slice(0, agentCount);
          const bank = new TokenBank({
            agents,
            capacity,
            accrual: mode === 'time' ? { mode, tokensPerSecond: rate } : { mode, tokensPerTurn: rate },
            scheduler: clock.scheduler,
          });
          for (const op of operations) {
            if (op.kind === 'accrue') {
              if (mode === 'turn') bank.accrueTurn(op.turns);
              else if (op.viaClock) {
                clock.advanceBy(op.elapsedMs);
                bank.sync();
              } else bank.tick(op.elapsedMs);
            } else {
              const agentId = agents[op.agent % agentCount] as string;
              const before = bank.balanceOf(agentId);
              if (op.kind === 'spend') {
                if (op.amount > before) {
                  expect(() => bank.spend(agentId, op.amount)).toThrow(InsufficientTokensError);
                  expect(bank.balanceOf(agentId)).toBe(before);
                } else {
                  expect(bank.spend(agentId, op.amount)).toBe(before - op.amount);
                }
              } else {
                const credited = bank.refund(agentId, op.amount);
                expect(credited).toBeCloseTo(Math.min(op.amount, capacity - before), 9);
              }
            }
            for (const agentId of agents) {
              const balance = bank.balanceOf(agentId);
              expect(balance).toBeGreaterThanOrEqual(0);
              expect(balance).toBeLessThanOrEqual(capacity);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
