/**
 * The inner loops of {@link StreamingResampler}. Each one reads one channel's float history and
 * writes rounded, saturated PCM16 into an interleaved output at a stride. They are kept small and
 * monomorphic (always `Float32Array` in, `Int16Array` out) so the JIT compiles them tightly.
 *
 * Every output sample is computed by the same sequence of floating-point operations whichever
 * loop variant produces it, so chunking a stream differently never changes a single bit.
 *
 * @internal
 * @module
 */

/** Rounds to the nearest integer and saturates to the PCM16 range. */
function toPcm16(value: number): number {
  const rounded = Math.round(value);
  return rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded;
}

/**
 * Integer decimation with a symmetric kernel: output `i` is centred on `history[center + i·step]`.
 * Two outputs share each coefficient load.
 * @internal
 */
export function decimateSymmetric(
  history: Float32Array,
  center: number,
  step: number,
  taps: Float32Array,
  halfLength: number,
  output: Int16Array,
  outputOffset: number,
  stride: number,
  count: number,
): void {
  const centerTap = taps[0]!;
  let m0 = center;
  let o = outputOffset;
  let remaining = count;
  while (remaining >= 4) {
    const m1 = m0 + step;
    const m2 = m1 + step;
    const m3 = m2 + step;
    let a = centerTap * history[m0]!;
    let b = centerTap * history[m1]!;
    let c = centerTap * history[m2]!;
    let d = centerTap * history[m3]!;
    for (let j = 1; j <= halfLength; j++) {
      const tap = taps[j]!;
      a += tap * (history[m0 - j]! + history[m0 + j]!);
      b += tap * (history[m1 - j]! + history[m1 + j]!);
      c += tap * (history[m2 - j]! + history[m2 + j]!);
      d += tap * (history[m3 - j]! + history[m3 + j]!);
    }
    output[o] = toPcm16(a);
    output[o + stride] = toPcm16(b);
    output[o + 2 * stride] = toPcm16(c);
    output[o + 3 * stride] = toPcm16(d);
    m0 = m3 + step;
    o += 4 * stride;
    remaining -= 4;
  }
  while (remaining > 0) {
    let a = centerTap * history[m0]!;
    for (let j = 1; j <= halfLength; j++) {
      a += taps[j]! * (history[m0 - j]! + history[m0 + j]!);
    }
    output[o] = toPcm16(a);
    m0 += step;
    o += stride;
    remaining--;
  }
}

/**
 * General polyphase interpolation: output `i` uses phase `(phase + i·step) mod phases` and the
 * `tapsPerPhase` samples starting at `start` (advanced by whole input samples as phases wrap).
 * @internal
 */
export function interpolatePolyphase(
  history: Float32Array,
  start: number,
  phase: number,
  phases: number,
  step: number,
  coefficients: Float32Array,
  tapsPerPhase: number,
  output: Int16Array,
  outputOffset: number,
  stride: number,
  count: number,
): void {
  const wholeStep = Math.floor(step / phases);
  const phaseStep = step - wholeStep * phases;
  let s = start;
  let p = phase;
  let o = outputOffset;
  for (let i = 0; i < count; i++) {
    const row = p * tapsPerPhase;
    let even = 0;
    let odd = 0;
    for (let t = 0; t < tapsPerPhase; t += 2) {
      even += coefficients[row + t]! * history[s + t]!;
      odd += coefficients[row + t + 1]! * history[s + t + 1]!;
    }
    output[o] = toPcm16(even + odd);
    o += stride;
    s += wholeStep;
    p += phaseStep;
    if (p >= phases) {
      p -= phases;
      s += 1;
    }
  }
}
