/**
 * `@argentum/registry`: where voice-agent workers announce themselves — register with
 * capabilities and load, heartbeat, expire after a TTL, list and watch — in memory or on Redis,
 * and a least-loaded dispatcher that routes new sessions to live workers.
 *
 * @packageDocumentation
 */
export { InMemoryWorkerRegistry, type InMemoryWorkerRegistryOptions } from './in-memory-worker-registry';
export { type DispatchRequirements, LeastLoadedDispatcher } from './least-loaded-dispatcher';
export {
  type ExpiryDetection,
  RedisWorkerRegistry,
  type RedisWorkerRegistryOptions,
} from './redis-worker-registry';
