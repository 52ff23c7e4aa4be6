/**
 * The inner loops of {@link StreamingResampler}. Each one reads one channel's float history and
 * writes rounded, saturated PCM16 into an interleaved output at a stride. They are kept small and
 * monomorphic (always `Float32Array` in, `Int16Array` out) so the JIT compiles them tightly.
 *
 * Both compute several outputs per pass over the coefficients (four outputs share each
 * coefficient load), which roughly halves the time per sample against one output at a time. Every
 * output sample is still computed by the same sequence of floating-point operations whichever
 * loop variant (group of four or single remainder) produces it, so chunking a stream differently
 * never changes a single bit.
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
 * Four outputs share each coefficient load.
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
 *
 * Outputs `i` and `i + phases` use the same coefficient row, `step` input samples apart, so the
 * loop goes phase by phase and computes up to four outputs of a phase per pass over its row.
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
  const outputStride = phases * stride;
  const lanes = Math.min(phases, count);
  // (s, p): start sample and phase of output `lane`, the first of the outputs sharing its row.
  let s = start;
  let p = phase;
  for (let lane = 0; lane < lanes; lane++) {
    const row = p * tapsPerPhase;
    let remaining = Math.floor((count - lane - 1) / phases) + 1;
    let s0 = s;
    let o = outputOffset + lane * stride;
    while (remaining >= 4) {
      const s1 = s0 + step;
      const s2 = s1 + step;
      const s3 = s2 + step;
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      for (let t = 0; t < tapsPerPhase; t++) {
        const tap = coefficients[row + t]!;
        a += tap * history[s0 + t]!;
        b += tap * history[s1 + t]!;
        c += tap * history[s2 + t]!;
        d += tap * history[s3 + t]!;
      }
      output[o] = toPcm16(a);
      output[o + outputStride] = toPcm16(b);
      output[o + 2 * outputStride] = toPcm16(c);
      output[o + 3 * outputStride] = toPcm16(d);
      s0 = s3 + step;
      o += 4 * outputStride;
      remaining -= 4;
    }
    while (remaining > 0) {
      let a = 0;
      for (let t = 0; t < tapsPerPhase; t++) a += coefficients[row + t]! * history[s0 + t]!;
      output[o] = toPcm16(a);
      s0 += step;
      o += outputStride;
      remaining--;
    }
    s += wholeStep;
    p += phaseStep;
    if (p >= phases) {
      p -= phases;
      s += 1;
    }
  }
}
