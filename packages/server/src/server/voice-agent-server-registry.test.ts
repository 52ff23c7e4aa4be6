import {
  createEchoAgent,
  createVirtualClock,
  NoWorkerAvailableError,
  type VirtualClock,
  type WorkerHandle,
  type WorkerRegistry,
  type WorkerRegistryEvent,
} from '@argentum/core';
import { InMemoryWorkerRegistry, LeastLoadedDispatcher } from '@argentum/registry';
import { filter, firstValueFrom, interval } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../internal/test-client.test-support';
import { createScriptedStt } from '../testing/scripted-stt';
import { createToneTts } from '../testing/tone-tts';
import { defineAgent } from './server-agent';
import type { ServerEvent } from './server-events';
import { createVoiceAgentServer, type VoiceAgentServer } from './voice-agent-server';

const PATH = '/v1/convai/conversation?agent_id=echo';
const servers: VoiceAgentServer[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close({ drainTimeoutMs: 10 })));
});

async function startWorker(registry: WorkerRegistry, id: string, capacity = 10) {
  const server = createVoiceAgentServer({
    agents: {
      echo: defineAgent({
        agents: createEchoAgent(),
        stt: createScriptedStt({ transcripts: ['hello'], latencyMs: 20 }),
        tts: createToneTts({ msPerWord: 100 }),
      }),
    },
    registry,
    worker: { id, capabilities: ['lang:en'], capacity, heartbeatIntervalMs: 1000 },
  });
  servers.push(server);
  const events: ServerEvent[] = [];
  server.events.subscribe((event) => events.push(event));
  const { url } = await server.listen();
  return { server, url, events };
}

/** Opens a conversation on the worker the dispatcher chose; returns the worker's id. */
async function openSession(dispatcher: LeastLoadedDispatcher): Promise<string> {
  const worker = await dispatcher.dispatch({ capabilities: ['lang:en'] });
  clients.push(await TestClient.connect(`${worker.address}${PATH}`));
  return worker.id;
}

/** A registry whose workers' heartbeat loops can die (a crashed process), on a virtual clock. */
function crashableRegistry(inner: WorkerRegistry, clock: VirtualClock) {
  const crashed = new Set<string>();
  const registry: WorkerRegistry = {
    ttlMs: inner.ttlMs,
    list: (filter) => inner.list(filter),
    watch: () => inner.watch(),
    close: () => inner.close(),
    register: async (registration, options) => {
      const handle = await inner.register(registration);
      const keepAlive = options?.keepAlive;
      const beats =
        keepAlive === undefined
          ? undefined
          : interval(keepAlive.intervalMs, clock.scheduler).subscribe(() => {
              if (!crashed.has(registration.id)) void handle.heartbeat(keepAlive.load?.());
            });
      const wrapped: WorkerHandle = {
        id: handle.id,
        heartbeat: (load) => handle.heartbeat(load),
        close: async () => {
          beats?.unsubscribe();
          await handle.close();
        },
      };
      return wrapped;
    },
  };
  return { registry, crash: (id: string) => crashed.add(id) };
}

