import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';

/**
 * Softmax with temperature: `pᵢ = exp((xᵢ − max x) / T) / Σⱼ exp((xⱼ − max x) / T)`.
 *
 * Subtracting the maximum first keeps every exponent ≤ 0, so nothing overflows however large the
 * values are, and makes the result exactly invariant to adding a constant to every value (the
 * shifts cancel before any exponent is taken). Low temperatures sharpen the distribution toward
 * the largest value; `T = 0` is its limit: the argmax gets probability 1 (tied maxima share it
 * equally). High temperatures flatten it toward uniform.
 *
 * @param values - finite numbers (at least one).
 * @param temperature - `T ≥ 0`, in the units of `values`.
 * @param out - optional array to write into (its length must be at least `values.length`);
 *   avoids allocating in hot loops.
 * @returns the probabilities, summing to 1.
 * @throws {@link InvalidArgumentError} for an empty input, a non-finite value or a negative temperature.
 * @example
 * ```ts
 * import { softmax } from '@argentum/core';
 *
 * softmax([2, 1, 0], 1); // ≈ [0.665, 0.245, 0.090]
 * softmax([102, 101, 100], 1); // the same: shift-invariant
 * softmax([2, 1, 0], 0); // [1, 0, 0]
 * ```
 */
export function softmax<T extends number[] | Float64Array = number[]>(
  values: ArrayLike<number>,
  temperature: number,
  out?: T,
): T {
  assertNumber('temperature', temperature, { min: 0 });
  const count = values.length;
  if (count === 0) throw new InvalidArgumentError('values', 'expected at least one value.');
  const result = (out ?? new Array<number>(count)) as T;
  if (result.length < count) {
    throw new InvalidArgumentError('out', `expected room for ${count} values, got ${result.length}.`);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      throw new InvalidArgumentError(`values[${i}]`, `expected a finite number, got ${value}.`);
    }
    if (value > max) max = value;
  }
  softmaxInto(values, count, max, temperature, result);
  return result;
}

/**
 * Softmax of the first `count` finite `values` whose maximum is `max`, written into `out`;
 * returns the normaliser Σ exp((xᵢ − max)/T) (the count of maxima when `T = 0`).
 * @internal
 */
export function softmaxInto(
  values: ArrayLike<number>,
  count: number,
  max: number,
  temperature: number,
  out: { [index: number]: number },
): number {
  let sum = 0;
  if (temperature === 0) {
    for (let i = 0; i < count; i++) {
      const weight = (values[i] as number) === max ? 1 : 0;
      out[i] = weight;
      sum += weight;
    }
  } else {
    const inverse = 1 / temperature;
    for (let i = 0; i < count; i++) {
      const weight = Math.exp(((values[i] as number) - max) * inverse);
      out[i] = weight;
      sum += weight;
    }
  }
  const normaliser = 1 / sum;
  for (let i = 0; i < count; i++) out[i] = (out[i] as number) * normaliser;
  return sum;
}
