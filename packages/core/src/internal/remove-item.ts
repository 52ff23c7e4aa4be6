/**
 * Removes the first `item` from `list`, keeping the order: the rest move down one place and the
 * last slot is popped, which keeps the array's backing store. For the short lists a session keeps
 * per turn, where a `Map` or `Set` that empties allocates a new table — one that then lives to the
 * next turn and so is promoted to the old generation.
 * @returns whether `item` was in `list`.
 * @internal
 */
export function removeItem<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  for (let at = index; at < list.length - 1; at++) list[at] = list[at + 1]!;
  list.pop();
  return true;
}
