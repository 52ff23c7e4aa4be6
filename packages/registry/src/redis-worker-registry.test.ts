import { spawnSync } from 'node:child_process';
import {
  NoWorkerAvailableError,
  realtimeScheduler,
  WorkerRegistryClosedError,
  type WorkerRegistryEvent,
} from '@argentum/core';
import { createClient } from '@redis/client';
import { firstValueFrom, timer } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LeastLoadedDispatcher } from './least-loaded-dispatcher';
import { RedisWorkerRegistry } from './redis-worker-registry';
import { type RedisTestServer, startRedisTestServer } from './testing/index';

// These tests need a real redis-server (CI installs the Debian package in .ci/run and they must
// run there). Elsewhere they are skipped, loudly, when redis-server is not installed.
const installed = spawnSync('redis-server', ['--version']).error === undefined;
const skip = !installed && process.env.CI !== 'true';
if (skip)
  console.warn(
    'SKIPPED the Redis registry tests: redis-server is not on the PATH (apt-get install redis-server).',
  );
let server: RedisTestServer | undefined;

beforeAll(async () => {
  if (!skip) server = await startRedisTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const opened: RedisWorkerRegistry[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((registry) => registry.close()));
});

let prefixCount = 0;
async function connect(
  options: Parameters<typeof RedisWorkerRegistry.connect>[0] = {},
  prefix?: string,
): Promise<RedisWorkerRegistry> {
  const registry = await RedisWorkerRegistry.connect({
    url: server!.url,
    ...options,
    keyPrefix: prefix ?? `test-${prefixCount}:`,
  });
  opened.push(registry);
  return registry;
}
function freshPrefix(): string {
  prefixCount += 1;
  return `test-${prefixCount}:`;
}
const sleep = (ms: number) => firstValueFrom(timer(ms, realtimeScheduler));
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = realtimeScheduler.now();
  while (!(await condition())) {
    if (realtimeScheduler.now() - start > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

describe.skipIf(skip)('RedisWorkerRegistry against a real redis-server', () => {
  it('registers, lists with TTL, filters, heartbeats and closes, seen from another connection', async () => {
    const prefix = freshPrefix();
    const workerSide = await connect({ ttlMs: 5000 }, prefix);
    const dispatcherSide = await connect({ ttlMs: 5000 }, prefix);
    expect(dispatcherSide.expiryDetection).toBe('keyspace-notifications');
    const events: WorkerRegistryEvent[] = [];
    dispatcherSide.watch().subscribe((event) => events.push(event));
    const handle = await workerSide.register({
      id: 'voice-1',
      address: 'ws://10.0.0.5:8080',
      capabilities: ['lang:en'],
      capacity: 50,
    });
    await workerSide.register({ id: 'voice-0', capabilities: ['lang:de'] });
    const listed = await dispatcherSide.list();
    expect(listed.map((worker) => worker.id)).toEqual(['voice-0', 'voice-1']);
    expect(listed[1]).toMatchObject({ address: 'ws://10.0.0.5:8080', capacity: 50, load: 0, heartbeats: 0 });
    expect(listed[1]!.expiresInMs).toBeGreaterThan(4000);
    expect(listed[1]!.expiresInMs).toBeLessThanOrEqual(5000);
    expect((await dispatcherSide.list({ capabilities: ['lang:de'] })).map((worker) => worker.id)).toEqual([
      'voice-0',
    ]);
    await handle.heartbeat(12);
    expect((await dispatcherSide.list({ capabilities: ['lang:en'] }))[0]).toMatchObject({
      load: 12,
      heartbeats: 1,
    });
    await handle.close();
    await waitFor(() => events.some((event) => event.type === 'worker-left'));
    expect(
      events.map(
        (event) =>
          `${event.type}:${event.type === 'worker-left' ? `${event.id}:${event.reason}` : event.worker.id}`,
      ),
    ).toEqual([
      'worker-joined:voice-1',
      'worker-joined:voice-0',
      'worker-updated:voice-1',
      'worker-left:voice-1:closed',
    ]);
    expect((await dispatcherSide.list()).map((worker) => worker.id)).toEqual(['voice-0']);
  });

  it('a crashed worker (no heartbeat) expires and new sessions are routed elsewhere', async () => {
    const prefix = freshPrefix();
    const dispatcherSide = await connect({ ttlMs: 400 }, prefix);
    const events: WorkerRegistryEvent[] = [];
    dispatcherSide.watch().subscribe((event) => events.push(event));
    const healthyHost = await connect({ ttlMs: 400 }, prefix);
    await healthyHost.register(
      { id: 'healthy', load: 10, capacity: 100 },
      { keepAlive: { intervalMs: 100, load: () => 10 } },
    );
    const crashingHost = await connect({ ttlMs: 400 }, prefix);
    await crashingHost.register(
      { id: 'crashing', load: 0, capacity: 100 },
      { keepAlive: { intervalMs: 100, load: () => 0 } },
    );
    const dispatcher = new LeastLoadedDispatcher(dispatcherSide);
    expect((await dispatcher.dispatch()).id).toBe('crashing');
    await sleep(500); // both keep heartbeating: still there
    expect((await dispatcher.dispatch()).id).toBe('crashing');
    // The crashing host dies: its keep-alive stops and its connection drops, without deregistering.
    await crashingHost.close();
    const diedAt = realtimeScheduler.now();
    await waitFor(
      () => events.some((event) => event.type === 'worker-left' && event.id === 'crashing'),
      3000,
    );
    const left = events.find((event) => event.type === 'worker-left');
    expect(left).toMatchObject({ id: 'crashing', reason: 'expired' });
    expect(left!.at - diedAt).toBeLessThan(400 + 1000);
    for (let i = 0; i < 3; i++) expect((await dispatcher.dispatch()).id).toBe('healthy');
    expect((await dispatcherSide.list()).map((worker) => worker.id)).toEqual(['healthy']);
  });

  it('detects expiry by polling when keyspace notifications are not used, and reports no worker when all are gone', async () => {
    const prefix = freshPrefix();
    const registry = await connect({ ttlMs: 300, expiryDetection: 'polling', pollIntervalMs: 50 }, prefix);
    expect(registry.expiryDetection).toBe('polling');
    const events: WorkerRegistryEvent[] = [];
    registry.watch().subscribe((event) => events.push(event));
    await registry.register({ id: 'lonely' });
    await waitFor(() => events.some((event) => event.type === 'worker-left'), 3000);
    expect(events.at(-1)).toMatchObject({ type: 'worker-left', id: 'lonely', reason: 'expired' });
    await expect(new LeastLoadedDispatcher(registry).dispatch()).rejects.toSatisfy(
      NoWorkerAvailableError.isInstance,
    );
  });

  it('keeps the flags already set when enabling keyspace notifications, and keys expire in Redis itself', async () => {
    const admin = createClient({ url: server!.url });
    await admin.connect();
    try {
      await admin.configSet('notify-keyspace-events', 'Kg');
      const prefix = freshPrefix();
      const registry = await connect({ ttlMs: 200 }, prefix);
      const flags = (await admin.configGet('notify-keyspace-events'))['notify-keyspace-events'] ?? '';
      expect([...flags].sort().join('')).toBe([...'EKgx'].sort().join(''));
      await registry.register({ id: 'short' });
      expect(await admin.pTTL(`${prefix}worker:short`)).toBeGreaterThan(0);
      await sleep(300);
      expect(await admin.exists(`${prefix}worker:short`)).toBe(0);
    } finally {
      admin.destroy();
    }
  });

  it('refuses to work after close and completes watchers', async () => {
    const registry = await connect({ ttlMs: 1000 }, freshPrefix());
    let completed = false;
    registry.watch().subscribe({ complete: () => (completed = true) });
    await registry.close();
    expect(completed).toBe(true);
    await expect(registry.register({ id: 'late' })).rejects.toSatisfy(WorkerRegistryClosedError.isInstance);
    await expect(registry.list()).rejects.toSatisfy(WorkerRegistryClosedError.isInstance);
  });
});
