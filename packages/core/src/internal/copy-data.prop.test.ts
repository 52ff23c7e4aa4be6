import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyData, copyDataReusing } from './copy-data';

/** Whether `copy` shares no object with `original` (walking both in step). */
function sharesNothing(original: unknown, copy: unknown): boolean {
  if (typeof original !== 'object' || original === null) return true;
  if (original === copy) return false;
  return Object.keys(original).every((key) =>
    sharesNothing((original as Record<string, unknown>)[key], (copy as Record<string, unknown>)[key]),
  );
}

/** Every object of `copy` that is not in `previous` (by identity), counted. */
function newObjects(copy: unknown, previous: Set<unknown>): number {
  if (typeof copy !== 'object' || copy === null || previous.has(copy)) return 0;
  return 1 + Object.values(copy).reduce<number>((sum, field) => sum + newObjects(field, previous), 0);
}

function objectsOf(value: unknown, into = new Set<unknown>()): Set<unknown> {
  if (typeof value === 'object' && value !== null && !into.has(value)) {
    into.add(value);
    for (const field of Object.values(value)) objectsOf(field, into);
  }
  return into;
}

const dialogueTurn = fc.record(
  {
    role: fc.constantFrom('user', 'agent', 'tool'),
    text: fc.string(),
    at: fc.double(),
    agent: fc.string(),
    interrupted: fc.boolean(),
  },
  { requiredKeys: ['role', 'text', 'at'] },
);

describe('copyData', () => {
  // 500 runs: any JSON value up to 6 levels deep copies to an equal value that shares no object,
  // and equals what structuredClone makes.
  it('copies JSON-like data like structuredClone, sharing nothing', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const copy = copyData(value);
        expect(copy).toStrictEqual(structuredClone(value));
        expect(sharesNothing(value, copy)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  // 200 runs: dialogue contexts of 0–120 turns with optional fields.
  it('copies dialogue contexts exactly', () => {
    const context = fc.record({
      conversationId: fc.string({ minLength: 1 }),
      turns: fc.array(dialogueTurn, { maxLength: 120 }),
      contextualUpdates: fc.array(fc.string()),
      variables: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
    });
    fc.assert(
      fc.property(context, (value) => {
        const copy = copyData(value);
        expect(copy).toStrictEqual(structuredClone(value));
        expect(sharesNothing(value, copy)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves anything but plain objects and arrays to structuredClone', () => {
    const value = {
      at: new Date(5),
      seen: new Map([['a', 1]]),
      bytes: new Uint8Array([1, 2]),
      list: [new Set([1])],
    };
    const copy = copyData(value);
    expect(copy).toStrictEqual(structuredClone(value));
    expect(copy.at).not.toBe(value.at);
    expect(copy.seen).not.toBe(value.seen);
    expect(() => copyData({ call: () => 1 })).toThrow(DOMException);
  });

  it('keeps an own "__proto__" a field, array holes holes, and ends cycles', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = copyData(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const holes = copyData([1, , 3]);
    expect(1 in holes).toBe(false);
    const cyclic: { name: string; self?: unknown } = { name: 'loop' };
    cyclic.self = cyclic;
    let walk = copyData(cyclic) as { name: string; self?: unknown };
    for (let depth = 0; depth < 50; depth++) walk = walk.self as typeof walk;
    expect(walk.name).toBe('loop');
  });
});

describe('copyDataReusing', () => {
  // 1000 runs: against any earlier copy (of a related or an unrelated value), the result is what
  // copyData makes — the same value, keys in the same order — and shares no object with the value.
  it('makes what copyData makes, whatever it reuses', () => {
    const json = fc.jsonValue({ maxDepth: 5 });
    const pair = fc.oneof(
      fc.tuple(json, json),
      // Related values: the second is the first with a change somewhere.
      json.chain((value) =>
        fc.tuple(fc.constant(value), fc.constant(value), json).map(([a, _b, c]) => {
          const changed = structuredClone(a) as unknown;
          if (Array.isArray(changed)) changed.push(c);
          else if (typeof changed === 'object' && changed !== null)
            (changed as Record<string, unknown>).extra = c;
          return [changed, a] as const;
        }),
      ),
    );
    fc.assert(
      fc.property(pair, ([value, earlier]) => {
        const previous = copyData(earlier);
        const copy = copyDataReusing(value, previous);
        expect(copy).toStrictEqual(copyData(value));
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        expect(sharesNothing(value, copy)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  // 300 runs: a dialogue after k more turns and trimmed to its cap allocates only the new turns
  // and the new list (and the context object): every unchanged turn is the stored one.
  it('copies only the turns a dialogue gained', () => {
    const history = fc.record({
      turns: fc.array(dialogueTurn, { maxLength: 120 }),
      added: fc.array(dialogueTurn, { maxLength: 3 }),
      cap: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(history, ({ turns: drawn, added: drawnAdded, cap }) => {
        // Turns are told apart by their time, as a dialogue's are.
        const turns = drawn.map((turn, index) => ({ ...turn, at: index }));
        const added = drawnAdded.map((turn, index) => ({ ...turn, at: turns.length + index }));
        const stored = copyData({ conversationId: 'c', turns, contextualUpdates: [], variables: {} });
        const next = copyData(stored);
        next.turns.push(...added);
        if (next.turns.length > cap) next.turns.splice(0, next.turns.length - cap);
        const copy = copyDataReusing(next, stored);
        expect(copy).toStrictEqual(copyData(next));
        expect(sharesNothing(next, copy)).toBe(true);
        // New: the context and its list when the list changed, and the added turns still in it.
        const addedKept = Math.min(added.length, next.turns.length);
        const listChanged = addedKept > 0 || next.turns.length !== turns.length;
        expect(newObjects(copy, objectsOf(stored))).toBe((listChanged ? 2 : 0) + addedKept);
      }),
      { numRuns: 300 },
    );
  });

  it('never reuses what copyData leaves to structuredClone, nor a differently ordered object', () => {
    const previous = copyData({ at: { a: 1, b: 2 }, when: [1, 2] });
    const reordered = copyDataReusing({ at: { b: 2, a: 1 }, when: [1, 2] }, previous);
    expect(Object.keys(reordered.at)).toEqual(['b', 'a']);
    expect(reordered.at).not.toBe(previous.at);
    expect(reordered.when).toBe(previous.when);
    const withDate = copyDataReusing({ at: new Date(5) }, { at: new Date(5) });
    expect(withDate.at).toBeInstanceOf(Date);
    expect(copyDataReusing(-0, 0)).toBe(-0);
    expect(copyDataReusing([Number.NaN], [Number.NaN])).toEqual([Number.NaN]);
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const holes = copyDataReusing([1, , 3], copyData([1, undefined, 3]));
    expect(1 in holes).toBe(false);
  });
});
