import { ArgentumError, hasBrand } from '../errors/argentum-error';

/**
 * Why a pool member was skipped for a request without being called.
 *
 * - `circuit-open`: its circuit breaker is open (too many recent failures, or a latency budget breach).
 * - `probe-in-flight`: its circuit is half-open and another request is already its probe.
 * - `at-concurrency-limit`: it already serves `maxConcurrency` requests.
 * - `pool-full`: it is not loaded and every resident slot (`maxResident`) is busy.
 *
 * @example
 * ```ts
 * const reason: PoolSkipReason = 'circuit-open';
 * ```
 */
export type PoolSkipReason = 'circuit-open' | 'probe-in-flight' | 'at-concurrency-limit' | 'pool-full';

/**
 * What happened to one pool member during one request: it was called and failed, or skipped.
 *
 * @example
 * ```ts
 * const attempt: PoolAttempt = { provider: 'elevenlabs', outcome: 'failed', reason: 'timeout', error };
 * ```
 */
export interface PoolAttempt {
  /** The member's id. */
  provider: string;
  /** `failed`: it was called (or loaded) and failed; `skipped`: it was not called. */
  outcome: 'failed' | 'skipped';
  /**
   * For `failed`: `error` (the call errored), `timeout` (no first event in time), `load-failed`
   * (creating or warming up the model failed). For `skipped`: a {@link PoolSkipReason}.
   */
  reason: 'error' | 'timeout' | 'load-failed' | PoolSkipReason;
  /** The error, for `failed` attempts. */
  error?: unknown;
  /** For `failed` attempts: whether the member had already emitted events (so no other member could take over). */
  afterOutput?: boolean;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function describeAttempts(attempts: readonly PoolAttempt[]): string {
  const failed = attempts.filter((attempt) => attempt.outcome === 'failed');
  const skipped = attempts.filter((attempt) => attempt.outcome === 'skipped');
  const parts: string[] = [];
  if (failed.length > 0) {
    parts.push(
      `tried ${failed
        .map((attempt) => `${attempt.provider} (${attempt.reason}: ${describeError(attempt.error)})`)
        .join(', ')}`,
    );
  }
  if (skipped.length > 0) {
    parts.push(`skipped ${skipped.map((attempt) => `${attempt.provider} (${attempt.reason})`).join(', ')}`);
  }
  return parts.join('; ');
}

/**
 * A pool member that cannot serve a request, and what it lacks.
 *
 * @example
 * ```ts
 * const rejected: RejectedProvider = { provider: 'openai', missing: "language 'ja'" };
 * ```
 */
export interface RejectedProvider {
  /** The member's id. */
  provider: string;
  /** What it lacks, e.g. `feature 'aligned-marks', language 'ja'`. */
  missing: string;
}

/**
 * A {@link ProviderPool} request could not be served: every eligible member was tried and failed,
 * or was skipped (open circuit, concurrency limit, pool full), or the member serving it failed
 * after its output had begun (then no other member can take over without repeating audio or text).
 * `attempts` names every member, in the order they were considered, with what happened.
 *
 * @example
 * ```ts
 * pooledTts.synthesize({ text: 'Hello.' }).subscribe({
 *   error: (error) => {
 *     if (PoolRequestFailedError.isInstance(error)) {
 *       console.error(error.providersTried, error.attempts.map((attempt) => attempt.reason));
 *     }
 *   },
 * });
 * ```
 */
export class PoolRequestFailedError extends ArgentumError {
  /** The request's id (`request-N`). */
  readonly requestId: string;
  /** Every member considered, in order, with what happened. */
  readonly attempts: readonly PoolAttempt[];
  /** Whether the last member failed after it had emitted events. */
  readonly outputStarted: boolean;

