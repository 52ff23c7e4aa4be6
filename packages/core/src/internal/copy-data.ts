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
    if (!isPlainArray(value)) return structuredClone(value);
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      if (index in value) copy[index] = copyAt(value[index], depth + 1); // holes stay holes
    }
    return copy;
  }
  if (!isPlainObject(value)) return structuredClone(value);
  const copy: Record<string, unknown> = {}; // as from structuredClone: an ordinary object
  for (const key of Object.keys(value)) {
    setField(copy, key, copyAt((value as Record<string, unknown>)[key], depth + 1));
  }
  return copy;
}

/** Sets `copy[key]`; an own "__proto__" (JSON.parse makes one) stays a field: assigning it would set the prototype. */
function setField(copy: Record<string, unknown>, key: string, field: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(copy, key, { value: field, enumerable: true, writable: true, configurable: true });
  } else {
    copy[key] = field;
  }
}

/**
 * {@link copyData} of `value` that reuses the parts of `previous` — an earlier copy that nobody
 * else holds or changes — equal to the matching parts of `value`: an unchanged turn of a dialogue
 * is not copied again, so storing a context after one more turn allocates the new turn and a new
 * array, not the whole history. Array elements are matched from the first one that lines up (an
 * array trimmed at the front and grown at the end still matches). The result equals
 * `copyData(value)` and shares no object with `value`.
 * @internal
 */
export function copyDataReusing<T>(value: T, previous: unknown): T {
  return copyReusing(value, previous, 0) as T;
}

function copyReusing(value: unknown, previous: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || typeof previous !== 'object' || previous === null) {
    return copyAt(value, depth);
  }
  if (equalData(value, previous, depth)) return previous;
  if (depth >= MAX_PLAIN_DEPTH) return copyAt(value, depth);
  if (Array.isArray(value)) {
    if (!isPlainArray(value) || !isPlainArray(previous)) return copyAt(value, depth);
    const shift = alignment(value, previous, depth);
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      if (index in value) copy[index] = copyReusing(value[index], previous[index + shift], depth + 1);
    }
    return copy;
  }
  if (!isPlainObject(value) || !isPlainObject(previous) || Array.isArray(previous))
    return copyAt(value, depth);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = copyReusing(
      (value as Record<string, unknown>)[key],
      Object.hasOwn(previous, key) ? (previous as Record<string, unknown>)[key] : undefined,
      depth + 1,
    );
    setField(copy, key, field);
  }
  return copy;
}

/**
 * How far `previous` is ahead of `value`: the first index in `previous` where `value[0]` matches and
 * so does the last element the two overlap in (a list trimmed at the front), else the first index
 * where `value[0]` matches, else 0.
 */
function alignment(value: unknown[], previous: unknown[], depth: number): number {
  if (value.length === 0 || !(0 in value)) return 0;
  let firstMatch = -1;
  for (let index = 0; index < previous.length; index++) {
    if (!(index in previous) || !equalData(value[0], previous[index], depth + 1)) continue;
    const last = Math.min(value.length, previous.length - index) - 1;
    if (equalData(value[last], previous[index + last], depth + 1)) return index;
    if (firstMatch < 0) firstMatch = index;
  }
  return Math.max(0, firstMatch);
}

function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Whether `previous` (a copy made here) is what `copyData(value)` would make: plain data of the
 * same shape — the same keys in the same order, the same holes — with the same primitives
 * (`Object.is`). Anything `copyData` leaves to `structuredClone` is never equal.
 */
function equalData(value: unknown, previous: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null)
    return typeof value !== 'function' && Object.is(value, previous);
  if (typeof previous !== 'object' || previous === null || depth > MAX_PLAIN_DEPTH) return false;
  if (Array.isArray(value)) {
    if (!isPlainArray(value) || !isPlainArray(previous) || value.length !== previous.length) return false;
    for (let index = 0; index < value.length; index++) {
      const present = index in value;
      if (present !== index in previous) return false;
      if (present && !equalData(value[index], previous[index], depth + 1)) return false;
    }
    return true;
  }
  if (
    !isPlainObject(value) ||
    Array.isArray(previous) ||
    Object.getPrototypeOf(previous) !== Object.prototype
  ) {
    return false;
  }
  const keys = Object.keys(value);
  const previousKeys = Object.keys(previous);
  if (keys.length !== previousKeys.length) return false;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key !== previousKeys[index]) return false;
    if (
      !equalData(
        (value as Record<string, unknown>)[key],
        (previous as Record<string, unknown>)[key],
        depth + 1,
      )
    ) {
      return false;
    }
  }
  return true;
}
