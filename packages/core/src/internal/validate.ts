import { InvalidArgumentError } from '../errors/invalid-argument-error';

/** Bounds for {@link assertNumber}. */
export interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  integer?: boolean;
}

/**
 * Throws an {@link InvalidArgumentError} unless `value` is a finite number within `bounds`.
 * @internal
 */
export function assertNumber(argument: string, value: unknown, bounds: NumberBounds = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, `expected a finite number, got ${String(value)}.`);
  }
  if (bounds.integer && !Number.isInteger(value)) {
    throw new InvalidArgumentError(argument, `expected an integer, got ${value}.`);
  }
  if (bounds.min !== undefined && value < bounds.min) {
    throw new InvalidArgumentError(argument, `expected at least ${bounds.min}, got ${value}.`);
  }
  if (bounds.above !== undefined && value <= bounds.above) {
    throw new InvalidArgumentError(argument, `expected more than ${bounds.above}, got ${value}.`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new InvalidArgumentError(argument, `expected at most ${bounds.max}, got ${value}.`);
  }
  return value;
}
