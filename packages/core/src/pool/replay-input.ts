import { type Observable, ReplaySubject, Observable as RxObservable, type Subscription } from 'rxjs';

/**
 * A one-shot input stream (LLM text deltas, live audio frames) made replayable, so that a request
 * failing over to another provider gets the whole input from the start. The source is subscribed
 * once, when the first consumer subscribes, and kept until `dispose()`.
 * @internal
 */
export interface ReplayedInput<T> {
  readonly observable: Observable<T>;
  /** Whether the source itself errored (then failures are the request's, not a provider's). */
  readonly failed: boolean;
  dispose(): void;
}

/** @internal */
export function replayInput<T>(source: Observable<T>): ReplayedInput<T> {
  const buffer = new ReplaySubject<T>();
  let connection: Subscription | undefined;
  let failed = false;
  return {
    observable: new RxObservable<T>((subscriber) => {
      const subscription = buffer.subscribe(subscriber);
      connection ??= source.subscribe({
        next: (value) => buffer.next(value),
        error: (error: unknown) => {
          failed = true;
          buffer.error(error);
        },
        complete: () => buffer.complete(),
      });
      return subscription;
    }),
    get failed() {
      return failed;
    },
    dispose: () => connection?.unsubscribe(),
  };
}
