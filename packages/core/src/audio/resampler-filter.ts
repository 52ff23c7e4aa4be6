/**
 * Filter design for {@link StreamingResampler}: Kaiser-windowed sinc kernels laid out as polyphase
 * coefficient tables, designed once per (input rate, output rate, quality) and cached.
 *
 * Time is measured in input samples. Output sample `k` sits at input time `t = k·M/L` where
 * `L / M = outputRate / inputRate` in lowest terms; it is `Σ x[n]·g(t − n)` over the input samples
 * `n` within the kernel's half-width. `t = base + phase/L`, so `L` phases cover every output
 * position and each phase is one dot product of `2·halfWidth` taps.
 *
 * @internal
 * @module
 */

import type { ResampleQuality } from './resampler';

/** Parameters of one quality level, relative to the lower of the two Nyquist frequencies (`fN`). */
interface QualityDesign {
  /** Sinc cutoff as a fraction of `fN` (the −6 dB point of the window-smoothed edge). */
  readonly cutoff: number;
  /** Kaiser β: sidelobe level ≈ `β / 0.1102 + 8.7` dB. */
  readonly beta: number;
  /** Half-width of the kernel in periods of the lower rate (zero crossings on each side). */
  readonly zeroCrossings: number;
}

/**
 * The designs behind the quality names. Measured figures (48 kHz → 16 kHz; the same relative to
 * `fN` for every pair):
 * - `fast`: 41 taps per output sample at 48 → 16 kHz. Flat within ±0.1 dB to 0.58·fN, −1 dB at
 *   0.69·fN, −3 dB at 0.77·fN; ≥ 74 dB rejection from 1.2·fN up, so anything that aliases lands
 *   above 0.8·fN, in the filter's own roll-off.
 * - `high`: 119 taps per output sample at 48 → 16 kHz. Flat within ±0.1 dB to 0.76·fN, −3 dB at
 *   0.84·fN; ≥ 87 dB rejection from fN up (alias-free at 16-bit resolution).
 */
const DESIGNS: Readonly<Record<ResampleQuality, QualityDesign>> = {
  fast: { cutoff: 0.83, beta: 7, zeroCrossings: 7 },
  high: { cutoff: 0.86, beta: 8.6, zeroCrossings: 20 },
};

/** A designed resampling filter. @internal */
export interface ResamplerFilter {
  /** Output samples per `step` input samples: the number of phases. */
  readonly phases: number;
  /** Input samples per `phases` output samples. */
  readonly step: number;
  /**
   * `true` when `phases === 1` (integer decimation): one symmetric kernel centred on an input
   * sample, stored as `symmetric[j] = g(j)` for `j = 0 … symmetricHalfLength`.
   */
  readonly isSymmetric: boolean;
  /** Centre and one side of the symmetric kernel (`isSymmetric` only; otherwise empty). */
  readonly symmetric: Float32Array;
  /** Number of taps on each side of the centre of the symmetric kernel. */
  readonly symmetricHalfLength: number;
  /** Taps per phase in the general polyphase table (`2 · halfWidth`). */
  readonly tapsPerPhase: number;
  /** Row `p` holds the taps of phase `p`: `coefficients[p·tapsPerPhase + i] = g(p/L + H − 1 − i)`. */
  readonly coefficients: Float32Array;
  /** Input samples needed before an output's base sample. */
  readonly reach: number;
  /** Input samples needed after an output's base sample (the algorithmic latency in input samples). */
  readonly lookahead: number;
}

const cache = new Map<string, ResamplerFilter>();

/** Greatest common divisor of two positive integers. @internal */
export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const remainder = x % y;
    x = y;
    y = remainder;
  }
  return x;
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * The continuous kernel: a sinc with cutoff `cyclesPerSample` (cycles per input sample) under a
 * Kaiser window of half-width `halfWidth` input samples.
 */
function kernel(
  tau: number,
  cyclesPerSample: number,
  halfWidth: number,
  beta: number,
  i0Beta: number,
): number {
  const ratio = tau / halfWidth;
  if (ratio <= -1 || ratio >= 1) return 0;
  const x = 2 * cyclesPerSample * tau;
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  const window = besselI0(beta * Math.sqrt(1 - ratio * ratio)) / i0Beta;
  return 2 * cyclesPerSample * sinc * window;
}

/**
 * Returns the (cached) filter for a rate pair and quality. Rates must differ.
 * @internal
 */
export function designResamplerFilter(
  inputRate: number,
  outputRate: number,
  quality: ResampleQuality,
): ResamplerFilter {
  const key = `${inputRate}:${outputRate}:${quality}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;

  const design = DESIGNS[quality];
  const divisor = greatestCommonDivisor(inputRate, outputRate);
  const phases = outputRate / divisor;
  const step = inputRate / divisor;
  const nyquist = Math.min(inputRate, outputRate) / 2;
  const cyclesPerSample = (design.cutoff * nyquist) / inputRate;
  const halfWidth = design.zeroCrossings * Math.max(1, inputRate / outputRate);
  const i0Beta = besselI0(design.beta);
  const tapsHalf = Math.ceil(halfWidth);
  const tapsPerPhase = 2 * tapsHalf;

  let filter: ResamplerFilter;
  if (phases === 1) {
    // Integer decimation: every output sits on an input sample; the kernel is symmetric.
    const symmetricHalfLength = tapsHalf - 1;
    const values = new Float64Array(symmetricHalfLength + 1);
    let sum = 0;
    for (let j = 0; j <= symmetricHalfLength; j++) {
      values[j] = kernel(j, cyclesPerSample, halfWidth, design.beta, i0Beta);
      sum += j === 0 ? values[j]! : 2 * values[j]!;
    }
    const symmetric = new Float32Array(symmetricHalfLength + 1);
    for (let j = 0; j <= symmetricHalfLength; j++) symmetric[j] = values[j]! / sum;
    filter = {
      phases,
      step,
      isSymmetric: true,
      symmetric,
      symmetricHalfLength,
      tapsPerPhase: 0,
      coefficients: new Float32Array(0),
      reach: symmetricHalfLength,
      lookahead: symmetricHalfLength,
    };
  } else {
    const coefficients = new Float32Array(phases * tapsPerPhase);
    const prototype = new Float64Array(phases * tapsPerPhase);
    let sum = 0;
    for (let phase = 0; phase < phases; phase++) {
      const fraction = phase / phases;
      for (let i = 0; i < tapsPerPhase; i++) {
        prototype[phase * tapsPerPhase + i] = kernel(
          fraction + tapsHalf - 1 - i,
          cyclesPerSample,
          halfWidth,
          design.beta,
          i0Beta,
        );
        sum += prototype[phase * tapsPerPhase + i]!;
      }
    }
    // Unit DC gain on average over the phases. (Normalising each phase on its own would make a
    // constant come out exactly constant, but it modulates the gain from phase to phase, which
    // shows up as images 6 dB above the stopband.)
    const gain = sum / phases;
    for (let i = 0; i < prototype.length; i++) coefficients[i] = prototype[i]! / gain;
    filter = {
      phases,
      step,
      isSymmetric: false,
      symmetric: new Float32Array(0),
      symmetricHalfLength: 0,
      tapsPerPhase,
      coefficients,
      reach: tapsHalf - 1,
      lookahead: tapsHalf,
    };
  }
  cache.set(key, filter);
  return filter;
}
