import { InvalidArgumentError } from '../errors/invalid-argument-error';

/**
 * Jain's fairness index (Jain, Chiu & Hawe 1984): `J = (Σ xᵢ)² / (n · Σ xᵢ²)`.
 *
 * `J = 1` when all `xᵢ` are equal and falls toward `1/n` as one value takes everything; it is
 * `1 / (1 + CV²)` where CV is the coefficient of variation. Apply it to `shareᵢ / targetᵢ` to
 * measure how well talk shares follow their targets (Argentum's goal: ≥ 0.95 after 200 turns).
 *
 * @param values - non-negative finite numbers (at least one).
 * @returns the index in `[1/n, 1]`; 1 when every value is 0.
 * @throws {@link InvalidArgumentError} for an empty input or a negative or non-finite value.
 * @example
 * ```ts
 * import { jainIndex } from '@argentum/core';
 *
 * jainIndex([1, 1, 1]); // 1
 * jainIndex([1, 0, 0]); // 1/3
 * const shares = { a: 0.5, b: 0.3, c: 0.2 };
 * const targets = { a: 0.4, b: 0.3, c: 0.3 };
 * jainIndex(Object.keys(shares).map((id) => shares[id] / targets[id])); // ≈ 0.943
 * ```
 */
export function jainIndex(values: ArrayLike<number>): number {
  const count = values.length;
  if (count === 0) throw new InvalidArgumentError('values', 'expected at least one value.');
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`values[${i}]`, `expected a finite number ≥ 0, got ${value}.`);
    }
    sum += value;
    sumOfSquares += value * value;
  }
  return sumOfSquares === 0 ? 1 : (sum * sum) / (count * sumOfSquares);
}
