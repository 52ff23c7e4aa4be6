/**
 * A sum over a sliding time window: values added at scheduler times, summed over the last
 * `windowMs` (an entry added at `t` counts while `now − t < windowMs`). A ring buffer of
 * (time, value) that doubles when full; values added at the same time share an entry.
 * @internal
 */
export class TimedWindowSum {
  private times = new Float64Array(16);
  private values = new Float64Array(16);
  private head = 0;
  private size = 0;
  private sum = 0;

  constructor(readonly windowMs: number) {}

  add(atMs: number, value: number): void {
    this.evict(atMs);
    const capacity = this.times.length;
    if (this.size > 0) {
      const last = (this.head + this.size - 1) % capacity;
      if (this.times[last] === atMs) {
        this.values[last]! += value;
        this.sum += value;
        return;
      }
    }
    if (this.size === capacity) this.grow();
    const slot = (this.head + this.size) % this.times.length;
    this.times[slot] = atMs;
    this.values[slot] = value;
    this.size += 1;
    this.sum += value;
  }

  total(nowMs: number): number {
    this.evict(nowMs);
    return this.sum;
  }

  private evict(nowMs: number): void {
    const capacity = this.times.length;
    while (this.size > 0 && nowMs - this.times[this.head]! >= this.windowMs) {
      this.sum -= this.values[this.head]!;
      this.head = (this.head + 1) % capacity;
      this.size -= 1;
    }
    // Re-sum when empty so float drift from long add/remove sequences cannot accumulate.
    if (this.size === 0) this.sum = 0;
  }

  private grow(): void {
    const capacity = this.times.length;
    const times = new Float64Array(capacity * 2);
    const values = new Float64Array(capacity * 2);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.times[(this.head + i) % capacity]!;
      values[i] = this.values[(this.head + i) % capacity]!;
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}
