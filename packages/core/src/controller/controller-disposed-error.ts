import { ArgentumError, hasBrand } from '../errors/argentum-error';

/**
 * An audio controller was used after `dispose()`: its timers and output are gone. Create a new
 * controller instead.
 *
 * @example
 * ```ts
 * controller.dispose();
 * controller.play(segment).subscribe({
 *   error: (error) => {
 *     if (ControllerDisposedError.isInstance(error)) console.log('make a new controller');
 *   },
 * });
 * ```
 */
export class ControllerDisposedError extends ArgentumError {
  /**
   * @param operation - what was attempted, e.g. `play`.
   */
  constructor(operation: string) {
    super(
      'controller-disposed',
      `Cannot ${operation}: this audio controller was disposed. Create a new controller for further playback.`,
    );
    this.brand('ControllerDisposedError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link ControllerDisposedError}.
   * @example
   * ```ts
   * if (ControllerDisposedError.isInstance(error)) console.log(error.message);
   * ```
   */
  static override isInstance(error: unknown): error is ControllerDisposedError {
    return hasBrand(error, 'ControllerDisposedError');
  }
}
