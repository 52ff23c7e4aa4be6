import { InvalidArgumentError } from '@argentum/core';

/** Bounds accepted by {@link assertOptionalNumber}. @internal */
export interface NumberBounds {
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Whether the value must be an integer. */
  integer?: boolean;
}

/**
 * Throws an `InvalidArgumentError` unless `value` is `undefined` or a finite number within `bounds`.
 * @internal
 */
export function assertOptionalNumber(
  argument: string,
  value: unknown,
  bounds: NumberBounds = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, `expected a finite number, got ${String(value)}.`);
  }
  if (bounds.integer === true && !Number.isInteger(value)) {
    throw new InvalidArgumentError(argument, `expected an integer, got ${value}.`);
  }
  if (bounds.min !== undefined && value < bounds.min) {
    throw new InvalidArgumentError(argument, `expected at least ${bounds.min}, got ${value}.`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new InvalidArgumentError(argument, `expected at most ${bounds.max}, got ${value}.`);
  }
  return value;
}