describe('voice-agent server in a worker registry', () => {
  it('registers on listen with live load, is dispatched least-loaded, and leaves the registry before draining', async () => {
    const clock = createVirtualClock();
    const registry = new InMemoryWorkerRegistry({ ttlMs: 3000, scheduler: clock.scheduler });
    const dispatcher = new LeastLoadedDispatcher(registry);
    const a = await startWorker(registry, 'voice-a');
    const b = await startWorker(registry, 'voice-b');
    expect(a.server.workerId).toBe('voice-a');
    expect(a.events.map((event) => event.type)).toEqual(['listening', 'worker-registered']);

    const listed = await registry.list();
    expect(listed.map((worker) => [worker.id, worker.address, worker.load, worker.capacity])).toEqual([
      ['voice-a', a.url, 0, 10],
      ['voice-b', b.url, 0, 10],
    ]);
    expect(listed[0]!.capabilities).toEqual(['lang:en']);

    // Three sessions spread over both (ties go to the lowest id), and really land there.
    expect([
      await openSession(dispatcher),
      await openSession(dispatcher),
      await openSession(dispatcher),
    ]).toEqual(['voice-a', 'voice-b', 'voice-a']);
    expect([a.server.connectionCount, b.server.connectionCount]).toEqual([2, 1]);

    // The next heartbeat reports the live conversation counts as load.
    clock.advanceBy(1000);
    await Promise.resolve();
    expect((await registry.list()).map((worker) => [worker.id, worker.load])).toEqual([
      ['voice-a', 2],
      ['voice-b', 1],
    ]);
    // B's conversation ends; after the next heartbeat B is the least loaded by far.
    const ended = firstValueFrom(b.server.events.pipe(filter((event) => event.type === 'conversation-end')));
    clients[1]!.close();
    await ended;
    expect(b.server.connectionCount).toBe(0);
    clock.advanceBy(1000);
    await Promise.resolve();
    expect(await openSession(dispatcher)).toBe('voice-b');
    expect(await openSession(dispatcher)).toBe('voice-b');

    // A closes: its entry goes first — while its conversations are still open — then it drains.
    let openAtDeparture: number | undefined;
    registry.watch().subscribe((event: WorkerRegistryEvent) => {
      if (event.type === 'worker-left' && event.id === 'voice-a') openAtDeparture = a.server.connectionCount;
    });
    await a.server.close({ drainTimeoutMs: 50 });
    expect(openAtDeparture).toBe(2);
    expect(a.events.findIndex((event) => event.type === 'worker-deregistered')).toBeLessThan(
      a.events.findIndex((event) => event.type === 'shutdown'),
    );
    expect((await registry.list()).map((worker) => worker.id)).toEqual(['voice-b']);
    expect(await openSession(dispatcher)).toBe('voice-b');
    expect(await openSession(dispatcher)).toBe('voice-b');
    await registry.close();
  });

  it('routes around a worker that stops heartbeating once its entry expires', async () => {
    const clock = createVirtualClock();
    const inner = new InMemoryWorkerRegistry({ ttlMs: 3000, scheduler: clock.scheduler });
    const { registry, crash } = crashableRegistry(inner, clock);
    const dispatcher = new LeastLoadedDispatcher(registry);
    await startWorker(registry, 'voice-a');
    const b = await startWorker(registry, 'voice-b');
    const departures: WorkerRegistryEvent[] = [];
    registry.watch().subscribe((event) => {
      if (event.type === 'worker-left') departures.push(event);
    });

    expect(await openSession(dispatcher)).toBe('voice-a');
    crash('voice-a'); // its process hangs: no more heartbeats
    clock.advanceBy(2000);
    await Promise.resolve();
    // Still within the TTL: A is listed (B, less loaded, gets the session).
    expect((await registry.list()).map((worker) => worker.id)).toEqual(['voice-a', 'voice-b']);
    expect(await openSession(dispatcher)).toBe('voice-b');

    clock.advanceBy(1500); // 3.5 s after A's last heartbeat at 0 ms: expired
    await Promise.resolve();
    expect(departures).toEqual([{ type: 'worker-left', id: 'voice-a', reason: 'expired', at: 3000 }]);
    expect((await registry.list()).map((worker) => worker.id)).toEqual(['voice-b']);
    for (let session = 0; session < 3; session++) expect(await openSession(dispatcher)).toBe('voice-b');
    expect(b.server.connectionCount).toBe(4);
    // Without B there is no live worker: the dead one is never chosen.
    await expect(dispatcher.dispatch({ exclude: ['voice-b'] })).rejects.toSatisfy((error) =>
      NoWorkerAvailableError.isInstance(error),
    );
    await registry.close();
  });

  it('rejects a heartbeat interval at or over the registry TTL', () => {
    const registry = new InMemoryWorkerRegistry({ ttlMs: 3000 });
    expect(() =>
      createVoiceAgentServer({
        agents: {
          echo: defineAgent({ agents: createEchoAgent(), stt: createScriptedStt({ transcripts: [] }) }),
        },
        registry,
        worker: { heartbeatIntervalMs: 3000 },
      }),
    ).toThrow(/heartbeatIntervalMs.*less than the registry's TTL/);
  });
});
