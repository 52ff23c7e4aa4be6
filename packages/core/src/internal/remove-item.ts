/**
 * Removes the first `item` from `list`, keeping the order: the rest move down one place and the
 * last slot is popped. For the short lists a session keeps per turn instead of a `Map` or `Set`,
 * which allocate a new table as they grow and empty, several per use (an array that empties drops
 * its backing store too, but allocates a new one only when it next grows from empty).
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
