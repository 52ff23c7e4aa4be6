import { ArgentumError, hasBrand } from '../errors/argentum-error';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';

/**
 * The state of a circuit: `closed` (requests flow), `open` (no requests until its open period has
 * passed: `openDurationMs`, growing by `backoffMultiplier` after each failed probe), `half-open`
 * (one probe request may go through; its outcome closes or reopens).
 *
 * @example
 * ```ts
 * const status: CircuitStatus = 'half-open';
 * ```
 */
export type CircuitStatus = 'closed' | 'open' | 'half-open';

/**
 * Options of the circuit breaker.
 *
 * The open period backs off exponentially while a provider stays down: a circuit opened from
 * closed stays open `openDurationMs`; after the n-th consecutive failed half-open probe it stays
 * open `min(openDurationMs × backoffMultiplier^n, maxOpenDurationMs)`. A successful probe closes
 * the circuit and starts the next outage at `openDurationMs` again.
 *
 * @example
 * ```ts
 * // Open 10 s, then 20 s, 40 s, 80 s, 160 s, 300 s, 300 s … while probes keep failing.
 * const options: CircuitBreakerOptions = {
 *   failureThreshold: 3,
 *   openDurationMs: 10_000,
 *   backoffMultiplier: 2,
 *   maxOpenDurationMs: 300_000,
 * };
 * // The fixed period of earlier versions: every reopen lasts openDurationMs.
 * const fixed: CircuitBreakerOptions = { openDurationMs: 10_000, backoffMultiplier: 1 };
 * ```
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed circuit, integer ≥ 1. Default 3. */
  failureThreshold?: number;
  /**
   * How long a circuit opened from closed stays open before a probe is allowed, ms ≥ 0. Also the
   * base of the backoff after failed probes. Default 10 000.
   */
  openDurationMs?: number;
  /**
   * The factor the open period grows by after each consecutive failed half-open probe, ≥ 1
   * (finite). `1` keeps every open period at `openDurationMs` (the behaviour before backoff
   * existed). Default 2.
   *
   * @example
   * ```ts
   * const options: CircuitBreakerOptions = { openDurationMs: 1000, backoffMultiplier: 3 }; // 1 s, 3 s, 9 s …
   * ```
   */
  backoffMultiplier?: number;
  /**
   * The longest an open period grows to under backoff, ms; at least `openDurationMs`. Default
   * 300 000 (5 minutes), or `openDurationMs` when that is longer, so a dead provider is still
   * probed every 5 minutes.
   *
   * @example
   * ```ts
   * const options: CircuitBreakerOptions = { openDurationMs: 5000, maxOpenDurationMs: 60_000 }; // 5, 10, 20, 40, 60, 60 s …
   * ```
   */
  maxOpenDurationMs?: number;
}

/**
 * The circuit breaker options with every default filled in.
 *
 * @example
 * ```ts
 * const options: ResolvedCircuitBreakerOptions = resolveCircuitBreakerOptions({ failureThreshold: 5 });
 * ```
 */
export interface ResolvedCircuitBreakerOptions {
  /** Consecutive failures that open a closed circuit. */
  failureThreshold: number;
  /** How long a circuit opened from closed stays open before a probe is allowed, ms; the backoff's base. */
  openDurationMs: number;
  /** The factor the open period grows by after each consecutive failed probe (≥ 1; 1 = fixed period). */
  backoffMultiplier: number;
  /** The longest an open period grows to, ms (≥ `openDurationMs`). */
  maxOpenDurationMs: number;
}

/**
 * Fills in and checks circuit breaker options.
 *
 * @param options - the options given.
 * @returns the options with defaults.
 * @throws InvalidArgumentError when an option is out of range: `failureThreshold` not an integer
 *   ≥ 1, `openDurationMs` negative, `backoffMultiplier` below 1, or `maxOpenDurationMs` below
 *   `openDurationMs` (any of them not a finite number).
 * @example
 * ```ts
 * resolveCircuitBreakerOptions({});
 * // { failureThreshold: 3, openDurationMs: 10000, backoffMultiplier: 2, maxOpenDurationMs: 300000 }
 * ```
 */
