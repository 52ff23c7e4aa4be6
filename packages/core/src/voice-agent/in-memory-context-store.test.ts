import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createDialogueContext } from './dialogue-context';
import { InMemoryContextStore } from './in-memory-context-store';

describe('InMemoryContextStore', () => {
  it('expires a context ttlMs after its last write', async () => {
    const clock = createVirtualClock();
    const store = new InMemoryContextStore({ ttlMs: 1000, scheduler: clock.scheduler });
    await store.set(createDialogueContext('a'));
    clock.advanceTo(999);
    expect(await store.get('a')).toBeDefined();
    await store.update('a', (context) => context!); // a write renews the lease
    clock.advanceTo(1998);
    expect(await store.get('a')).toBeDefined();
    clock.advanceTo(1999);
    expect(await store.get('a')).toBeUndefined();
  });

  it('evicts the least recently used context past maxEntries', async () => {
    const store = new InMemoryContextStore({ maxEntries: 2 });
    await store.set(createDialogueContext('a'));
    await store.set(createDialogueContext('b'));
    await store.get('a'); // a is now more recent than b
    await store.set(createDialogueContext('c'));
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    expect(store.size).toBe(2);
  });

  it('serializes concurrent updates of one conversation so no turn is lost', async () => {
    const store = new InMemoryContextStore();
    const writers = Array.from({ length: 50 }, (_, index) =>
      store.update('shared', (context) => {
        const next = context ?? createDialogueContext('shared');
        next.turns.push({ role: 'user', text: `turn ${index}`, at: index });
        return next;
      }),
    );
    await Promise.all(writers);
    const context = await store.get('shared');
    expect(context!.turns.map((turn) => turn.text)).toEqual(
      Array.from({ length: 50 }, (_, index) => `turn ${index}`),
    );
  });

  it('hands out copies, keeps going after a failing updater, and validates options', async () => {
    const store = new InMemoryContextStore();
    await store.set(createDialogueContext('a'));
    const copy = await store.get('a');
    copy!.turns.push({ role: 'user', text: 'not stored', at: 0 });
    expect((await store.get('a'))!.turns).toEqual([]);
    await expect(
      store.update('a', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(store.update('a', () => createDialogueContext('other'))).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    );
    const after = await store.update('a', (context) => ({ ...context!, language: 'en' }));
    expect(after.language).toBe('en');
    after.language = 'fr';
    after.turns.push({ role: 'user', text: 'not stored either', at: 1 });
    expect(await store.get('a')).toMatchObject({ language: 'en', turns: [] });
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(() => new InMemoryContextStore({ ttlMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new InMemoryContextStore({ maxEntries: 0.5 })).toThrow(InvalidArgumentError);
  });
});
