import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { InterruptDeniedError } from './interrupt-denied-error';
import { assertOwnDecision, formatTokens, InterruptLedger, validateRequest } from './interrupt-ledger';
import type { InterruptDecision, InterruptPolicy, InterruptRequest } from './interrupt-types';

/**
 * Options of {@link DynamicFeeInterruptPolicy}.
 *
 * @example
 * ```ts
 * // 1, 1.5, 2.25, … tokens, never more than 10; each agent pays for its own recent interrupts.
 * const policy = new DynamicFeeInterruptPolicy({ baseFee: 1, growth: 1.5, windowMs: 30_000, maxFee: 10, scope: 'agent' });
 * ```
 */
export interface DynamicFeeInterruptPolicyOptions {
  /** Fee with no recent interrupts, in tokens, ≥ 0. Default 1. */
  baseFee?: number;
  /** Factor the fee grows by per recent interrupt, ≥ 1. Default 2. */
  growth?: number;
  /** The sliding window that defines "recent", ms, > 0. */
  windowMs: number;
  /** Cap on the fee, ≥ `baseFee` (or `Infinity`). Default `Infinity`. */
  maxFee?: number;
  /** Whose interrupts raise the fee: everyone's on the floor (`global`, default) or the requester's own (`agent`). */
  scope?: 'global' | 'agent';
}

/**
 * Interrupts get dearer as they pile up: the fee is `min(maxFee, baseFee · growth^recent)`, where
 * `recent` counts the interrupts executed in the sliding window `(now − windowMs, now]` (on the
 * whole floor, or by the requester with `scope: 'agent'`). An agent may interrupt when it can pay.
 * The fee falls back as old interrupts leave the window.
 *
 * @example
 * ```ts
 * import { DynamicFeeInterruptPolicy } from '@argentum/core';
 *
 * const policy = new DynamicFeeInterruptPolicy({ baseFee: 1, growth: 2, windowMs: 30_000 });
 * policy.commit(policy.decide({ agentId: 'bob', tokens: 10 }, 0)); // fee 1
 * policy.commit(policy.decide({ agentId: 'carol', tokens: 10 }, 5000)); // fee 2
 * policy.decide({ agentId: 'bob', tokens: 10 }, 9000).fee; // 4
 * policy.decide({ agentId: 'bob', tokens: 10 }, 31_000).fee; // 2: the first left the window
 * ```
 */
export class DynamicFeeInterruptPolicy implements InterruptPolicy {
  /** Always `dynamic-fee`. */
  readonly kind = 'dynamic-fee' as const;
  /** Fee with no recent interrupts. */
  readonly baseFee: number;
  /** Growth factor per recent interrupt. */
  readonly growth: number;
  /** The window length, ms. */
  readonly windowMs: number;
  /** Cap on the fee. */
  readonly maxFee: number;
  /** Whose interrupts count. */
  readonly scope: 'global' | 'agent';
  private readonly ledger: InterruptLedger;

  /**
   * @param options - base fee, growth, window, cap and scope.
   * @throws {@link InvalidArgumentError} for values out of range.
   */
  constructor(options: DynamicFeeInterruptPolicyOptions) {
    this.windowMs = assertNumber('windowMs', options?.windowMs, { above: 0 });
    this.baseFee = assertNumber('baseFee', options.baseFee ?? 1, { min: 0 });
    this.growth = assertNumber('growth', options.growth ?? 2, { min: 1 });
    const maxFee = options.maxFee ?? Number.POSITIVE_INFINITY;
    this.maxFee =
      maxFee === Number.POSITIVE_INFINITY ? maxFee : assertNumber('maxFee', maxFee, { min: this.baseFee });
    const scope = options.scope ?? 'global';
    if (scope !== 'global' && scope !== 'agent') {
      throw new InvalidArgumentError('scope', `expected 'global' or 'agent', got ${String(scope)}.`);
    }
    this.scope = scope;
    this.ledger = new InterruptLedger(this.windowMs);
  }

  /**
   * The fee an agent would pay at `now` (advances the policy's clock to `now`).
   *
   * @param agentId - the requester (matters with `scope: 'agent'`).
   * @param now - scheduler ms.
   * @returns `min(maxFee, baseFee · growth^recent)`.
   * @example
   * ```ts
   * const quote = policy.feeAt('bob', clock.now());
   * ```
   */
  feeAt(agentId: string, now: number): number {
    this.ledger.advance(now, 'now');
    return this.currentFee(agentId);
  }

  /**
   * Decides a request: allowed when the agent can pay the current fee and is not the speaker.
   *
   * @param request - who asks and what it can pay.
   * @param now - scheduler ms (not earlier than a previous call's).
   * @returns the decision with the fee and the recent counts.
   * @example
   * ```ts
   * const decision = policy.decide({ agentId: 'bob', tokens: bank.balanceOf('bob') }, clock.now());
   * ```
   */
  decide(request: InterruptRequest, now: number): InterruptDecision {
    validateRequest(request);
    this.ledger.advance(now, 'now');
    const { agentId, tokens, speakerId } = request;
    const recent = this.ledger.globalCount();
    const recentAgent = this.ledger.agentCount(agentId);
    const fee = this.currentFee(agentId);
    const counted = this.scope === 'global' ? `${recent} on the floor` : `${recentAgent} by ${agentId}`;
    const quote =
      `the fee is ${formatTokens(fee)} (base ${formatTokens(this.baseFee)} × ${this.growth}^${this.scope === 'global' ? recent : recentAgent}` +
      `${fee === this.maxFee ? `, capped at ${formatTokens(this.maxFee)}` : ''}) after ${counted} in the last ${this.windowMs} ms`;
    const base = {
      policy: this.kind,
      agentId,
      speakerId,
      at: now,
      fee,
      tokens,
      recentInterrupts: recent,
      recentAgentInterrupts: recentAgent,
      retryAt: undefined,
    } as const;
    if (speakerId === agentId) {
      return {
        ...base,
        allowed: false,
        reason: 'self-interrupt',
        explanation: `Denied: ${agentId} is the speaker and cannot interrupt itself.`,
      };
    }
    if (tokens < fee) {
      return {
        ...base,
        allowed: false,
        reason: 'insufficient-tokens',
        explanation: `Denied: ${agentId} has ${formatTokens(tokens)} tokens; ${quote}.`,
      };
    }
    return { ...base, allowed: true, reason: 'allowed', explanation: `Allowed: ${agentId} pays; ${quote}.` };
  }

  /**
   * Registers an executed interrupt; it raises the fee for the next `windowMs`. The fee quoted in
   * the decision stands even if other interrupts were committed in between.
   *
   * @param decision - an allowed decision of this policy.
   * @param at - when it executed (not earlier than a previous call's time); default `decision.at`.
   * @throws {@link InterruptDeniedError} for a denied decision.
   * @example
   * ```ts
   * if (decision.allowed) {
   *   bank.spend(decision.agentId, decision.fee);
   *   policy.commit(decision);
   * }
   * ```
   */
  commit(decision: InterruptDecision, at: number = decision?.at): void {
    assertOwnDecision(decision, this.kind);
    if (!decision.allowed)
      throw new InterruptDeniedError(decision.agentId, decision.reason, decision.explanation);
    this.ledger.advance(at, 'at');
    this.ledger.record(decision.agentId);
  }

  private currentFee(agentId: string): number {
    const recent = this.scope === 'global' ? this.ledger.globalCount() : this.ledger.agentCount(agentId);
    const fee = this.baseFee * this.growth ** recent;
    return fee > this.maxFee ? this.maxFee : fee;
  }
}
