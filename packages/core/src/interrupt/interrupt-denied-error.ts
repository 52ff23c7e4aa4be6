import { ArgentumError, hasBrand } from '../errors/argentum-error';
import type { InterruptReason } from './interrupt-types';

/**
 * An interrupt was committed that its policy does not allow: the decision was a denial, or the
 * budget was used up by another interrupt between `decide()` and `commit()`. Nothing was recorded.
 * Decide again and commit only allowed decisions.
 *
 * @example
 * ```ts
 * try {
 *   policy.commit(decision);
 * } catch (error) {
 *   if (InterruptDeniedError.isInstance(error)) console.log(error.reason); // e.g. 'global-budget-exhausted'
 * }
 * ```
 */
export class InterruptDeniedError extends ArgentumError {
  /** Why the interrupt is not allowed. */
  readonly reason: InterruptReason;
  /** The requesting agent. */
  readonly agentId: string;

  /**
   * @param agentId - the requesting agent.
   * @param reason - why it is not allowed.
   * @param explanation - the policy's explanation.
   */
  constructor(agentId: string, reason: InterruptReason, explanation: string) {
    super(
      'interrupt-denied',
      `Cannot commit the interrupt by "${agentId}": ${explanation} Decide again and commit only allowed decisions.`,
    );
    this.reason = reason;
    this.agentId = agentId;
    this.brand('InterruptDeniedError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link InterruptDeniedError}.
   * @example
   * ```ts
   * if (InterruptDeniedError.isInstance(error)) console.log(error.reason);
   * ```
   */
  static override isInstance(error: unknown): error is InterruptDeniedError {
    return hasBrand(error, 'InterruptDeniedError');
  }
}
