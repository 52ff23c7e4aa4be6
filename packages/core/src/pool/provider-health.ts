import type { CircuitStatus } from './circuit-breaker';

/**
 * A snapshot of one pool member: residency, load, circuit, latency and health. The pool's
 * `health$` emits arrays of these; routing policies compare them.
 *
 * `healthScore` is in 0..1: an exponentially weighted success rate (each outcome weighs 0.2,
 * starting from 1), times 0 while the circuit is open and 0.5 while it is half-open.
 *
 * @example
 * ```ts
 * pool.health$.subscribe((members) => {
 *   for (const member of members) console.log(member.provider, member.circuit, member.healthScore.toFixed(2));
 * });
 * ```
 */
export interface ProviderHealth {
  /** The member's id. */
  provider: string;
  /** Its position in the pool's `members` (0 = first); the final tie-break of every routing policy. */
  index: number;
  /** Whether its model is loaded. */
  resident: boolean;
  /** Whether its model is being created or warmed up. */
  loading: boolean;
  /** Requests it is serving now (including those waiting for it to load). */
  inFlight: number;
  /** Its concurrency limit (`Infinity` when unlimited). */
  maxConcurrency: number;
  /** Its circuit breaker's status. */
  circuit: CircuitStatus;
  /**
   * Failed probes since its circuit last closed: how far the open period has backed off (0 while
   * closed or in the first open period).
   */
  circuitReopens: number;
  /** 0..1, see above. */
  healthScore: number;
  /** p95 of its recent first-event latencies in ms, `undefined` before the first sample. */
  p95Ms: number | undefined;
  /** How many latency samples the p95 covers. */
  latencySamples: number;
  /** Its relative cost per request. */
  costPerRequest: number;
  /** Requests it finished (successes and failures). */
  requests: number;
  /** Requests (and loads) that failed. */
  failures: number;
  /** Failures since its last success. */
  consecutiveFailures: number;
  /** When it last finished a request, scheduler ms (`undefined` if never used). */
  lastUsedAt: number | undefined;
}
