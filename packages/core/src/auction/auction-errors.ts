import { ArgentumError, hasBrand } from '../errors/argentum-error';

/**
 * An agent tried to spend more tokens than its bank holds. Nothing was spent. Check
 * {@link TokenBank.canSpend} first, or bid at most {@link TokenBank.balanceOf}.
 *
 * @example
 * ```ts
 * try {
 *   bank.spend('alice', 12);
 * } catch (error) {
 *   if (InsufficientTokensError.isInstance(error)) {
 *     console.log(`${error.agentId} has ${error.available}, needed ${error.requested}`);
 *   }
 * }
 * ```
 */
export class InsufficientTokensError extends ArgentumError {
  /** The agent whose bank was short. */
  readonly agentId: string;
  /** The amount it tried to spend. */
  readonly requested: number;
  /** Its balance at the time. */
  readonly available: number;

  /**
   * @param agentId - the agent whose bank was short.
   * @param requested - the amount it tried to spend.
   * @param available - its balance.
   */
  constructor(agentId: string, requested: number, available: number) {
    super(
      'insufficient-tokens',
      `Agent "${agentId}" cannot spend ${requested} tokens: its balance is ${available}. ` +
        'Bid at most the balance (check canSpend() first) or wait for more tokens to accrue.',
    );
    this.agentId = agentId;
    this.requested = requested;
    this.available = available;
    this.brand('InsufficientTokensError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link InsufficientTokensError}.
   * @example
   * ```ts
   * if (InsufficientTokensError.isInstance(error)) console.log(error.available);
   * ```
   */
  static override isInstance(error: unknown): error is InsufficientTokensError {
    return hasBrand(error, 'InsufficientTokensError');
  }
}

/**
 * An agent id that the component was not told about (not in its `agents` list and never added).
 *
 * @example
 * ```ts
 * try {
 *   bank.balanceOf('mallory');
 * } catch (error) {
 *   if (UnknownAgentError.isInstance(error)) console.log(error.agentId); // 'mallory'
 * }
 * ```
 */
export class UnknownAgentError extends ArgentumError {
  /** The id that was not recognised. */
  readonly agentId: string;

  /**
   * @param agentId - the id that was not recognised.
   * @param component - the component that did not know it, e.g. `TokenBank`.
   */
  constructor(agentId: string, component: string) {
    super(
      'unknown-agent',
      `${component} has no agent "${agentId}": list it in the \`agents\` option or call addAgent() first.`,
    );
    this.agentId = agentId;
    this.brand('UnknownAgentError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link UnknownAgentError}.
   * @example
   * ```ts
   * if (UnknownAgentError.isInstance(error)) console.log(error.agentId);
   * ```
   */
  static override isInstance(error: unknown): error is UnknownAgentError {
    return hasBrand(error, 'UnknownAgentError');
  }
}

/**
 * A token bank was driven with the other accrual mode: `tick()`/`sync()` on a per-turn bank, or
 * `accrueTurn()` on a per-time bank. A bank accrues one way only, so that its rate means one thing.
 *
 * @example
 * ```ts
 * const bank = new TokenBank({ agents: ['a'], capacity: 10, accrual: { mode: 'turn', tokensPerTurn: 1 } });
 * try {
 *   bank.tick(1000);
 * } catch (error) {
 *   if (AccrualModeError.isInstance(error)) console.log(error.mode); // 'turn'
 * }
 * ```
 */
export class AccrualModeError extends ArgentumError {
  /** The accrual mode the bank was built with. */
  readonly mode: 'time' | 'turn';

  /**
   * @param mode - the bank's accrual mode.
   * @param method - the method that was called.
   */
  constructor(mode: 'time' | 'turn', method: string) {
    const use = mode === 'time' ? 'tick(elapsedMs) or sync()' : 'accrueTurn()';
    super(
      'accrual-mode',
      `${method} does not apply: this TokenBank accrues per ${mode}. Call ${use} instead, ` +
        `or build the bank with accrual.mode '${mode === 'time' ? 'turn' : 'time'}'.`,
    );
    this.mode = mode;
    this.brand('AccrualModeError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link AccrualModeError}.
   * @example
   * ```ts
   * if (AccrualModeError.isInstance(error)) console.log(error.mode);
   * ```
   */
  static override isInstance(error: unknown): error is AccrualModeError {
    return hasBrand(error, 'AccrualModeError');
  }
}