export function resolveCircuitBreakerOptions(
  options: CircuitBreakerOptions = {},
): ResolvedCircuitBreakerOptions {
  const openDurationMs = assertNumber('openDurationMs', options.openDurationMs ?? 10_000, { min: 0 });
  const maxOpenDurationMs = assertNumber(
    'maxOpenDurationMs',
    options.maxOpenDurationMs ?? Math.max(300_000, openDurationMs),
    { min: 0 },
  );
  if (maxOpenDurationMs < openDurationMs) {
    throw new InvalidArgumentError(
      'maxOpenDurationMs',
      `expected at least openDurationMs (${openDurationMs} ms), got ${maxOpenDurationMs} ms; raise maxOpenDurationMs or lower openDurationMs.`,
    );
  }
  return {
    failureThreshold: assertNumber('failureThreshold', options.failureThreshold ?? 3, {
      min: 1,
      integer: true,
    }),
    openDurationMs,
    backoffMultiplier: assertNumber('backoffMultiplier', options.backoffMultiplier ?? 2, { min: 1 }),
    maxOpenDurationMs,
  };
}

/**
 * A circuit breaker's state. Immutable: {@link reduceCircuitBreaker} returns a new one.
 * `consecutiveReopens` counts the failed half-open probes of the current outage; the open period
 * is `min(openDurationMs × backoffMultiplier^consecutiveReopens, maxOpenDurationMs)`.
 *
 * @example
 * ```ts
 * const options = resolveCircuitBreakerOptions({ failureThreshold: 1, openDurationMs: 1000 });
 * let state: CircuitState = initialCircuitState();
 * state.status; // 'closed'
 * state = reduceCircuitBreaker(state, { type: 'trip', at: 0 }, options).state; // open until 1000
 * state = reduceCircuitBreaker(state, { type: 'probe-start', at: 1000 }, options).state;
 * state = reduceCircuitBreaker(state, { type: 'failure', at: 1100 }, options).state;
 * state.consecutiveReopens; // 1: open until 1100 + 2000
 * ```
 */
export interface CircuitState {
  /** The circuit's status. */
  readonly status: CircuitStatus;
  /** Failures since the last success (reset when the circuit closes). */
  readonly consecutiveFailures: number;
  /** When the circuit last opened, scheduler ms (`undefined` unless open or half-open). */
  readonly openedAt: number | undefined;
  /** Half-open only: whether a probe request is in flight. */
  readonly probeInFlight: boolean;
  /**
   * How many times in a row the circuit reopened from half-open (failed probes) since it last
   * closed; the exponent of the open period's backoff. 0 while closed and for an outage's first
   * open period.
   */
  readonly consecutiveReopens: number;
}

/**
 * What a circuit breaker is told. `success` and `failure` report a request's outcome; `trip`
 * opens the circuit at once (a latency budget breach); `probe-start` / `probe-cancel` claim and
 * release the single half-open probe; `tick` lets time pass (an open circuit becomes half-open
 * once its open period has passed).
 *
 * @example
 * ```ts
 * const event: CircuitEvent = { type: 'failure', at: clock.now() };
 * ```
 */
export type CircuitEvent =
  | {
      /** A request succeeded. */
      readonly type: 'success';
      /** When, scheduler ms. */
      readonly at: number;
    }
  | {
      /** A request (or a load) failed. */
      readonly type: 'failure';
      /** When, scheduler ms. */
      readonly at: number;
    }
  | {
      /** Open at once (a latency budget breach). */
      readonly type: 'trip';
      /** When, scheduler ms. */
      readonly at: number;
    }
  | {
      /** A request claims the half-open probe. */
      readonly type: 'probe-start';
      /** When, scheduler ms. */
      readonly at: number;
    }
  | {
      /** The probe was abandoned without an outcome. */
      readonly type: 'probe-cancel';
      /** When, scheduler ms. */
      readonly at: number;
    }
  | {
      /** Time passed. */
      readonly type: 'tick';
      /** When, scheduler ms. */
      readonly at: number;
    };

/**
 * A transition the breaker made, for the pool to announce.
 *
 * @example
 * ```ts
 * const effect: CircuitEffect = { type: 'opened', at: 1000, halfOpenAt: 11_000 };
 * ```
 */
