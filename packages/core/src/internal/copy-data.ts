/** Deeper than this, the rest of a value is copied by `structuredClone` (which also ends cycles). */
const MAX_PLAIN_DEPTH = 32;

/**
 * A deep copy of plain data — primitives, arrays, objects whose prototype is `Object.prototype` or
 * `null` — made directly, and of anything else (a `Date`, a `Map`, a typed array, a cycle deeper
 * than 32 levels) by `structuredClone`, which also refuses what cannot be copied (a function) with
 * its `DataCloneError`. For the JSON-like data of a dialogue context this gives what
 * `structuredClone` gives, about four times faster: `structuredClone` serializes the whole value and
 * parses it back. Unlike `structuredClone`, an object reached twice is copied twice.
 * @internal
 */
export function copyData<T>(value: T): T {
  return copyAt(value, 0) as T;
}

function copyAt(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' ? structuredClone(value) : value;
  }
  if (depth > MAX_PLAIN_DEPTH) return structuredClone(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return structuredClone(value);
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      if (index in value) copy[index] = copyAt(value[index], depth + 1); // holes stay holes
    }
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {}; // as from structuredClone: an ordinary object
  for (const key of Object.keys(value)) {
    const field = copyAt((value as Record<string, unknown>)[key], depth + 1);
    // An own "__proto__" (JSON.parse makes one) stays a field; assigning it would set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: field,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = field;
    }
  }
  return copy;
}
