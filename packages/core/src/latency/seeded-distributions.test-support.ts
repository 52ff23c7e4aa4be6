/**
 * Seeded random samplers for the latency and governor property tests: a mulberry32 generator and
 * the latency shapes the tests draw from. Not exported from the package.
 * @internal
 * @module
 */

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a small, fast, seeded 32-bit generator (good enough for test sampling). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function standardNormal(random: Random): number {
  const u = 1 - random(); // (0, 1]
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The latency shapes of the property tests. */
export type LatencyDistribution =
  | { kind: 'uniform'; lowMs: number; highMs: number }
  | { kind: 'log-normal'; medianMs: number; sigma: number }
  | { kind: 'bimodal'; fastMedianMs: number; slowMedianMs: number; slowShare: number; sigma: number }
  | { kind: 'pareto'; scaleMs: number; shape: number };

/** Draws one sample of `distribution`. */
export function drawLatency(distribution: LatencyDistribution, random: Random): number {
  switch (distribution.kind) {
    case 'uniform':
      return distribution.lowMs + (distribution.highMs - distribution.lowMs) * random();
    case 'log-normal':
      return distribution.medianMs * Math.exp(distribution.sigma * standardNormal(random));
    case 'bimodal': {
      const medianMs =
        random() < distribution.slowShare ? distribution.slowMedianMs : distribution.fastMedianMs;
      return medianMs * Math.exp(distribution.sigma * standardNormal(random));
    }
    case 'pareto':
      return distribution.scaleMs / (1 - random()) ** (1 / distribution.shape);
  }
}

/** Draws `count` samples into a new array. */
export function drawLatencies(
  distribution: LatencyDistribution,
  count: number,
  random: Random,
): Float64Array {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) samples[i] = drawLatency(distribution, random);
  return samples;
}
