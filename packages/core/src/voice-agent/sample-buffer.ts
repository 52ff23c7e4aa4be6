/**
 * Mono samples kept in one contiguous array rather than as the frames or chunks they arrived in.
 *
 * A session holds audio for a second or two — the user's utterance until it is transcribed, the
 * agent's reply until it has played. Kept as arrival-sized pieces, that is dozens of small objects
 * per conversation that live just long enough to be copied by every minor garbage collection and
 * then promoted; at hundreds of conversations per process those copies were most of the collector's
 * pauses. Copying each piece into one array (growing by doubling) leaves the pieces short-lived.
 * @internal
 */
export class SampleBuffer {
  #samples: Int16Array;
  #length = 0;

  /** @param initialCapacity - samples to reserve up front (it grows by doubling past that). */
  constructor(initialCapacity: number) {
    this.#samples = new Int16Array(Math.max(16, Math.ceil(initialCapacity)));
  }

  /** Samples appended so far. */
  get length(): number {
    return this.#length;
  }

  append(samples: Int16Array): void {
    const needed = this.#length + samples.length;
    if (needed > this.#samples.length) {
      let capacity = this.#samples.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Int16Array(capacity);
      grown.set(this.#samples.subarray(0, this.#length));
      this.#samples = grown;
    }
    this.#samples.set(samples, this.#length);
    this.#length = needed;
  }

  /**
   * Samples `[from, to)` as a view, without copying. Appended samples never change and growing
   * moves to new memory, so a view stays valid and unchanged for as long as it is held.
   */
  view(from: number, to: number): Int16Array {
    return this.#samples.subarray(Math.max(0, from), Math.min(to, this.#length));
  }
}

/**
 * The most recent `capacity` samples of a stream (a ring): the pre-roll before speech starts. A
 * push longer than the capacity grows it to that length, so the ring always holds at least the
 * whole last push (the frame in which speech was detected is never cut).
 * @internal
 */
export class SampleRing {
  #samples: Int16Array;
  /** Next write position. */
  #end = 0;
  #length = 0;

  constructor(capacity: number) {
    this.#samples = new Int16Array(Math.max(1, Math.ceil(capacity)));
  }

  /** Samples held (at most the capacity). */
  get length(): number {
    return this.#length;
  }

  push(samples: Int16Array): void {
    if (samples.length > this.#samples.length) {
      this.#samples = new Int16Array(samples.length);
      this.#end = 0;
      this.#length = 0;
    }
    const ring = this.#samples;
    const capacity = ring.length;
    const source = samples;
    const first = Math.min(source.length, capacity - this.#end);
    ring.set(source.subarray(0, first), this.#end);
    ring.set(source.subarray(first), 0);
    this.#end = (this.#end + source.length) % capacity;
    this.#length = Math.min(capacity, this.#length + source.length);
  }

  /** The held samples, oldest first, as a fresh array. */
  toArray(): Int16Array {
    const ring = this.#samples;
    const start = (this.#end - this.#length + ring.length) % ring.length;
    const out = new Int16Array(this.#length);
    const first = Math.min(this.#length, ring.length - start);
    out.set(ring.subarray(start, start + first));
    out.set(ring.subarray(0, this.#length - first), first);
    return out;
  }

  clear(): void {
    this.#end = 0;
    this.#length = 0;
  }
}
