import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyData } from './copy-data';

/** Whether `copy` shares no object with `original` (walking both in step). */
function sharesNothing(original: unknown, copy: unknown): boolean {
  if (typeof original !== 'object' || original === null) return true;
  if (original === copy) return false;
  return Object.keys(original).every((key) =>
    sharesNothing((original as Record<string, unknown>)[key], (copy as Record<string, unknown>)[key]),
  );
}

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
    const turn = fc.record(
      {
        role: fc.constantFrom('user', 'agent', 'tool'),
        text: fc.string(),
        at: fc.double({ noNaN: true }),
        agent: fc.string(),
        interrupted: fc.boolean(),
      },
      { requiredKeys: ['role', 'text', 'at'] },
    );
    const context = fc.record({
      conversationId: fc.string({ minLength: 1 }),
      turns: fc.array(turn, { maxLength: 120 }),
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
