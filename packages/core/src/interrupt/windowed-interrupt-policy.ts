import { assertNumber } from '../internal/validate';
import { InterruptDeniedError } from './interrupt-denied-error';
import { assertOwnDecision, formatTokens, InterruptLedger, validateRequest } from './interrupt-ledger';
import type {
  InterruptDecision,
  InterruptPolicy,
  InterruptReason,
  InterruptRequest,
} from './interrupt-types';

/**
 * Options of {@link WindowedInterruptPolicy}.
 *
 * @example
 * ```ts
 * // At most 3 interrupts per minute on the floor, 1 per agent, 2 tokens each.
 * const policy = new WindowedInterruptPolicy({ windowMs: 60_000, globalBudget: 3, perAgentBudget: 1, fee: 2 });
 * ```
 */
export interface WindowedInterruptPolicyOptions {
  /** Length of the sliding window in ms, > 0. */
  windowMs: number;
  /** Interrupts allowed on the whole floor per window: an integer ≥ 0, or `Infinity`. Default `Infinity`. */
  globalBudget?: number;
  /** Interrupts allowed per agent per window: an integer ≥ 0, or `Infinity`. Default `Infinity`. */
  perAgentBudget?: number;
  /** Fee of one interrupt in tokens, ≥ 0. Default 0. */
  fee?: number;
}

/**
 * Interrupt budgets over a sliding window: at most `globalBudget` interrupts on the floor and at
 * most `perAgentBudget` by any one agent in any window of `windowMs`, plus an optional fixed fee.
 *
 * The window at time `t` is `(t − windowMs, t]`: an interrupt executed at `s` counts until
 * `s + windowMs` (exclusive). A request is allowed only while both counts are below their budgets,
 * and `commit()` checks again, so — whatever the order of calls — **no window of length `windowMs`,
 * wherever it is placed, ever holds more interrupts than its budget** (property-tested). A denial
 * says when a slot frees (`retryAt`).
 *
 * @example
 * ```ts
 * import { WindowedInterruptPolicy } from '@argentum/core';
 *
 * const policy = new WindowedInterruptPolicy({ windowMs: 10_000, globalBudget: 2, perAgentBudget: 1 });
 * const first = policy.decide({ agentId: 'bob', tokens: 0 }, 1000);
 * policy.commit(first);
 * const again = policy.decide({ agentId: 'bob', tokens: 0 }, 4000);
 * console.log(again.reason, again.retryAt); // 'agent-budget-exhausted' 11000
 * ```
 */
export class WindowedInterruptPolicy implements InterruptPolicy {
  /** Always `windowed`. */
  readonly kind = 'windowed' as const;
  /** The window length, ms. */
  readonly windowMs: number;
  /** The floor's budget per window. */
  readonly globalBudget: number;
  /** Each agent's budget per window. */
  readonly perAgentBudget: number;
  /** The fee of one interrupt. */
  readonly fee: number;
  private readonly ledger: InterruptLedger;

  /**
   * @param options - window, budgets and fee.
   * @throws {@link InvalidArgumentError} for a non-positive window or a bad budget.
   */
  constructor(options: WindowedInterruptPolicyOptions) {
    this.windowMs = assertNumber('windowMs', options?.windowMs, { above: 0 });
    this.globalBudget = assertBudget('globalBudget', options.globalBudget);
    this.perAgentBudget = assertBudget('perAgentBudget', options.perAgentBudget);
    this.fee = assertNumber('fee', options.fee ?? 0, { min: 0 });
    this.ledger = new InterruptLedger(this.windowMs);
  }

  /**
   * Decides a request against the budgets and the fee, without recording anything.
   *
   * @param request - who asks and what it can pay.
   * @param now - scheduler ms (not earlier than a previous call's).
   * @returns the decision, with counts and `retryAt` when a budget is exhausted.
   * @example
   * ```ts
   * const decision = policy.decide({ agentId: 'bob', tokens: 4 }, clock.now());
   * ```
   */
  decide(request: InterruptRequest, now: number): InterruptDecision {
    validateRequest(request);
    this.ledger.advance(now, 'now');
    return this.evaluate(request.agentId, request.speakerId, request.tokens, now);
  }

