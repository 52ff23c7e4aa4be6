/**
 * An agent asks to hard-interrupt the current speaker.
 *
 * @example
 * ```ts
 * const request: InterruptRequest = { agentId: 'bob', tokens: bank.balanceOf('bob'), speakerId: 'alice' };
 * ```
 */
export interface InterruptRequest {
  /** The agent that wants to interrupt. */
  agentId: string;
  /** The tokens it can pay (usually its bank balance), finite and ≥ 0. */
  tokens: number;
  /** The agent currently speaking, when known. An agent cannot interrupt itself. */
  speakerId?: string;
}

/**
 * Why an interrupt was allowed or denied:
 * - `allowed`: every rule passed;
 * - `insufficient-tokens`: the agent cannot pay the fee;
 * - `global-budget-exhausted`: the floor has had its budget of interrupts in the sliding window;
 * - `agent-budget-exhausted`: this agent has used its own budget in the window;
 * - `self-interrupt`: the agent asked to interrupt itself.
 *
 * @example
 * ```ts
 * if (decision.reason === 'global-budget-exhausted') retryAt(decision.retryAt);
 * ```
 */
export type InterruptReason =
  | 'allowed'
  | 'insufficient-tokens'
  | 'global-budget-exhausted'
  | 'agent-budget-exhausted'
  | 'self-interrupt';

/**
 * A policy's answer to an {@link InterruptRequest}, with its explanation. Pass an allowed decision
 * to {@link InterruptPolicy.commit} once the interrupt is executed.
 *
 * @example
 * ```ts
 * const decision = policy.decide({ agentId: 'bob', tokens: 5 }, clock.now());
 * console.log(decision.allowed, decision.fee, decision.explanation);
 * ```
 */
export interface InterruptDecision {
  /** Which policy decided. */
  policy: 'simple' | 'windowed' | 'dynamic-fee';
  /** The requesting agent. */
  agentId: string;
  /** The speaker it would cut, when given. */
  speakerId: string | undefined;
  /** When the decision was made, scheduler ms. */
  at: number;
  /** Whether the interrupt may go ahead. */
  allowed: boolean;
  /** The fee in tokens (to be spent on commit by the caller). */
  fee: number;
  /** The tokens the agent offered. */
  tokens: number;
  /** Machine-readable reason. */
  reason: InterruptReason;
  /** One sentence for people and logs: what was checked and why it passed or failed. */
  explanation: string;
  /** Interrupts on the floor in the policy's window (`undefined` for policies without a window). */
  recentInterrupts: number | undefined;
  /** This agent's interrupts in the window (`undefined` for policies without a window). */
  recentAgentInterrupts: number | undefined;
  /** When a denied request could next pass its budget, scheduler ms (`undefined` when time does not help). */
  retryAt: number | undefined;
}

/**
 * Decides whether an agent may hard-interrupt, and keeps the record of executed interrupts.
 * Implementations: {@link SimpleInterruptPolicy} (pay a fixed fee), {@link WindowedInterruptPolicy}
 * (budgets per sliding window), {@link DynamicFeeInterruptPolicy} (fee grows with recent interrupts).
 *
 * `decide()` does not change the record; `commit()` registers an executed interrupt. Times must
 * not go backwards across calls.
 *
 * @example
 * ```ts
 * const decision = policy.decide({ agentId: 'bob', tokens: bank.balanceOf('bob') }, clock.now());
 * if (decision.allowed) {
 *   bank.spend('bob', decision.fee);
 *   policy.commit(decision);
 * }
 * ```
 */
export interface InterruptPolicy {
  /** Which policy this is. */
  readonly kind: 'simple' | 'windowed' | 'dynamic-fee';
  /**
   * Decides a request without recording anything.
   * @param request - who asks and what it can pay.
   * @param now - the current scheduler time in ms.
   * @returns the decision with its explanation.
   */
  decide(request: InterruptRequest, now: number): InterruptDecision;
  /**
   * Registers an executed interrupt. Throws {@link InterruptDeniedError} for a denied decision or
   * one whose budget has been used up since it was made.
   * @param decision - an allowed decision from this policy.
   * @param at - when the interrupt executed, scheduler ms; default `decision.at`.
   */
  commit(decision: InterruptDecision, at?: number): void;
}
