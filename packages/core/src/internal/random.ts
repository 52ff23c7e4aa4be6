/**
 * Seeded pseudo-random numbers for everything in Argentum that samples (the enhanced auction,
 * simulations). The generator is xoshiro128** (Blackman & Vigna, 2018) with its 128-bit state
 * filled from the seed by SplitMix32, so equal seeds give equal sequences on every platform:
 * only 32-bit integer arithmetic (`Math.imul`, shifts) is used. It is fast and statistically
 * sound for simulation and sampling; it is not for cryptography.
 *
 * @module
 */
import { assertNumber } from './validate';

/**
 * A source of uniform random numbers in `[0, 1)`. {@link createRandom} makes a seeded one; any
 * object with a `next()` works, e.g. `{ next: Math.random }` when replay does not matter.
 *
 * @example
 * ```ts
 * import { createRandom, type RandomSource } from '@argentum/core';
 *
 * const random: RandomSource = createRandom(42);
 * const roll = Math.floor(random.next() * 6) + 1; // the same roll on every run
 * ```
 */
export interface RandomSource {
  /** Returns the next number, uniform in `[0, 1)`. */
  next(): number;
}

const TWO_POW_32 = 4294967296;

class Xoshiro128StarStar implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // SplitMix32 expands the seed into four well-mixed, not-all-zero state words.
    let state = (seed >>> 0) ^ Math.imul((seed / TWO_POW_32) >>> 0, 0x27d4eb2d);
    const mix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  next(): number {
    const b = this.b;
    const product = Math.imul(b, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const shifted = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= shifted;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result / TWO_POW_32;
  }
}

/**
 * Creates a seeded {@link RandomSource}: the same seed always yields the same sequence, so a
 * simulated conversation or a sampled auction replays exactly.
 *
 * @param seed - any safe integer (negative allowed).
 * @returns a fresh generator; each call starts a new, independent sequence.
 * @throws {@link InvalidArgumentError} when `seed` is not a safe integer.
 * @example
 * ```ts
 * import { createRandom } from '@argentum/core';
 *
 * const a = createRandom(7);
 * const b = createRandom(7);
 * console.log(a.next() === b.next()); // true
 * ```
 */
export function createRandom(seed: number): RandomSource {
  assertNumber('seed', seed, {
    integer: true,
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  });
  return new Xoshiro128StarStar(seed);
}
