import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InterruptDeniedError } from './interrupt-denied-error';
import type { InterruptDecision } from './interrupt-types';
import { WindowedInterruptPolicy } from './windowed-interrupt-policy';

/*
 * Interrupt budgets under random request sequences (model-based).
 * Parameters: numRuns 500; window 100–20 000 ms; global budget 0–6 (or unlimited); per-agent budget
 * 0–4 (or unlimited); fee 0–3; 1–300 requests by 1–4 agents, 0–5000 ms apart (often 0: same
 * instant); each allowed decision is committed at once, or later (after more requests, which may
 * have used the budget — then commit must throw), and some denied decisions are committed too
 * (must throw).
 * Checks: every decision matches a reference model computed from the committed log; and no window
 * of length W — anywhere — holds more interrupts than its budget, globally or per agent. The count
 * of a half-open window (a, a + W] only rises when its end passes an interrupt, so its maximum over
 * all positions is reached at a window ending on an interrupt: we check (tₖ − W, tₖ] for every k.
 */

const agentIds = ['a', 'b', 'c', 'd'];
const budget = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.constant(Number.POSITIVE_INFINITY));

const scenario = fc.record({
  windowMs: fc.integer({ min: 100, max: 20_000 }),
  globalBudget: budget(6),
  perAgentBudget: budget(4),
  fee: fc.integer({ min: 0, max: 3 }),
  agents: fc.integer({ min: 1, max: 4 }),
  requests: fc.array(
    fc.record({
      gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
      agent: fc.nat(3),
      tokens: fc.integer({ min: 0, max: 5 }),
      commit: fc.constantFrom('now', 'later', 'never', 'force'),
    }),
    { minLength: 1, maxLength: 300 },
  ),
});

describe('WindowedInterruptPolicy budgets', () => {
  it('never lets any sliding window hold more interrupts than its budget', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const policy = new WindowedInterruptPolicy({
          windowMs: s.windowMs,
          globalBudget: s.globalBudget,
          perAgentBudget: s.perAgentBudget,
          fee: s.fee,
        });
        const log: { agentId: string; at: number }[] = [];
        const pending: InterruptDecision[] = [];
        const inWindow = (now: number, agentId?: string) =>
          log.filter(
            (entry) =>
              entry.at > now - s.windowMs && entry.at <= now && (!agentId || entry.agentId === agentId),
          ).length;
        const tryCommit = (decision: InterruptDecision, at: number) => {
          const expectedOk =
            decision.allowed &&
            inWindow(at) < s.globalBudget &&
            inWindow(at, decision.agentId) < s.perAgentBudget;
          if (expectedOk) {
            policy.commit(decision, at);
            log.push({ agentId: decision.agentId, at });
          } else {
            expect(() => policy.commit(decision, at)).toThrow(InterruptDeniedError);
          }
        };
        let now = 0;
        for (const request of s.requests) {
          now += request.gapMs;
          const agentId = agentIds[request.agent % s.agents] as string;
          const decision = policy.decide({ agentId, tokens: request.tokens }, now);
          // Reference model.
          const recent = inWindow(now);
          const recentAgent = inWindow(now, agentId);
          expect(decision.recentInterrupts).toBe(recent);
          expect(decision.recentAgentInterrupts).toBe(recentAgent);
          const expectedReason =
            recent >= s.globalBudget
              ? 'global-budget-exhausted'
              : recentAgent >= s.perAgentBudget
                ? 'agent-budget-exhausted'
                : request.tokens < s.fee
                  ? 'insufficient-tokens'
                  : 'allowed';
          expect(decision.reason).toBe(expectedReason);
          expect(decision.allowed).toBe(expectedReason === 'allowed');
          expect(decision.explanation.length).toBeGreaterThan(0);
          if (decision.retryAt !== undefined) expect(decision.retryAt).toBeGreaterThan(now);
          // Commit as the scenario says.
          if (request.commit === 'now' && decision.allowed) tryCommit(decision, now);
          else if (request.commit === 'later' && decision.allowed) pending.push(decision);
          else if (request.commit === 'force') tryCommit(decision, now);
          if (request.commit !== 'later' && pending.length > 0)
            tryCommit(pending.shift() as InterruptDecision, now);
        }
        // The invariant, over every window position.
        for (const entry of log) {
          expect(inWindow(entry.at)).toBeLessThanOrEqual(s.globalBudget);
          for (const agentId of agentIds)
            expect(inWindow(entry.at, agentId)).toBeLessThanOrEqual(s.perAgentBudget);
        }
      }),
      { numRuns: 500 },
    );
  });
});
