export {
  type CircuitBreakerOptions,
  type CircuitEffect,
  type CircuitEvent,
  type CircuitState,
  type CircuitStatus,
  type CircuitTransition,
  InvalidCircuitTransitionError,
  initialCircuitState,
  type ResolvedCircuitBreakerOptions,
  reduceCircuitBreaker,
  resolveCircuitBreakerOptions,
} from './circuit-breaker';
export {
  NoMatchingProviderError,
  type PoolAttempt,
  PoolDisposedError,
  PoolRequestFailedError,
  type PoolSkipReason,
  type RejectedProvider,
} from './pool-errors';
export type {
  AttemptFailedEvent,
  AttemptStartEvent,
  CircuitClosedEvent,
  CircuitHalfOpenedEvent,
  CircuitOpenedEvent,
  LatencyBudgetBreachedEvent,
  PoolEvent,
  PoolEventBase,
  ProviderLoadedEvent,
  ProviderLoadFailedEvent,
  ProviderLoadingEvent,
  ProviderUnloadedEvent,
  RequestFailedEvent,
  RequestServedEvent,
} from './pool-events';
export type { PoolMemberCapabilities, PoolMemberOptions, PoolRequirements } from './pool-member';
export type { PoolAttemptContext, PoolCall, PoolRequest } from './pool-request';
export { createPooledLlmModel, type PooledLlmModelOptions } from './pooled-llm-model';
export { createPooledSttModel, type PooledSttModelOptions } from './pooled-stt-model';
export { createPooledTtsModel, type PooledTtsModelOptions } from './pooled-tts-model';
export type { ProviderHealth } from './provider-health';
export { ProviderPool, type ProviderPoolOptions } from './provider-pool';
export {
  combineRouting,
  declaredOrderRouting,
  healthiestRouting,
  leastBusyRouting,
  lowestCostRouting,
  lowestLatencyRouting,
  preferResidentRouting,
  type RoutingPolicy,
} from './routing-policy';
export type {
  RegisterOptions,
  WorkerFilter,
  WorkerHandle,
  WorkerInfo,
  WorkerRegistration,
  WorkerRegistry,
  WorkerRegistryEvent,
} from './worker-registry';
export { NoWorkerAvailableError, WorkerRegistryClosedError } from './worker-registry-errors';
