const ERROR_MARKER = Symbol.for('@argentum/core/error');

/**
 * Options accepted by every {@link ArgentumError} constructor.
 */
export interface ArgentumErrorOptions {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * Base class of every error Argentum throws or emits.
 *
 * Each failure kind is a subclass with a stable {@link ArgentumError.code}. Use the static
 * `isInstance()` checks rather than `instanceof`: they keep working when two copies of the
 * package end up in one dependency tree.
 *
 * @example
 * ```ts
 * import { ArgentumError, AudioFormatError } from '@argentum/core';
 *
 * try {
 *   pcm16BytesToFrame(new Uint8Array(3), { sampleRate: 16000, channels: 1, timestamp: 0 });
 * } catch (error) {
 *   if (AudioFormatError.isInstance(error)) console.error(error.code, error.message);
 *   else if (ArgentumError.isInstance(error)) console.error('other Argentum failure', error.code);
 * }
 * ```
 */
export class ArgentumError extends Error {
  /** A stable, kebab-case identifier of the failure kind, e.g. `audio-format`. */
  readonly code: string;
  /**
   * @param code - the stable failure code.
   * @param message - what was wrong and what to do about it.
   * @param options - optional `cause`.
   */
  constructor(code: string, message: string, options: ArgentumErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'ArgentumError';
    Object.defineProperty(this, ERROR_MARKER, {
      value: ['ArgentumError'],
      enumerable: false,
      writable: true,
    });
  }

  /**
   * Records a subclass name in the cross-copy marker; subclasses call it from their constructor.
   * @internal
   */
  protected brand(name: string): void {
    this.name = name;
    const target = this as unknown as Record<symbol, string[]>;
    target[ERROR_MARKER] = [...(target[ERROR_MARKER] ?? []), name];
  }

  /**
   * Tells whether `error` is an Argentum error, from this copy of the package or another.
   *
   * @param error - any thrown or emitted value.
   * @returns `true` when `error` was created by an Argentum error class.
   * @example
   * ```ts
   * if (ArgentumError.isInstance(error)) console.log(error.code);
   * ```
   */
  static isInstance(error: unknown): error is ArgentumError {
    return hasBrand(error, 'ArgentumError');
  }
}

/**
 * Tells whether `error` carries the Argentum brand `name`.
 * @internal
 */
export function hasBrand(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const brands = (error as { [ERROR_MARKER]?: unknown })[ERROR_MARKER];
  return Array.isArray(brands) && brands.includes(name);
}
