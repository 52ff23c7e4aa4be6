/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. Time comes from the caller
 * (the connection's scheduler), so tests run on a virtual clock.
 * @internal
 */
export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  // Declared with numbers (not bare, which starts them as `undefined`): a field that only ever
  // holds numbers keeps its double in place; this one is written at every message.
  #tokens = 0;
  #updatedAt = 0;

  constructor(perSecond: number, burst: number, now: number) {
    this.#perMs = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes one token; `false` when the bucket is empty. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
