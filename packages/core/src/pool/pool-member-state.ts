import type { Subscription } from 'rxjs';
import { SlidingWindowQuantile } from '../latency/sliding-window-quantile';
import { type CircuitState, initialCircuitState } from './circuit-breaker';
import type { PoolMemberCapabilities, PoolMemberOptions } from './pool-member';
import type { ProviderHealth } from './provider-health';

/** Weight of one outcome in the health score's moving average. */
const HEALTH_WEIGHT = 0.2;

/**
 * A request waiting for a member's model.
 * @internal
 */
export interface LoadWaiter<TModel> {
  ready(model: TModel): void;
  failed(error: unknown): void;
}

/**
 * The mutable runtime state of one pool member.
 * @internal
 */
export class PoolMemberState<TModel> {
  readonly id: string;
  readonly capabilities: PoolMemberCapabilities;
  readonly costPerRequest: number;
  readonly maxConcurrency: number;
  readonly latency: SlidingWindowQuantile;
  model: TModel | undefined;
  residency: 'absent' | 'loading' | 'resident' = 'absent';
  readonly loadWaiters = new Set<LoadWaiter<TModel>>();
  warmUp: Subscription | undefined;
  /** Bumped on every load start and unload, so a stale load result is recognised. */
  generation = 0;
  inFlight = 0;
  lastUsedAt: number | undefined;
  idleTimer: Subscription | undefined;
  halfOpenTimer: Subscription | undefined;
  circuit: CircuitState = initialCircuitState();
  successRate = 1;
  requests = 0;
  failures = 0;

  constructor(
    readonly options: PoolMemberOptions<TModel>,
    readonly index: number,
    latencyWindowSize: number,
    costPerRequest: number,
    maxConcurrency: number,
  ) {
    this.id = options.id;
    this.capabilities = options.capabilities ?? {};
    this.costPerRequest = costPerRequest;
    this.maxConcurrency = maxConcurrency;
    this.latency = new SlidingWindowQuantile({ windowSize: latencyWindowSize });
  }

  recordOutcome(success: boolean): void {
    this.requests += 1;
    if (!success) this.failures += 1;
    this.successRate = this.successRate * (1 - HEALTH_WEIGHT) + (success ? HEALTH_WEIGHT : 0);
  }

  health(): ProviderHealth {
    const circuitFactor =
      this.circuit.status === 'closed' ? 1 : this.circuit.status === 'half-open' ? 0.5 : 0;
    return {
      provider: this.id,
      index: this.index,
      resident: this.residency === 'resident',
      loading: this.residency === 'loading',
      inFlight: this.inFlight,
      maxConcurrency: this.maxConcurrency,
      circuit: this.circuit.status,
      circuitReopens: this.circuit.consecutiveReopens,
      healthScore: this.successRate * circuitFactor,
      p95Ms: this.latency.count === 0 ? undefined : this.latency.quantile(0.95),
      latencySamples: this.latency.count,
      costPerRequest: this.costPerRequest,
      requests: this.requests,
      failures: this.failures,
      consecutiveFailures: this.circuit.consecutiveFailures,
      lastUsedAt: this.lastUsedAt,
    };
  }
}