export type CircuitEffect =
  | {
      /** The circuit opened. */
      readonly type: 'opened';
      /** When, scheduler ms. */
      readonly at: number;
      /**
       * When it becomes half-open, scheduler ms: `at` plus the open period, which grows with
       * each consecutive failed probe (see {@link CircuitBreakerOptions.backoffMultiplier}).
       */
      readonly halfOpenAt: number;
    }
  | {
      /** The circuit became half-open. */
      readonly type: 'half-opened';
      /** When, scheduler ms. */
      readonly at: number;
    }
  | {
      /** The circuit closed. */
      readonly type: 'closed';
      /** When, scheduler ms. */
      readonly at: number;
    };

/**
 * The result of {@link reduceCircuitBreaker}.
 *
 * @example
 * ```ts
 * const { state, effects }: CircuitTransition = reduceCircuitBreaker(initialCircuitState(), { type: 'trip', at: 0 });
 * ```
 */
export interface CircuitTransition {
  /** The new state. */
  readonly state: CircuitState;
  /** The transitions made, in order (empty when the status did not change). */
  readonly effects: readonly CircuitEffect[];
}

/**
 * A circuit breaker was told something its state does not allow: a probe claimed while the
 * circuit is not half-open or already has a probe in flight. The state is unchanged. A bug in the
 * caller: check `status` and `probeInFlight` first.
 *
 * @example
 * ```ts
 * try {
 *   reduceCircuitBreaker(initialCircuitState(), { type: 'probe-start', at: 0 });
 * } catch (error) {
 *   if (InvalidCircuitTransitionError.isInstance(error)) console.error(error.status, error.eventType);
 * }
 * ```
 */
export class InvalidCircuitTransitionError extends ArgentumError {
  /** The circuit's status when the event arrived. */
  readonly status: CircuitStatus;
  /** The rejected event's type. */
  readonly eventType: CircuitEvent['type'];

