import { ArgentumError, hasBrand } from './argentum-error';

/**
 * An option or argument outside its allowed range: a negative duration, a NaN amount, an unknown
 * enum value. The message names the argument and what it accepts.
 *
 * @example
 * ```ts
 * try {
 *   new AudioFramer({ sampleRate: 48000, frameDurationMs: -20 });
 * } catch (error) {
 *   if (InvalidArgumentError.isInstance(error)) console.error(error.argument, error.message);
 * }
 * ```
 */
export class InvalidArgumentError extends ArgentumError {
  /** The name of the offending argument or option, e.g. `frameDurationMs`. */
  readonly argument: string;

  /**
   * @param argument - the name of the offending argument.
   * @param message - what was wrong and what is accepted.
   */
  constructor(argument: string, message: string) {
    super('invalid-argument', `Invalid ${argument}: ${message}`);
    this.argument = argument;
    this.brand('InvalidArgumentError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link InvalidArgumentError}.
   * @example
   * ```ts
   * if (InvalidArgumentError.isInstance(error)) console.error(error.argument);
   * ```
   */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasBrand(error, 'InvalidArgumentError');
  }
}
