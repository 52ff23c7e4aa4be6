import {
  createVirtualClock,
  InvalidArgumentError,
  NoWorkerAvailableError,
  WorkerRegistryClosedError,
  type WorkerRegistryEvent,
} from '@argentum/core';
import { describe, expect, it } from 'vitest';
import { InMemoryWorkerRegistry } from './in-memory-worker-registry';
import { LeastLoadedDispatcher } from './least-loaded-dispatcher';

function setup(ttlMs = 1000) {
  const clock = createVirtualClock();
  const registry = new InMemoryWorkerRegistry({ ttlMs, scheduler: clock.scheduler });
  const events: WorkerRegistryEvent[] = [];
  registry.watch().subscribe((event) => events.push(event));
  return { clock, registry, events };
}

describe('InMemoryWorkerRegistry', () => {
  it('lists registered workers sorted by id, with their load and time to expiry', async () => {
    const { clock, registry, events } = setup();
    await registry.register({ id: 'b', address: 'ws://b', capabilities: ['lang:en'], load: 2, capacity: 10 });
    await registry.register({ id: 'a', metadata: { region: 'eu' } });
    clock.advanceBy(250);
    expect(await registry.list()).toEqual([
      {
        id: 'a',
        address: undefined,
        capabilities: [],
        load: 0,
        capacity: undefined,
        metadata: { region: 'eu' },
        heartbeats: 0,
        expiresInMs: 750,
      },
      {
        id: 'b',
        address: 'ws://b',
        capabilities: ['lang:en'],
        load: 2,
        capacity: 10,
        metadata: {},
        heartbeats: 0,
        expiresInMs: 750,
      },
    ]);
    expect((await registry.list({ capabilities: ['lang:en'] })).map((worker) => worker.id)).toEqual(['b']);
    expect(
      events.map((event) => [event.type, event.type === 'worker-left' ? event.id : event.worker.id]),
    ).toEqual([
      ['worker-joined', 'b'],
      ['worker-joined', 'a'],
    ]);
  });

  it('expires a worker that stops heartbeating, exactly one TTL after its last heartbeat', async () => {
    const { clock, registry, events } = setup(1000);
    const handle = await registry.register({ id: 'w' });
    clock.advanceBy(900);
    await handle.heartbeat(5);
    clock.advanceBy(999);
    expect((await registry.list())[0]).toMatchObject({ id: 'w', load: 5, heartbeats: 1, expiresInMs: 1 });
    clock.advanceBy(1);
    expect(await registry.list()).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'worker-left', id: 'w', reason: 'expired', at: 1900 });
    await handle.heartbeat();
    expect(events.at(-1)).toMatchObject({
      type: 'worker-joined',
      worker: { id: 'w', load: 5, heartbeats: 2 },
    });
  });

  it('keeps a worker alive with keepAlive and stops when the handle closes', async () => {
    const { clock, registry, events } = setup(1000);
    let load = 1;
    const handle = await registry.register({ id: 'w' }, { keepAlive: { intervalMs: 300, load: () => load } });
    load = 7;
    clock.advanceBy(5000);
    expect((await registry.list())[0]).toMatchObject({ load: 7 });
    expect(events.filter((event) => event.type === 'worker-updated')).toHaveLength(16);
    await handle.close();
    expect(events.at(-1)).toEqual({ type: 'worker-left', id: 'w', reason: 'closed', at: 5000 });
    clock.advanceBy(5000);
    expect(await registry.list()).toEqual([]);
    expect(events.at(-1)?.type).toBe('worker-left');
  });

  it('rejects bad registrations and use after close', async () => {
    const { registry } = setup();
    await expect(registry.register({ id: '' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(registry.register({ id: 'x', load: -1 })).rejects.toThrow(/load/);
    await expect(registry.register({ id: 'x', capacity: 0 })).rejects.toThrow(/capacity/);
    const handle = await registry.register({ id: 'x' });
    let completed = false;
    registry.watch().subscribe({ complete: () => (completed = true) });
    await registry.close();
    expect(completed).toBe(true);
    await expect(handle.heartbeat()).rejects.toSatisfy(WorkerRegistryClosedError.isInstance);
    await expect(registry.register({ id: 'y' })).rejects.toSatisfy(WorkerRegistryClosedError.isInstance);
  });
});

describe('LeastLoadedDispatcher', () => {
  it('sends each new session to the least utilised live worker, counting its own dispatches between heartbeats', async () => {
    const { registry } = setup(10_000);
    await registry.register({ id: 'small', load: 1, capacity: 4 });
    await registry.register({ id: 'big', load: 4, capacity: 20 });
    const dispatcher = new LeastLoadedDispatcher(registry);
    const chosen: string[] = [];
    for (let i = 0; i < 6; i++) chosen.push((await dispatcher.dispatch()).id);
    // big: 4/20 → 5/20 … small: 1/4 = 0.25 ties big at 5/20; ids break ties.
    expect(chosen).toEqual(['big', 'big', 'small', 'big', 'big', 'big']);
  });

  it('skips full workers and excluded ones, and says so when none is left', async () => {
    const { registry } = setup(10_000);
    await registry.register({ id: 'a', load: 2, capacity: 2 });
    await registry.register({ id: 'b', load: 0, capacity: 1, capabilities: ['lang:de'] });
    const dispatcher = new LeastLoadedDispatcher(registry);
    await expect(dispatcher.dispatch({ exclude: ['b'] })).rejects.toSatisfy(
      NoWorkerAvailableError.isInstance,
    );
    expect((await dispatcher.dispatch({ capabilities: ['lang:de'] })).id).toBe('b');
    const error = await dispatcher.dispatch().catch((caught: unknown) => caught);
    expect(NoWorkerAvailableError.isInstance(error)).toBe(true);
    expect((error as NoWorkerAvailableError).candidates).toBe(2);
    await expect(dispatcher.dispatch({ capabilities: ['lang:ja'] })).rejects.toThrow(
      /No live worker with capabilities lang:ja/,
    );
  });

  it('routes new sessions away from a crashed worker once its entry expires', async () => {
    const { clock, registry, events } = setup(1000);
    const dispatcher = new LeastLoadedDispatcher(registry);
    const healthy = await registry.register({ id: 'healthy', load: 5 }, { keepAlive: { intervalMs: 300 } });
    await registry.register({ id: 'crashing', load: 0 });
    expect((await dispatcher.dispatch()).id).toBe('crashing');
    // 'crashing' never heartbeats again (the process died).
    clock.advanceBy(999);
    expect((await dispatcher.dispatch()).id).toBe('crashing');
    clock.advanceBy(1);
    expect(events.find((event) => event.type === 'worker-left')).toMatchObject({
      id: 'crashing',
      reason: 'expired',
      at: 1000,
    });
    for (let i = 0; i < 3; i++) expect((await dispatcher.dispatch()).id).toBe('healthy');
    await healthy.close();
    await expect(dispatcher.dispatch()).rejects.toSatisfy(NoWorkerAvailableError.isInstance);
  });
});
