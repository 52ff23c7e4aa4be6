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

  it('appends a copy of a turn in order with updates, keeps maxTurns, starts from init, renews the lease', async () => {
    const clock = createVirtualClock();
    const store = new InMemoryContextStore({ ttlMs: 1000, scheduler: clock.scheduler });
    const options = { maxTurns: 3, init: () => createDialogueContext('a', { systemPrompt: 'Be brief.' }) };
    const turn = { role: 'user' as const, text: 'three', at: 3 };
    const appended = store.appendTurn('a', { role: 'user', text: 'one', at: 1 }, options);
    const updated = store.update('a', (context) => {
      context!.turns.push({ role: 'agent', text: 'two', at: 2 });
      return context!;
    });
    const again = store.appendTurn('a', turn, options); // onto the stored context: still a copy
    await Promise.all([appended, updated, again]);
    turn.text = 'changed by the caller';
    const stored = await store.get('a');
    expect(stored?.systemPrompt).toBe('Be brief.');
    expect(stored?.turns.map((entry) => entry.text)).toEqual(['one', 'two', 'three']);
    await store.appendTurn('a', { role: 'agent', text: 'four', at: 4 }, options);
    expect((await store.get('a'))?.turns.map((entry) => entry.text)).toEqual(['two', 'three', 'four']);
    clock.advanceTo(999);
    await store.appendTurn('a', { role: 'user', text: 'five', at: 999 }, options); // renews the lease
    clock.advanceTo(1500);
    expect((await store.get('a'))?.turns.map((entry) => entry.text)).toEqual(['three', 'four', 'five']);
    clock.advanceTo(2000);
    await store.appendTurn('a', { role: 'user', text: 'after expiry', at: 2000 }, options);
    expect((await store.get('a'))?.turns.map((entry) => entry.text)).toEqual(['after expiry']);
  });

  it('rejects an append whose init is for another conversation, or a maxTurns below 1', async () => {
    const store = new InMemoryContextStore();
    const turn = { role: 'user' as const, text: 'hi', at: 0 };
    await expect(
      store.appendTurn('a', turn, { maxTurns: 10, init: () => createDialogueContext('b') }),
    ).rejects.toThrow(/returned a context for "b" while appending to "a"/);
    expect(() =>
      store.appendTurn('a', turn, { maxTurns: 0, init: () => createDialogueContext('a') }),
    ).toThrow(InvalidArgumentError);
    expect(store.size).toBe(0);
  });
});
