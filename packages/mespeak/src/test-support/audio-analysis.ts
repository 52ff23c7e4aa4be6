/**
 * Measurements the tests use to check that synthesized audio is speech: level, pitch, spectrum.
 * Not part of the published package.
 *
 * @internal
 * @module
 */

/** RMS level of the samples in dB re full scale (−Infinity for digital silence). */
export function rmsDbfs(samples: Int16Array): number {
  let energy = 0;
  for (const value of samples) energy += value * value;
  return 10 * Math.log10(energy / Math.max(1, samples.length) / 32768 ** 2);
}

/** Windows louder than this (dBFS) are analysed for pitch and spectrum. */
const ACTIVE_DBFS = -40;

function activeWindows(samples: Int16Array, size: number, hop: number): Int16Array[] {
  const windows: Int16Array[] = [];
  for (let start = 0; start + size <= samples.length; start += hop) {
    const window = samples.subarray(start, start + size);
    if (rmsDbfs(window) > ACTIVE_DBFS) windows.push(window);
  }
  return windows;
}

/**
 * Median fundamental frequency (Hz) over the voiced 40 ms windows, by normalized autocorrelation
 * between 60 and 400 Hz; 0 when no window is clearly periodic.
 */
export function medianPitchHz(samples: Int16Array, sampleRate: number): number {
  const size = Math.round(sampleRate * 0.04);
  const minLag = Math.floor(sampleRate / 400);
  const maxLag = Math.ceil(sampleRate / 60);
  const pitches: number[] = [];
  for (const window of activeWindows(samples, size, Math.round(size / 2))) {
    let best = 0;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let product = 0;
      let energyA = 0;
      let energyB = 0;
      for (let i = 0; i + lag < window.length; i++) {
        const a = window[i]!;
        const b = window[i + lag]!;
        product += a * b;
        energyA += a * a;
        energyB += b * b;
      }
      const correlation = product / Math.sqrt(energyA * energyB || 1);
      if (correlation > best) {
        best = correlation;
        bestLag = lag;
      }
    }
    if (best > 0.6) pitches.push(sampleRate / bestLag);
  }
  if (pitches.length === 0) return 0;
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)]!;
}

/** Power spectrum of the active 1024-sample windows, summed (Hann window, radix-2 FFT). */
function powerSpectrum(samples: Int16Array): Float64Array {
  const size = 1024;
  const total = new Float64Array(size / 2);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (const window of activeWindows(samples, size, size / 2)) {
    for (let i = 0; i < size; i++) {
      re[i] = window[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < size / 2; k++) total[k]! += re[k]! ** 2 + im[k]! ** 2;
  }
  return total;
}

/** Share of the spectral energy between `lowHz` and `highHz`. */
export function bandEnergyRatio(
  samples: Int16Array,
  sampleRate: number,
  lowHz: number,
  highHz: number,
): number {
  const spectrum = powerSpectrum(samples);
  const binHz = sampleRate / (spectrum.length * 2);
  let band = 0;
  let all = 0;
  spectrum.forEach((power, k) => {
    all += power;
    if (k * binHz >= lowHz && k * binHz <= highHz) band += power;
  });
  return all === 0 ? 0 : band / all;
}

/** Spectral centroid in Hz over the active windows. */
export function spectralCentroidHz(samples: Int16Array, sampleRate: number): number {
  const spectrum = powerSpectrum(samples);
  const binHz = sampleRate / (spectrum.length * 2);
  let weighted = 0;
  let all = 0;
  spectrum.forEach((power, k) => {
    weighted += power * k * binHz;
    all += power;
  });
  return all === 0 ? 0 : weighted / all;
}

function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let length = 2; length <= n; length <<= 1) {
    const angle = (-2 * Math.PI) / length;
    for (let start = 0; start < n; start += length) {
      for (let k = 0; k < length / 2; k++) {
        const cos = Math.cos(angle * k);
        const sin = Math.sin(angle * k);
        const a = start + k;
        const b = a + length / 2;
        const tre = re[b]! * cos - im[b]! * sin;
        const tim = re[b]! * sin + im[b]! * cos;
        re[b] = re[a]! - tre;
        im[b] = im[a]! - tim;
        re[a]! += tre;
        im[a]! += tim;
      }
    }
  }
}

/**
 * Index of the first element where two sample arrays differ, the shorter length when one is a
 * prefix of the other, or −1 when they are identical (much faster than a deep `toEqual`).
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}
