import { ArgentumError } from '../errors/argentum-error';

/** Samples per pooled block: 4096 (256 ms at 16 kHz, 8 KB). */
const BLOCK_SAMPLES = 4096;
/** The most free blocks kept for reuse (32 MB); a burst past it is left to the collector. */
const MAX_FREE_BLOCKS = 4096;
/** Blocks given back by released buffers, for the next ones (one pool per thread). */
const freeBlocks: Int16Array[] = [];

function released(what: string): ArgentumError {
  return new ArgentumError(
    'audio-released',
    `audio was ${what} after its buffer went back to the pool; this is a bug in Argentum — please report it.`,
  );
}

/**
 * Mono samples kept in fixed-size blocks drawn from a shared pool, returned to it by
 * {@link SampleBuffer.release}.
 *
 * A session holds audio for a second or two — the user's utterance until it is transcribed, the
 * agent's reply until it has played. Kept as arrival-sized pieces, that is dozens of small objects
 * per conversation that live just long enough to be copied by every minor garbage collection and
 * then promoted. Kept in fresh arrays (one growing array per utterance and per reply), it is
 * memory outside the JavaScript heap that outlives two minor collections: V8 counts such memory
 * and, past 64 MB of growth, starts a full collection — at a thousand conversations that was a
 * full collection every second or two and most of the late timers. Pooled blocks are allocated
 * once and reused, so a turn allocates no long-lived audio memory at all. Nothing outside holds a
 * block: reads are copies ({@link SampleBuffer.copy}).
 * @internal
 */
export class SampleBuffer {
  #blocks: Int16Array[] = [];
  #length = 0;
  #released = false;

  /** The number of samples appended (still counted after a release). */
  get length(): number {
    return this.#length;
  }

  /** Whether {@link SampleBuffer.release} gave the blocks back. */
  get released(): boolean {
    return this.#released;
  }

  /** Appends a copy of `samples`. */
  append(samples: Int16Array): void {
    if (this.#released) throw released('appended to');
    let offset = 0;
    while (offset < samples.length) {
      const at = this.#length % BLOCK_SAMPLES;
      if (at === 0 && this.#blocks.length * BLOCK_SAMPLES === this.#length) {
        this.#blocks.push(freeBlocks.pop() ?? new Int16Array(BLOCK_SAMPLES));
      }
      const block = this.#blocks[this.#blocks.length - 1]!;
      const count = Math.min(BLOCK_SAMPLES - at, samples.length - offset);
      block.set(
        offset === 0 && count === samples.length ? samples : samples.subarray(offset, offset + count),
        at,
      );
      offset += count;
      this.#length += count;
    }
  }

  /** A new array with samples `from` (inclusive) to `to` (exclusive), clamped to what is held. */
  copy(from: number, to: number): Int16Array {
    if (this.#released) throw released('read');
    const start = Math.max(0, from);
    const end = Math.min(to, this.#length);
    const out = new Int16Array(Math.max(0, end - start));
    let written = 0;
    for (let position = start; position < end; ) {
      const block = this.#blocks[Math.floor(position / BLOCK_SAMPLES)]!;
      const at = position % BLOCK_SAMPLES;
      const count = Math.min(BLOCK_SAMPLES - at, end - position);
      out.set(block.subarray(at, at + count), written);
      written += count;
      position += count;
    }
    return out;
  }

  /** Gives the blocks back to the pool; the buffer can then be neither read nor appended to. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const block of this.#blocks) {
      if (freeBlocks.length < MAX_FREE_BLOCKS) freeBlocks.push(block);
    }
    this.#blocks = [];
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
