/**
 * `@argentum/registry/testing`: a throwaway local `redis-server` for testing apps that use the
 * Redis worker registry.
 *
 * @packageDocumentation
 */
export { type RedisTestServer, type RedisTestServerOptions, startRedisTestServer } from './redis-test-server';
