import { ProviderError, RateLimitError, TimeoutError } from '@argentum/core';
import {
  defer,
  type MonoTypeOperatorFunction,
  Observable,
  retry,
  type SchedulerLike,
  type Subscription,
  tap,
  throwError,
  timer,
} from 'rxjs';
import { mapOpenAIError } from '../openai-error';

/**
 * How a model retries and times out its calls; filled from the provider settings.
 * @internal
 */
export interface CallPolicy {
  /** Provider name recorded on errors. */
  provider: string;
  /** Retries after the first attempt (0 = no retry). */
  maxRetries: number;
  /** Base of the exponential backoff, ms. */
  retryBaseDelayMs: number;
  /** Cap of one backoff delay, and the longest `retry-after` honoured, ms. */
  retryMaxDelayMs: number;
  /** Longest wait for the response to start and between two chunks, ms. */
  timeoutMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
}

/**
 * The body of one attempt: runs the SDK call, emits events through `emit`, resolves when done.
 * `signal` aborts when the subscriber unsubscribes (or the attempt times out).
 * @internal
 */
export type AttemptBody<T> = (signal: AbortSignal, emit: (value: T) => void) => Promise<void>;

/**
 * Wraps a promise-based body as a cold Observable: one run per subscription, aborted on
 * unsubscribe; errors after an abort are dropped; every other failure is mapped to a typed
 * provider error.
 * @internal
 */
export function abortableAttempt<T>(body: AttemptBody<T>, provider: string): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    body(controller.signal, (value) => subscriber.next(value)).then(
      () => subscriber.complete(),
      (error: unknown) => {
        if (!controller.signal.aborted) subscriber.error(mapOpenAIError(error, provider));
      },
    );
    return () => controller.abort();
  });
}

/**
 * Errors with `error()` (unsubscribing from the source first) when the source goes `timeoutMs`
 * without a value — from the subscription to the first value, and between two values. Like
 * RxJS's `timeout({ each })`, but a value only records the time: the one pending timer re-arms
 * itself for the rest of the window when it fires, instead of a timer being cancelled and
 * scheduled per value (a TTS stream emits fifty frames a second).
 * @internal
 */
export function idleTimeout<T>(
  timeoutMs: number,
  scheduler: SchedulerLike,
  error: () => unknown,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let lastValueAt = scheduler.now();
      let timer: Subscription | undefined;
      let inner: Subscription | undefined;
      const arm = (delayMs: number): void => {
        timer = scheduler.schedule(() => {
          const remainingMs = timeoutMs - (scheduler.now() - lastValueAt);
          // Re-arm only for a real remainder: a floating-point sliver (a timer firing a hair early)
          // would otherwise re-arm at the same instant forever.
          if (remainingMs > 0.001) {
            arm(remainingMs);
            return;
          }
          inner?.unsubscribe();
          subscriber.error(error());
        }, delayMs);
      };
      inner = source.subscribe({
        next: (value) => {
          lastValueAt = scheduler.now();
          subscriber.next(value);
        },
        error: (failure: unknown) => subscriber.error(failure),
        complete: () => subscriber.complete(),
      });
      if (!subscriber.closed) arm(timeoutMs);
      return () => {
        timer?.unsubscribe();
        inner?.unsubscribe();
      };
    });
}

/**
 * The backoff delay before retry number `retryCount` (1-based), or `undefined` when the error
 * must not be retried: exponential backoff with full jitter, or the server's `retry-after` when
 * it gave one (giving up when that exceeds `retryMaxDelayMs`).
 * @internal
 */
export function retryDelayMs(error: unknown, retryCount: number, policy: CallPolicy): number | undefined {
  if (!ProviderError.isInstance(error) || !error.retryable) return undefined;
  if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.retryMaxDelayMs ? error.retryAfterMs : undefined;
  }
  const ceiling = Math.min(policy.retryMaxDelayMs, policy.retryBaseDelayMs * 2 ** (retryCount - 1));
  return policy.random() * ceiling;
}

/**
 * Runs `body` under the policy: a per-attempt timeout (to the first value and between values),
 * then bounded retries for retryable typed errors — only while nothing has been emitted, so a
 * consumer never sees an event twice. All waits run on `scheduler`.
 * @internal
 */
export function withCallPolicy<T>(
  body: AttemptBody<T>,
  policy: CallPolicy,
  scheduler: SchedulerLike,
): Observable<T> {
  return defer(() => {
    let emitted = false;
    const attempt = abortableAttempt(body, policy.provider).pipe(
      idleTimeout(
        policy.timeoutMs,
        scheduler,
        () =>
          new TimeoutError({
            provider: policy.provider,
            message: `no data for ${policy.timeoutMs} ms; the request was aborted (raise timeoutMs for slow models).`,
          }),
      ),
      tap(() => {
        emitted = true;
      }),
    );
    return attempt.pipe(
      retry({
        count: policy.maxRetries,
        delay: (error: unknown, retryCount: number) => {
          const delayMs = emitted ? undefined : retryDelayMs(error, retryCount, policy);
          return delayMs === undefined ? throwError(() => error) : timer(delayMs, scheduler);
        },
      }),
    );
  });
}
