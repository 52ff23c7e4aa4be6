/**
 * Summary statistics of one latency stage, in milliseconds. Quantiles are lower sample quantiles
 * (see {@link QuantileReader}); with the default {@link QuantileSketch} they are within ±0.5 % of the
 * exact ones. Every field is `NaN` except `count` when the stage has no samples.
 *
 * @example
 * ```ts
 * const firstChunk: LatencyStageStats = profiler.stageStats('first-chunk');
 * if (firstChunk.count > 0) console.log(`p95 ${firstChunk.p95.toFixed(1)} ms over ${firstChunk.count} turns`);
 * ```
 */
export interface LatencyStageStats {
  /** How many samples the statistics cover. */
  count: number;
  /** Median, ms. */
  p50: number;
  /** 95th percentile, ms. */
  p95: number;
  /** 99th percentile, ms. */
  p99: number;
  /** Smallest sample, ms (exact). */
  min: number;
  /** Largest sample, ms (exact). */
  max: number;
  /** Arithmetic mean, ms (exact up to float rounding). */
  mean: number;
}

/**
 * How far beats landed from where they were planned: `drift = actualMs − plannedMs` per beat
 * (positive: late). All fields except the counts and `toleranceMs` are `NaN` before the first beat.
 *
 * @example
 * ```ts
 * const { drift } = profiler.stats();
 * console.log(`${drift.missCount}/${drift.count} beats off by more than ${drift.toleranceMs} ms`);
 * ```
 */
export interface DriftStats {
  /** How many beats were recorded. */
  count: number;
  /** Mean signed drift, ms: positive when beats land late on average. */
  meanDriftMs: number;
  /** Mean absolute drift, ms. */
  meanAbsoluteDriftMs: number;
  /** 95th percentile of the absolute drift, ms. */
  p95AbsoluteDriftMs: number;
  /** Largest absolute drift, ms. */
  maxAbsoluteDriftMs: number;
  /** Beats whose absolute drift exceeded `toleranceMs`. */
  missCount: number;
  /** The tolerance the misses were counted against, ms. */
  toleranceMs: number;
}

/**
 * A snapshot of a {@link LatencyProfiler}: per-stage latency statistics and beat drift, taken at
 * scheduler time `at`. Snapshots are immutable values; a new one is made after each change.
 *
 * @example
 * ```ts
 * const snapshot: LatencyProfilerStats = profiler.stats();
 * for (const [stage, stats] of Object.entries(snapshot.stages)) console.log(stage, stats.p95);
 * ```
 */
export interface LatencyProfilerStats {
  /** When the snapshot was taken, in scheduler milliseconds. */
  at: number;
  /** Statistics per stage name, in the order the stages were first recorded. */
  stages: Readonly<Record<string, LatencyStageStats>>;
  /** Beat drift statistics. */
  drift: DriftStats;
}