  /**
   * @param requestId - the request's id.
   * @param attempts - every member considered, in order.
   */
  constructor(requestId: string, attempts: readonly PoolAttempt[]) {
    const last = attempts[attempts.length - 1];
    const outputStarted = last?.afterOutput === true;
    const summary = describeAttempts(attempts);
    const advice = outputStarted
      ? `${last?.provider} failed after its output began, so no other provider could take over.`
      : 'Every eligible provider failed or was unavailable: add a fallback provider, raise maxConcurrency or maxResident, or retry later.';
    super(
      'pool-request-failed',
      `Pool ${requestId} failed: ${summary || 'no provider was available'}. ${advice}`,
      {
        cause: [...attempts].reverse().find((attempt) => attempt.error !== undefined)?.error,
      },
    );
    this.requestId = requestId;
    this.attempts = attempts;
    this.outputStarted = outputStarted;
    this.brand('PoolRequestFailedError');
  }

  /**
   * The ids of the members that were called (or loaded) and failed, in order.
   * @example
   * ```ts
   * console.log(error.providersTried); // ['elevenlabs', 'openai']
   * ```
   */
  get providersTried(): string[] {
    return this.attempts.filter((attempt) => attempt.outcome === 'failed').map((attempt) => attempt.provider);
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link PoolRequestFailedError}.
   * @example
   * ```ts
   * if (PoolRequestFailedError.isInstance(error)) console.error(error.attempts);
   * ```
   */
  static override isInstance(error: unknown): error is PoolRequestFailedError {
    return hasBrand(error, 'PoolRequestFailedError');
  }
}

/**
 * No member of a {@link ProviderPool} has the capabilities a request requires (features,
 * language, voice, cost cap), so none was tried. A configuration problem: add a member that has
 * them, or relax the requirements. `rejected` says what each member lacks.
 *
 * @example
 * ```ts
 * try {
 *   await lastValueFrom(pool.run((model) => model.synthesize(request), { requires: { language: 'ja' } }));
 * } catch (error) {
 *   if (NoMatchingProviderError.isInstance(error)) console.error(error.rejected);
 * }
 * ```
 */
export class NoMatchingProviderError extends ArgentumError {
  /** The request's id (`request-N`). */
  readonly requestId: string;
  /** Each member and what it lacks. */
  readonly rejected: readonly RejectedProvider[];

  /**
   * @param requestId - the request's id.
   * @param rejected - each member and what it lacks.
   */
  constructor(requestId: string, rejected: readonly RejectedProvider[]) {
    const detail =
      rejected.length === 0
        ? 'the pool has no members'
        : rejected.map((entry) => `${entry.provider} lacks ${entry.missing}`).join('; ');
    super(
      'pool-no-matching-provider',
      `Pool ${requestId}: no provider has the required capabilities (${detail}). Add a provider that has them or relax the request's requirements.`,
    );
    this.requestId = requestId;
    this.rejected = rejected;
    this.brand('NoMatchingProviderError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link NoMatchingProviderError}.
   * @example
   * ```ts
   * if (NoMatchingProviderError.isInstance(error)) console.error(error.rejected);
   * ```
   */
  static override isInstance(error: unknown): error is NoMatchingProviderError {
    return hasBrand(error, 'NoMatchingProviderError');
  }
}

/**
 * A {@link ProviderPool} was used after `dispose()`. Create a new pool.
 *
 * @example
 * ```ts
 * pool.dispose();
 * pool.run((model) => model.synthesize({ text: 'Hi.' })).subscribe({
 *   error: (error) => PoolDisposedError.isInstance(error), // true
 * });
 * ```
 */
export class PoolDisposedError extends ArgentumError {
  /** Creates the error. */
  constructor() {
    super(
      'pool-disposed',
      'The provider pool was disposed; create a new ProviderPool to make more requests.',
    );
    this.brand('PoolDisposedError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link PoolDisposedError}.
   * @example
   * ```ts
   * if (PoolDisposedError.isInstance(error)) pool = createPool();
   * ```
   */
  static override isInstance(error: unknown): error is PoolDisposedError {
    return hasBrand(error, 'PoolDisposedError');
  }
}
