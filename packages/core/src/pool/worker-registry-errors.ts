import { ArgentumError, hasBrand } from '../errors/argentum-error';

/**
 * A dispatcher found no live worker that has the required capabilities and spare capacity. Start
 * more workers, raise their capacity, or retry shortly (a worker may be restarting).
 *
 * @example
 * ```ts
 * try {
 *   const worker = await dispatcher.dispatch({ capabilities: ['lang:de'] });
 * } catch (error) {
 *   if (NoWorkerAvailableError.isInstance(error)) respondBusy(error.message);
 * }
 * ```
 */
export class NoWorkerAvailableError extends ArgentumError {
  /** How many live workers there were (with the capabilities, before the capacity check). */
  readonly candidates: number;

  /**
   * @param candidates - live workers with the capabilities.
   * @param detail - what was required.
   */
  constructor(candidates: number, detail: string) {
    super(
      'no-worker-available',
      candidates === 0
        ? `No live worker ${detail}. Start a worker, or check that workers heartbeat within the registry's TTL.`
        : `All ${candidates} live workers ${detail} are at capacity. Start more workers or raise their capacity.`,
    );
    this.candidates = candidates;
    this.brand('NoWorkerAvailableError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link NoWorkerAvailableError}.
   * @example
   * ```ts
   * if (NoWorkerAvailableError.isInstance(error)) console.warn(error.candidates);
   * ```
   */
  static override isInstance(error: unknown): error is NoWorkerAvailableError {
    return hasBrand(error, 'NoWorkerAvailableError');
  }
}

/**
 * A worker registry was used after `close()`. Create (or connect) a new one.
 *
 * @example
 * ```ts
 * await registry.close();
 * await registry.register({ id: 'voice-1' }).catch((error) => WorkerRegistryClosedError.isInstance(error)); // true
 * ```
 */
export class WorkerRegistryClosedError extends ArgentumError {
  /** Creates the error. */
  constructor() {
    super(
      'worker-registry-closed',
      'The worker registry was closed; create or connect a new one to register or heartbeat.',
    );
    this.brand('WorkerRegistryClosedError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link WorkerRegistryClosedError}.
   * @example
   * ```ts
   * if (WorkerRegistryClosedError.isInstance(error)) registry = await reconnect();
   * ```
   */
  static override isInstance(error: unknown): error is WorkerRegistryClosedError {
    return hasBrand(error, 'WorkerRegistryClosedError');
  }
}
