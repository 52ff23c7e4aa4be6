import { NoWorkerAvailableError, type WorkerInfo, type WorkerRegistry } from '@argentum/core';

/**
 * What a session needs of the worker that hosts it.
 *
 * @example
 * ```ts
 * const requirements: DispatchRequirements = { capabilities: ['lang:de'], exclude: ['voice-3'] };
 * ```
 */
export interface DispatchRequirements {
  /** Capability tags the worker must have. */
  capabilities?: readonly string[];
  /** Worker ids not to use (e.g. one that just refused the session). */
  exclude?: readonly string[];
}

/**
 * Picks the least-loaded live worker for each new session. Load is the worker's last reported
 * load plus the sessions this dispatcher sent it since that report (so a burst of sessions
 * between two heartbeats spreads out instead of piling onto one worker); a worker with a
 * capacity is compared by utilisation (load ÷ capacity) and skipped when full. Ties go to the
 * lowest id, so dispatch is deterministic.
 *
 * Expired workers are never chosen: a crashed worker stops heartbeating, its entry expires
 * after the registry's TTL, and new sessions go elsewhere.
 *
 * @example
 * ```ts
 * const dispatcher = new LeastLoadedDispatcher(registry);
 * const worker = await dispatcher.dispatch({ capabilities: ['lang:en'] });
 * redirectClient(worker.address);
 * ```
 */
export class LeastLoadedDispatcher {
  private readonly pending = new Map<string, { heartbeats: number; sessions: number }>();

  /**
   * @param registry - where the workers are registered.
   */
  constructor(private readonly registry: WorkerRegistry) {}

  /**
   * Chooses a worker for one new session and counts the session against it.
   *
   * @param requirements - capabilities and exclusions.
   * @returns the chosen worker (its `load` includes the sessions dispatched since its last report).
   * @throws NoWorkerAvailableError (rejects) when no live worker qualifies or all are full.
   * @example
   * ```ts
   * try {
   *   const worker = await dispatcher.dispatch();
   * } catch (error) {
   *   if (NoWorkerAvailableError.isInstance(error)) reply503();
   * }
   * ```
   */
  async dispatch(requirements: DispatchRequirements = {}): Promise<WorkerInfo> {
    const capabilities = requirements.capabilities ?? [];
    const exclude = new Set(requirements.exclude ?? []);
    const workers = (await this.registry.list({ capabilities })).filter((worker) => !exclude.has(worker.id));
    const liveIds = new Set(workers.map((worker) => worker.id));
    for (const id of this.pending.keys()) if (!liveIds.has(id)) this.pending.delete(id);
    let best: { worker: WorkerInfo; score: number } | undefined;
    for (const worker of workers) {
      const load = worker.load + this.pendingSessions(worker);
      if (worker.capacity !== undefined && load >= worker.capacity) continue;
      const score = worker.capacity === undefined ? load : load / worker.capacity;
      if (best === undefined || score < best.score) best = { worker: { ...worker, load }, score };
    }
    if (best === undefined) {
      const detail = [
        capabilities.length > 0 ? `with capabilities ${capabilities.join(', ')}` : '',
        exclude.size > 0 ? `other than ${[...exclude].join(', ')}` : '',
      ]
        .filter((part) => part !== '')
        .join(' ');
      throw new NoWorkerAvailableError(workers.length, detail === '' ? 'in the registry' : detail);
    }
    const entry = this.pending.get(best.worker.id);
    this.pending.set(best.worker.id, {
      heartbeats: best.worker.heartbeats,
      sessions: (entry?.heartbeats === best.worker.heartbeats ? entry.sessions : 0) + 1,
    });
    return best.worker;
  }

  private pendingSessions(worker: WorkerInfo): number {
    const entry = this.pending.get(worker.id);
    return entry !== undefined && entry.heartbeats === worker.heartbeats ? entry.sessions : 0;
  }
}
