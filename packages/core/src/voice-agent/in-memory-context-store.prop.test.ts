import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { createDialogueContext } from './dialogue-context';
import { InMemoryContextStore } from './in-memory-context-store';

type Operation =
  | { kind: 'set' | 'get' | 'update' | 'append' | 'delete'; id: string }
  | { kind: 'sweep' }
  | { kind: 'advance'; ms: number };

const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e');
/** The cap `append` steps keep turns under (updates do not trim). */
const MAX_TURNS = 3;
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('set', 'get', 'update', 'append', 'delete') as fc.Arbitrary<'set'>,
      id: ids,
    }),
    weight: 8,
  },
  { arbitrary: fc.constant({ kind: 'sweep' } as const), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }),
    weight: 2,
  },
);

/**
 * The reference: a `Map` whose insertion order is the recency order (a use deletes and re-inserts
 * the key), each context reduced to its number of turns.
 */
class ModelStore {
  readonly entries = new Map<string, { turns: number; expiresAt: number }>();
  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
    readonly now: () => number,
  ) {}
  read(id: string) {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(id, entry);
    return entry;
  }
  write(id: string, turns: number): void {
    this.entries.delete(id);
    this.entries.set(id, { turns, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

describe('InMemoryContextStore against a reference LRU (model-based)', () => {
  it('keeps, expires and evicts exactly the contexts the reference does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 100, max: 1000 }),
        fc.array(operation, { minLength: 10, maxLength: 80, size: 'max' }),
        async (maxEntries, ttlMs, operations) => {
          const clock = createVirtualClock();
          const store = new InMemoryContextStore({ ttlMs, maxEntries, scheduler: clock.scheduler });
          const model = new ModelStore(ttlMs, maxEntries, () => clock.scheduler.now());
          for (const step of operations) {
            switch (step.kind) {
              case 'set':
                await store.set(createDialogueContext(step.id));
                model.write(step.id, 0);
                break;
              case 'get': {
                const expected = model.read(step.id)?.turns;
                const context = await store.get(step.id);
                expect(context?.turns.length).toBe(expected);
                // Turns stay in the order they were added, whichever way.
                const times = context?.turns.map((turn) => turn.at) ?? [];
                expect(times).toEqual([...times].sort((a, b) => a - b));
                break;
              }
              case 'update': {
                const turns = (model.read(step.id)?.turns ?? 0) + 1;
                model.write(step.id, turns);
                const updated = await store.update(step.id, (context) => {
                  const next = context ?? createDialogueContext(step.id);
                  next.turns.push({ role: 'user', text: `turn ${turns}`, at: clock.scheduler.now() });
                  return next;
                });
                expect(updated.turns).toHaveLength(turns);
                break;
              }
              case 'append': {
                // At most MAX_TURNS kept: the oldest go first.
                const turns = Math.min(MAX_TURNS, (model.read(step.id)?.turns ?? 0) + 1);
                model.write(step.id, turns);
                await store.appendTurn(
                  step.id,
                  { role: 'agent', text: `appended at ${clock.scheduler.now()}`, at: clock.scheduler.now() },
                  { maxTurns: MAX_TURNS, init: () => createDialogueContext(step.id) },
                );
                break;
              }
              case 'delete': {
                const live = model.read(step.id) !== undefined;
                model.entries.delete(step.id);
                expect(await store.delete(step.id)).toBe(live);
                break;
              }
              case 'sweep': {
                const expired = [...model.entries].filter(
                  ([, entry]) => entry.expiresAt <= clock.scheduler.now(),
                );
                for (const [id] of expired) model.entries.delete(id);
                expect(store.sweep()).toBe(expired.length);
                break;
              }
              case 'advance':
                clock.advanceBy(step.ms);
                break;
            }
            expect(store.size).toBe(model.entries.size);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
