import { Observable } from 'rxjs';
import type { PoolRequirements } from './pool-member';
import type { ProviderPool } from './provider-pool';
import type { ReplayedInput } from './replay-input';

/**
 * The options every pooled model (LLM, STT, TTS) passes to each of its pool requests.
 * @internal
 */
export interface PooledCallOptions<TRequest> {
  /** Per-attempt time to the first event, ms; overrides the pool's. */
  firstEventTimeoutMs?: number;
  /** Rewrites the request for a member. Default: unchanged. */
  adaptRequest?: (request: TRequest, provider: string) => TRequest;
}

/**
 * What one subscription to a pooled call sends to the pool: the request, what the serving member
 * must have, and the replayed input stream (if any) a fallback member reads from the start.
 * @internal
 */
export interface PreparedPooledCall<TRequest> {
  request: TRequest;
  requires: PoolRequirements;
  replay?: ReplayedInput<unknown> | undefined;
}

/**
 * Runs one call of a pooled model as one pool request. `prepare` runs once per subscription (so
 * every subscriber gets its own input replay); each attempt calls `call` with the request rewritten
 * by `adaptRequest` for the member. An error of the replayed input is the request's own (not held
 * against the member); unsubscribing cancels the request and releases the replay.
 * @internal
 */
export function runPooledCall<TModel, TRequest, TEvent>(
  pool: ProviderPool<TModel>,
  options: PooledCallOptions<TRequest>,
  prepare: () => PreparedPooledCall<TRequest>,
  call: (model: TModel, request: TRequest) => Observable<TEvent>,
): Observable<TEvent> {
  return new Observable<TEvent>((subscriber) => {
    const { request, requires, replay } = prepare();
    const subscription = pool
      .run((model, attempt) => call(model, options.adaptRequest?.(request, attempt.provider) ?? request), {
        requires,
        ...(options.firstEventTimeoutMs === undefined
          ? {}
          : { firstEventTimeoutMs: options.firstEventTimeoutMs }),
        isRequestError: () => replay?.failed === true,
      })
      .subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      replay?.dispose();
    };
  });
}

/**
 * `requires` plus the request's `language`, when it names one.
 * @internal
 */
export function requiringLanguage(
  requires: PoolRequirements | undefined,
  language: string | undefined,
): PoolRequirements {
  return { ...requires, ...(language === undefined ? {} : { language }) };
}
