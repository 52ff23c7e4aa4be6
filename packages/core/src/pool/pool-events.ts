import type { PoolAttempt } from './pool-errors';

/**
 * Fields every pool event carries.
 *
 * @example
 * ```ts
 * const base: PoolEventBase = { provider: 'openai-tts', at: 1200 };
 * ```
 */
export interface PoolEventBase {
  /** The member concerned. */
  provider: string;
  /** When it happened, scheduler ms. */
  at: number;
}

/**
 * A member's model is being created (and warmed up).
 *
 * @example
 * ```ts
 * if (event.type === 'provider-loading') console.log('loading', event.provider);
 * ```
 */
export interface ProviderLoadingEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'provider-loading';
}

/**
 * A member's model is loaded and ready.
 *
 * @example
 * ```ts
 * if (event.type === 'provider-loaded') console.log(event.provider, 'warm-up took', event.warmUpMs, 'ms');
 * ```
 */
export interface ProviderLoadedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'provider-loaded';
  /** Time from the warm-up request to its first event, ms (`undefined` without a warm-up or when it emitted nothing). */
  warmUpMs: number | undefined;
}

/**
 * Creating or warming up a member's model failed; requests waiting for it moved on.
 *
 * @example
 * ```ts
 * if (event.type === 'provider-load-failed') console.error(event.provider, event.error);
 * ```
 */
export interface ProviderLoadFailedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'provider-load-failed';
  /** What went wrong. */
  error: unknown;
}

/**
 * A member's model was released.
 *
 * @example
 * ```ts
 * if (event.type === 'provider-unloaded' && event.reason === 'evicted') console.log('LRU evicted', event.provider);
 * ```
 */
export interface ProviderUnloadedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'provider-unloaded';
  /** `idle`: unused for `idleTimeoutMs`; `evicted`: least recently used, to make room; `manual`: `unload()`; `disposed`: the pool was disposed. */
  reason: 'idle' | 'evicted' | 'manual' | 'disposed';
}

/**
 * A request was sent to a member (the first try, a fallback, or a half-open probe).
 *
 * @example
 * ```ts
 * if (event.type === 'attempt-start' && event.attempt > 1) console.warn(event.requestId, 'fell back to', event.provider);
 * ```
 */
export interface AttemptStartEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'attempt-start';
  /** The request's id. */
  requestId: string;
  /** 1 for the first member called for this request, 2 for the first fallback, … */
  attempt: number;
  /** Whether this request is the member's half-open circuit probe. */
  probe: boolean;
}

/**
 * A member failed a request before any output, and the request moves on to the next member.
 *
 * @example
 * ```ts
 * if (event.type === 'attempt-failed') console.warn(event.provider, event.reason, event.error);
 * ```
 */
export interface AttemptFailedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'attempt-failed';
  /** The request's id. */
  requestId: string;
  /** `error`, `timeout` or `load-failed`. */
  reason: PoolAttempt['reason'];
  /** The error. */
  error: unknown;
}

/**
 * A request completed.
 *
 * @example
 * ```ts
 * if (event.type === 'request-served') console.log(event.requestId, 'by', event.provider, 'first event after', event.firstEventMs);
 * ```
 */
export interface RequestServedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'request-served';
  /** The request's id. */
  requestId: string;
  /** The serving call's time to first event, ms (`undefined` when it emitted nothing). */
  firstEventMs: number | undefined;
  /** How many members were called for it (1 = no fallback). */
  attempts: number;
}

/**
 * A request failed for good; `error` names every member tried.
 *
 * @example
 * ```ts
 * if (event.type === 'request-failed') console.error(event.error.message);
 * ```
 */
export interface RequestFailedEvent {
  /** Discriminator. */
  type: 'request-failed';
  /** The request's id. */
  requestId: string;
  /** The error delivered to the subscriber. */
  error: Error;
  /** When, scheduler ms. */
  at: number;
}

/**
 * A member's circuit opened: it gets no requests until `halfOpenAt`.
 *
 * @example
 * ```ts
 * if (event.type === 'circuit-opened') console.warn(event.provider, 'out until', event.halfOpenAt);
 * ```
 */
export interface CircuitOpenedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'circuit-opened';
  /** When it becomes half-open, scheduler ms. */
  halfOpenAt: number;
}

/**
 * A member's circuit became half-open: the next request routed to it is a probe.
 *
 * @example
 * ```ts
 * if (event.type === 'circuit-half-opened') console.log('probing', event.provider);
 * ```
 */
export interface CircuitHalfOpenedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'circuit-half-opened';
}

/**
 * A member's circuit closed after a successful probe: it is back in service.
 *
 * @example
 * ```ts
 * if (event.type === 'circuit-closed') console.log(event.provider, 'restored');
 * ```
 */
export interface CircuitClosedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'circuit-closed';
}

/**
 * A member's p95 first-event latency went over the pool's `latencyBudgetMs` (or a half-open
 * probe was slower than the budget). Its circuit opens, so the next requests go to the next
 * member; the app may also act (play filler audio, shorten the prompt).
 *
 * @example
 * ```ts
 * pool.events$.subscribe((event) => {
 *   if (event.type === 'latency-budget-breached') playFiller(`${event.provider} p95 ${event.p95Ms} ms`);
 * });
 * ```
 */
export interface LatencyBudgetBreachedEvent extends PoolEventBase {
  /** Discriminator. */
  type: 'latency-budget-breached';
  /** The measured p95 (for a probe: the probe's latency), ms. */
  p95Ms: number;
  /** The budget, ms. */
  budgetMs: number;
  /** Samples the p95 covers. */
  samples: number;
}

/**
 * Everything a {@link ProviderPool} reports on `events$`.
 *
 * @example
 * ```ts
 * pool.events$.subscribe((event: PoolEvent) => console.log(event.at, event.type));
 * ```
 */
export type PoolEvent =
  | ProviderLoadingEvent
  | ProviderLoadedEvent
  | ProviderLoadFailedEvent
  | ProviderUnloadedEvent
  | AttemptStartEvent
  | AttemptFailedEvent
  | RequestServedEvent
  | RequestFailedEvent
  | CircuitOpenedEvent
  | CircuitHalfOpenedEvent
  | CircuitClosedEvent
  | LatencyBudgetBreachedEvent;
