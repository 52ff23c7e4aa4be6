/**
 * A small benchmark harness. Machines here are shared and noisy, so every measure runs ours and the
 * peer in the same process, alternating short rounds (A B A B …) and reporting the median round:
 * slow phases of the machine hit both sides alike, and the ratio is what we compare.
 */

/** One timed side of a comparison. */
export interface Side {
  /** Runs one round's worth of work and returns how many operations it did. */
  round(): number;
}

/** The result of one measure, as written to results/latest.json. */
export interface MeasureResult {
  /** Our time per operation in microseconds. */
  ours_us: number;
  /** The peer's time per operation in microseconds (null when the measure has no peer). */
  peer_us: number | null;
  /** ours / peer (null without a peer): below 1 means we are faster. */
  ratio: number | null;
  /** What one operation is. */
  unit: string;
  /** Our time per operation in nanoseconds, for measures too fast for µs to read well. */
  ours_ns?: number;
  /** Free-form notes (target, peer configuration). */
  note?: string;
}

export interface MeasureOptions {
  /** Rounds per side after warm-up. */
  rounds?: number;
  /** Minimum wall time of one round in ms (the round function is repeated until it is reached). */
  minRoundMs?: number;
  /** Warm-up time per side in ms. */
  warmupMs?: number;
}

function timeRound(side: Side, minRoundMs: number): number {
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    operations += side.round();
    elapsed = performance.now() - start;
  } while (elapsed < minRoundMs);
  return (elapsed * 1000) / operations;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function warmUp(side: Side, warmupMs: number): void {
  const start = performance.now();
  while (performance.now() - start < warmupMs) side.round();
}

/**
 * Measures ours against a peer (or alone) and returns µs per operation for both, and the ratio.
 */
export function compare(
  unit: string,
  ours: Side,
  peer: Side | null,
  options: MeasureOptions = {},
  note?: string,
): MeasureResult {
  const rounds = options.rounds ?? 15;
  const minRoundMs = options.minRoundMs ?? 20;
  const warmupMs = options.warmupMs ?? 200;
  warmUp(ours, warmupMs);
  if (peer) warmUp(peer, warmupMs);
  const oursTimes: number[] = [];
  const peerTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    oursTimes.push(timeRound(ours, minRoundMs));
    if (peer) peerTimes.push(timeRound(peer, minRoundMs));
  }
  const ours_us = median(oursTimes);
  const peer_us = peer ? median(peerTimes) : null;
  return {
    ours_us: round3(ours_us),
    peer_us: peer_us === null ? null : round3(peer_us),
    ratio: peer_us === null ? null : round3(ours_us / peer_us),
    unit,
    ...(note ? { note } : {}),
  };
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
