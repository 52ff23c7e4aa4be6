export {
  commitGuardMs,
  GuardBand,
  type GuardBandDecision,
  type GuardBandOptions,
  requiredSampleCount,
} from './guard-band';
export { FIRST_CHUNK_STAGE, LatencyProfiler, type LatencyProfilerOptions } from './latency-profiler';
export type { DriftStats, LatencyProfilerStats, LatencyStageStats } from './latency-stats';
export { type MeasureFirstEmissionOptions, measureFirstEmission } from './measure-first-emission';
export type { QuantileEstimator, QuantileReader } from './quantile-estimator';
export { QuantileSketch, type QuantileSketchOptions } from './quantile-sketch';
export { SlidingWindowQuantile, type SlidingWindowQuantileOptions } from './sliding-window-quantile';