  /**
   * Registers an executed interrupt, re-checking the budgets at `at`.
   *
   * @param decision - an allowed decision of this policy.
   * @param at - when it executed (not earlier than a previous call's time); default `decision.at`.
   * @throws {@link InterruptDeniedError} for a denied decision or a budget used up since.
   * @example
   * ```ts
   * if (decision.allowed) policy.commit(decision);
   * ```
   */
  commit(decision: InterruptDecision, at: number = decision?.at): void {
    assertOwnDecision(decision, this.kind);
    if (!decision.allowed)
      throw new InterruptDeniedError(decision.agentId, decision.reason, decision.explanation);
    this.ledger.advance(at, 'at');
    const recheck = this.evaluate(decision.agentId, decision.speakerId, Number.POSITIVE_INFINITY, at);
    if (!recheck.allowed)
      throw new InterruptDeniedError(decision.agentId, recheck.reason, recheck.explanation);
    this.ledger.record(decision.agentId);
  }

  private evaluate(
    agentId: string,
    speakerId: string | undefined,
    tokens: number,
    now: number,
  ): InterruptDecision {
    const ledger = this.ledger;
    const recent = ledger.globalCount();
    const recentAgent = ledger.agentCount(agentId);
    const globalFull = recent >= this.globalBudget;
    const agentFull = recentAgent >= this.perAgentBudget;
    let reason: InterruptReason;
    let explanation: string;
    let retryAt: number | undefined;
    const used =
      `${recent} of ${formatBudget(this.globalBudget)} interrupts on the floor and ${recentAgent} of ` +
      `${formatBudget(this.perAgentBudget)} by ${agentId} in the last ${this.windowMs} ms`;
    if (speakerId === agentId) {
      reason = 'self-interrupt';
      explanation = `Denied: ${agentId} is the speaker and cannot interrupt itself.`;
    } else if (globalFull || agentFull) {
      reason = globalFull ? 'global-budget-exhausted' : 'agent-budget-exhausted';
      // A zero budget never frees; otherwise the oldest counted interrupt leaving frees a slot.
      const globalFree = globalFull ? (this.globalBudget === 0 ? Number.NaN : ledger.globalFreesAt()) : now;
      const agentFree = agentFull
        ? this.perAgentBudget === 0
          ? Number.NaN
          : ledger.agentFreesAt(agentId)
        : now;
      const free = Math.max(globalFree, agentFree);
      retryAt = Number.isNaN(free) ? undefined : free;
      explanation =
        `Denied: ${used}; the ${globalFull ? 'floor' : 'agent'} budget is used up` +
        (retryAt === undefined ? ' and never frees.' : `; a slot frees at ${retryAt} ms.`);
    } else if (tokens < this.fee) {
      reason = 'insufficient-tokens';
      explanation = `Denied: ${agentId} has ${formatTokens(tokens)} tokens, the interrupt fee is ${formatTokens(this.fee)}.`;
    } else {
      reason = 'allowed';
      explanation = `Allowed: ${used}; fee ${formatTokens(this.fee)}.`;
    }
    return {
      policy: this.kind,
      agentId,
      speakerId,
      at: now,
      allowed: reason === 'allowed',
      fee: this.fee,
      tokens,
      reason,
      explanation,
      recentInterrupts: recent,
      recentAgentInterrupts: recentAgent,
      retryAt,
    };
  }
}

function assertBudget(argument: string, value: number | undefined): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return assertNumber(argument, value, { min: 0, integer: true });
}

function formatBudget(budget: number): string {
  return budget === Number.POSITIVE_INFINITY ? 'unlimited' : String(budget);
}