  /**
   * @param status - the circuit's status.
   * @param eventType - the rejected event's type.
   * @param detail - what was wrong.
   */
  constructor(status: CircuitStatus, eventType: CircuitEvent['type'], detail: string) {
    super(
      'invalid-circuit-transition',
      `Invalid circuit transition on '${eventType}' in state '${status}': ${detail}`,
    );
    this.status = status;
    this.eventType = eventType;
    this.brand('InvalidCircuitTransitionError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link InvalidCircuitTransitionError}.
   * @example
   * ```ts
   * if (InvalidCircuitTransitionError.isInstance(error)) console.error(error.status);
   * ```
   */
  static override isInstance(error: unknown): error is InvalidCircuitTransitionError {
    return hasBrand(error, 'InvalidCircuitTransitionError');
  }
}

/**
 * A closed circuit with no failures.
 *
 * @returns the initial state.
 * @example
 * ```ts
 * let state = initialCircuitState();
 * ```
 */
export function initialCircuitState(): CircuitState {
  return {
    status: 'closed',
    consecutiveFailures: 0,
    openedAt: undefined,
    probeInFlight: false,
    consecutiveReopens: 0,
  };
}

/** The open period after `consecutiveReopens` failed probes, ms. */
function openPeriodMs(consecutiveReopens: number, options: ResolvedCircuitBreakerOptions): number {
  const grown = options.openDurationMs * options.backoffMultiplier ** consecutiveReopens;
  // A zero base times an overflowed power (∞) is NaN; the period is then the base, 0.
  return Number.isNaN(grown) ? options.openDurationMs : Math.min(grown, options.maxOpenDurationMs);
}

function open(state: CircuitState, at: number, options: ResolvedCircuitBreakerOptions): CircuitTransition {
  // Reopening on a failed (or tripped) probe: one more step of backoff. Reopening from half-open on
  // the late outcome of a request sent before the circuit opened: the same period again (that
  // request said nothing about the provider's recovery). From closed: a new outage.
  const consecutiveReopens =
    state.status !== 'half-open'
      ? 0
      : state.probeInFlight
        ? state.consecutiveReopens + 1
        : state.consecutiveReopens;
  return {
    state: {
      status: 'open',
      consecutiveFailures: state.consecutiveFailures,
      openedAt: at,
      probeInFlight: false,
      consecutiveReopens,
    },
    effects: [{ type: 'opened', at, halfOpenAt: at + openPeriodMs(consecutiveReopens, options) }],
  };
}

/**
 * The circuit breaker as a pure reducer: closed → open after `failureThreshold` consecutive
 * failures (or at once on `trip`) for `openDurationMs`; open → half-open once the open period has
 * passed (on any event at or after that time); half-open admits one probe: its success closes the
 * circuit (and resets the backoff), its failure (or a trip) reopens it for a period that backs off —
 * after the n-th consecutive failed probe `min(openDurationMs × backoffMultiplier^n,
 * maxOpenDurationMs)`. The `opened` effect's `halfOpenAt` carries the computed time.
 *
 * Outcomes of requests that started before the circuit opened may arrive late: while open they
 * are absorbed (a late failure does not extend the open period; a late success does not close it).
 *
 * @param state - the current state.
 * @param event - what happened.
 * @param options - threshold, open duration and backoff (see {@link resolveCircuitBreakerOptions}).
 * @returns the new state and the transitions made.
 * @throws InvalidCircuitTransitionError on `probe-start` when the circuit is not half-open or a probe is in flight.
 * @example
 * ```ts
 * const options = resolveCircuitBreakerOptions({ failureThreshold: 2, openDurationMs: 1000 });
 * let state = initialCircuitState();
 * state = reduceCircuitBreaker(state, { type: 'failure', at: 0 }, options).state;
 * const { state: opened, effects } = reduceCircuitBreaker(state, { type: 'failure', at: 5 }, options);
 * opened.status; // 'open'
 * effects; // [{ type: 'opened', at: 5, halfOpenAt: 1005 }]
 * const halfOpen = reduceCircuitBreaker(opened, { type: 'tick', at: 1005 }, options).state;
 * halfOpen.status; // 'half-open'
 * const probing = reduceCircuitBreaker(halfOpen, { type: 'probe-start', at: 1010 }, options).state;
 * reduceCircuitBreaker(probing, { type: 'failure', at: 1020 }, options).effects;
 * // [{ type: 'opened', at: 1020, halfOpenAt: 3020 }]: the failed probe doubled the open period
 * ```
 */
export function reduceCircuitBreaker(
  state: CircuitState,
  event: CircuitEvent,
  options: ResolvedCircuitBreakerOptions,
): CircuitTransition {
  let current = state;
  const effects: CircuitEffect[] = [];
  if (
    current.status === 'open' &&
    current.openedAt !== undefined &&
    event.at >= current.openedAt + openPeriodMs(current.consecutiveReopens, options)
  ) {
    current = { ...current, status: 'half-open', probeInFlight: false };
    effects.push({ type: 'half-opened', at: event.at });
  }
  const done = (next: CircuitTransition): CircuitTransition => ({
    state: next.state,
    effects: [...effects, ...next.effects],
  });
  const unchanged: CircuitTransition = { state: current, effects: [] };

  switch (event.type) {
    case 'tick':
      return done(unchanged);
    case 'success':
      if (current.status === 'open') return done(unchanged);
      if (current.status === 'half-open') {
        return done({
          state: initialCircuitState(),
          effects: [{ type: 'closed', at: event.at }],
        });
      }
      return done({
        state: current.consecutiveFailures === 0 ? current : { ...current, consecutiveFailures: 0 },
        effects: [],
      });
    case 'failure': {
      if (current.status === 'open') return done(unchanged);
      const failed = { ...current, consecutiveFailures: current.consecutiveFailures + 1 };
      if (current.status === 'half-open' || failed.consecutiveFailures >= options.failureThreshold) {
        return done(open(failed, event.at, options));
      }
      return done({ state: failed, effects: [] });
    }
    case 'trip':
      if (current.status === 'open') return done(unchanged);
      return done(open(current, event.at, options));
    case 'probe-start':
      if (current.status !== 'half-open') {
        throw new InvalidCircuitTransitionError(
          current.status,
          event.type,
          'only a half-open circuit admits a probe.',
        );
      }
      if (current.probeInFlight) {
        throw new InvalidCircuitTransitionError(current.status, event.type, 'a probe is already in flight.');
      }
      return done({ state: { ...current, probeInFlight: true }, effects: [] });
    case 'probe-cancel':
      if (current.status !== 'half-open' || !current.probeInFlight) return done(unchanged);
      return done({ state: { ...current, probeInFlight: false }, effects: [] });
  }
}
