import type { Observable } from 'rxjs';

/**
 * Test-only helpers (not exported, not published).
 * @internal
 */
export interface Collected<T> {
  /** Every value, in order. */
  values: T[];
  /** The error the stream ended with, if any. */
  error: unknown;
}

/**
 * Subscribes and resolves when the stream completes or errors, with everything it emitted.
 * @internal
 */
export function collect<T>(source: Observable<T>): Promise<Collected<T>> {
  return new Promise((resolve) => {
    const values: T[] = [];
    source.subscribe({
      next: (value) => values.push(value),
      error: (error: unknown) => resolve({ values, error }),
      complete: () => resolve({ values, error: undefined }),
    });
  });
}

/**
 * Counts of the process's active resources by kind (`TCPSocketWrap`, `Timeout`, …).
 * @internal
 */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * The kinds whose count grew between two snapshots, with the growth (empty when nothing leaked).
 * @internal
 */
export function resourceGrowth(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, number> {
  const growth: Record<string, number> = {};
  for (const [kind, count] of after) {
    const delta = count - (before.get(kind) ?? 0);
    if (delta > 0) growth[kind] = delta;
  }
  return growth;
}

/**
 * Lets pending I/O callbacks run (one turn of the event loop).
 * @internal
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Closes the test server's idle connections until none is open (keep-alive and the spare
 * connection `fetch` opens after an abort), then waits until the process holds no more
 * resources than `before` — giving up after a bounded number of event-loop turns so a leak fails
 * the assertion that follows instead of hanging.
 * @internal
 */
export async function settleConnections(
  server: { closeIdleConnections(): void; readonly openConnections: number },
  before: Map<string, number>,
): Promise<Record<string, number>> {
  for (let turn = 0; turn < 20_000; turn++) {
    server.closeIdleConnections();
    if (server.openConnections === 0 && Object.keys(resourceGrowth(before, activeResources())).length === 0)
      break;
    await nextTurn();
  }
  return resourceGrowth(before, activeResources());
}
