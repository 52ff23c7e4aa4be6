/** An item of an {@link IndexedHeap}: it carries its own position, so it can leave the heap in O(log n). */
export interface HeapItem {
  /** Where the item sits in its heap, −1 when it is not in one. */
  heapIndex: number;
}

/**
 * A binary min-heap over a caller's array whose items know their position: `push`, `pop` and
 * `remove` (of any item) in O(log n), `peek` in O(1), no allocation beyond the array's growth.
 * The schedulers' action queues.
 * @internal
 */
export class IndexedHeap<T extends HeapItem> {
  /**
   * @param items - the storage (left empty by the caller; its `length` is the heap's size).
   * @param before - whether `a` comes out before `b`.
   */
  constructor(
    readonly items: T[],
    private readonly before: (a: T, b: T) => boolean,
  ) {}

  /** The first item, left in. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.#up(item.heapIndex);
  }

  /** Takes the first item out. */
  pop(): T | undefined {
    const first = this.items[0];
    if (first !== undefined) this.remove(first);
    return first;
  }

  /** Takes an item out (nothing when it is not in this heap). */
  remove(item: T): void {
    const items = this.items;
    const at = item.heapIndex;
    if (at < 0 || items[at] !== item) return;
    item.heapIndex = -1;
    const last = items.pop()!;
    if (last === item) return;
    items[at] = last;
    last.heapIndex = at;
    this.#down(at);
    this.#up(last.heapIndex);
  }

  #up(start: number): void {
    const items = this.items;
    let at = start;
    const item = items[at]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = items[parentAt]!;
      if (!this.before(item, parent)) break;
      items[at] = parent;
      parent.heapIndex = at;
      at = parentAt;
    }
    items[at] = item;
    item.heapIndex = at;
  }

  #down(start: number): void {
    const items = this.items;
    const length = items.length;
    let at = start;
    const item = items[at]!;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.before(items[right]!, items[left]!) ? right : left;
      const next = items[child]!;
      if (!this.before(next, item)) break;
      items[at] = next;
      next.heapIndex = at;
      at = child;
    }
    items[at] = item;
    item.heapIndex = at;
  }
}
