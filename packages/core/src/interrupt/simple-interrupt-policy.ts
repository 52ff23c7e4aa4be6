import { assertNumber } from '../internal/validate';
import { InterruptDeniedError } from './interrupt-denied-error';
import { assertOwnDecision, assertTime, formatTokens, validateRequest } from './interrupt-ledger';
import type { InterruptDecision, InterruptPolicy, InterruptRequest } from './interrupt-types';

/**
 * Options of {@link SimpleInterruptPolicy}.
 *
 * @example
 * ```ts
 * const policy = new SimpleInterruptPolicy({ fee: 3 });
 * ```
 */
export interface SimpleInterruptPolicyOptions {
  /** The fee of one interrupt in tokens, finite and ≥ 0. Default 1. */
  fee?: number;
}

/**
 * The simple interrupt policy: an agent may interrupt when it can pay a fixed fee
 * (`tokens ≥ fee`), and never itself. No memory of past interrupts limits it.
 *
 * @example
 * ```ts
 * import { SimpleInterruptPolicy } from '@argentum/core';
 *
 * const policy = new SimpleInterruptPolicy({ fee: 3 });
 * const decision = policy.decide({ agentId: 'bob', tokens: 2, speakerId: 'alice' }, 1000);
 * console.log(decision.allowed, decision.explanation);
 * // false "Denied: bob has 2 tokens, the interrupt fee is 3."
 * ```
 */
export class SimpleInterruptPolicy implements InterruptPolicy {
  /** Always `simple`. */
  readonly kind = 'simple' as const;
  /** The fee of one interrupt. */
  readonly fee: number;
  private latest = Number.NEGATIVE_INFINITY;
  private committed = 0;

  /**
   * @param options - the fee.
   * @throws {@link InvalidArgumentError} for a negative or non-finite fee.
   */
  constructor(options: SimpleInterruptPolicyOptions = {}) {
    this.fee = assertNumber('fee', options.fee ?? 1, { min: 0 });
  }

  /** Interrupts committed so far. */
  get committedCount(): number {
    return this.committed;
  }

  /**
   * Decides a request: allowed when the agent can pay the fee and is not the speaker.
   *
   * @param request - who asks and what it can pay.
   * @param now - scheduler ms (not earlier than a previous call's).
   * @returns the decision.
   * @example
   * ```ts
   * policy.decide({ agentId: 'bob', tokens: 5 }, clock.now()).allowed; // true with fee 3
   * ```
   */
  decide(request: InterruptRequest, now: number): InterruptDecision {
    validateRequest(request);
    assertTime('now', now, this.latest);
    this.latest = now;
    const { agentId, tokens, speakerId } = request;
    const fee = this.fee;
    const base = { policy: this.kind, agentId, speakerId, at: now, fee, tokens } as const;
    const windowless = { recentInterrupts: undefined, recentAgentInterrupts: undefined, retryAt: undefined };
    if (speakerId === agentId) {
      return {
        ...base,
        ...windowless,
        allowed: false,
        reason: 'self-interrupt',
        explanation: `Denied: ${agentId} is the speaker and cannot interrupt itself.`,
      };
    }
    if (tokens < fee) {
      return {
        ...base,
        ...windowless,
        allowed: false,
        reason: 'insufficient-tokens',
        explanation: `Denied: ${agentId} has ${formatTokens(tokens)} tokens, the interrupt fee is ${formatTokens(fee)}.`,
      };
    }
    return {
      ...base,
      ...windowless,
      allowed: true,
      reason: 'allowed',
      explanation: `Allowed: ${agentId} has ${formatTokens(tokens)} tokens and pays the fee of ${formatTokens(fee)}.`,
    };
  }

  /**
   * Registers an executed interrupt (the simple policy only counts them).
   *
   * @param decision - an allowed decision of this policy.
   * @param at - when it executed; default `decision.at`.
   * @throws {@link InterruptDeniedError} for a denied decision.
   * @example
   * ```ts
   * if (decision.allowed) policy.commit(decision);
   * ```
   */
  commit(decision: InterruptDecision, at: number = decision?.at): void {
    assertOwnDecision(decision, this.kind);
    if (!decision.allowed)
      throw new InterruptDeniedError(decision.agentId, decision.reason, decision.explanation);
    assertTime('at', at, this.latest);
    this.latest = at;
    this.committed++;
  }
}
