/**
 * `{ ...first, ...second }` for objects made on a per-turn path.
 *
 * V8 11 (Node 20) gives an object made by a spread a hidden class of its own as soon as a key its
 * source lacked is added to it — by a later spread, a literal key or an assignment — so every such
 * object costs a new map and descriptor array, allocated in the old generation and freed only by a
 * full collection (measured at 1000 conversations: 12 a turn, ≈ 2 KB). `Object.assign` onto a fresh
 * literal follows the transitions all such objects share. Unlike a spread it assigns, so an own
 * `__proto__` key of a source would set the result's prototype: use it for the SDK's own objects.
 *
 * @internal
 */
export function merged<First extends object, Second extends object>(
  first: First | undefined,
  second: Second,
): Omit<First, keyof Second> & Second {
  return Object.assign({}, first, second);
}
