import { type Context, context, type Span, SpanStatusCode, type TimeInput, trace } from '@opentelemetry/api';
import { Observable, Subscription } from 'rxjs';
import { TimeoutError } from '../provider/provider-errors';
import { spanTime } from '../tracing/span-time';
import { TRACE_ATTRIBUTES } from '../tracing/trace-attributes';
import type { PoolCore } from './pool-core';
import {
  NoMatchingProviderError,
  type PoolAttempt,
  PoolDisposedError,
  PoolRequestFailedError,
  type RejectedProvider,
} from './pool-errors';
import { missingCapability, type PoolRequirements } from './pool-member';
import type { PoolMemberState } from './pool-member-state';

/**
 * What the pool tells the call it makes on a member.
 *
 * @example
 * ```ts
 * pool.run((model, attempt: PoolAttemptContext) => {
 *   console.log(attempt.requestId, attempt.provider, attempt.attempt);
 *   return model.synthesize({ text: 'Hi.' });
 * });
 * ```
 */
export interface PoolAttemptContext {
  /** The request's id, `request-N`. */
  requestId: string;
  /** The member's id. */
  provider: string;
  /** 1 for the first member called, 2 for the first fallback, … */
  attempt: number;
  /** Whether this call is the member's half-open circuit probe. */
  probe: boolean;
  /** The OpenTelemetry context of the attempt's span, to parent provider spans or inject `traceparent`. */
  traceContext: Context;
}

/**
 * Makes one call on a member's model. Must return a cold Observable whose unsubscription cancels
 * the call.
 *
 * @example
 * ```ts
 * const call: PoolCall<TtsModel, TtsEvent> = (model, attempt) => model.synthesize({ text: 'Hello.' });
 * ```
 */
export type PoolCall<TModel, TEvent> = (model: TModel, attempt: PoolAttemptContext) => Observable<TEvent>;

/**
 * Per-request routing and failover settings of {@link ProviderPool.run}.
 *
 * @example
 * ```ts
 * const request: PoolRequest = { requires: { features: ['aligned-marks'], language: 'en' }, firstEventTimeoutMs: 800 };
 * ```
 */
export interface PoolRequest {
  /** Capabilities the serving member must have. */
  requires?: PoolRequirements;
  /** Only these members may serve it (the routing policy still orders them). Default: all. */
  providers?: readonly string[];
  /**
   * Time from an attempt's start (including loading the member if it was not resident) to the
   * call's first event, ms > 0; past it the call is cancelled and the next member is tried.
   * Default: the pool's `firstEventTimeoutMs`.
   */
  firstEventTimeoutMs?: number;
  /**
   * Tells errors caused by the request itself (its input stream failed, say) from provider
   * failures: such an error is passed straight to the subscriber, is not held against the member
   * and does not move the request to another member. Default: every error is the provider's.
   */
  isRequestError?: (error: unknown) => boolean;
}

function byRouting<TModel>(
  core: PoolCore<TModel>,
  members: PoolMemberState<TModel>[],
): PoolMemberState<TModel>[] {
  const snapshots = new Map(members.map((member) => [member, member.health()]));
  const { routing } = core.settings;
  return [...members].sort(
    (a, b) => routing.compare(snapshots.get(a)!, snapshots.get(b)!) || a.index - b.index,
  );
}

function endSpan(span: Span, outcome: string, at: TimeInput, error?: unknown): void {
  span.setAttribute(TRACE_ATTRIBUTES.outcome, outcome);
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error), at);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end(at);
}

/**
 * Runs one request through the pool: routes, loads, calls, times out, fails over, records.
 * @internal
 */
export function runPoolRequest<TModel, TEvent>(
  core: PoolCore<TModel>,
  call: PoolCall<TModel, TEvent>,
  request: PoolRequest,
): Observable<TEvent> {
  return new Observable<TEvent>((subscriber) => {
    if (core.disposed) {
      subscriber.error(new PoolDisposedError());
      return;
    }
    const requestId = core.nextRequestId();
    const requires = request.requires ?? {};
    const rejected: RejectedProvider[] = [];
    const eligible: PoolMemberState<TModel>[] = [];
    for (const member of core.members) {
      if (request.providers !== undefined && !request.providers.includes(member.id)) continue;
      const missing = missingCapability(member.capabilities, member.costPerRequest, requires);
      if (missing === undefined) eligible.push(member);
      else rejected.push({ provider: member.id, missing });
    }
    const fail = (error: Error): void => {
      core.emit({ type: 'request-failed', requestId, error, at: core.now() });
      subscriber.error(error);
    };
    if (eligible.length === 0) {
      fail(new NoMatchingProviderError(requestId, rejected));
      return;
    }
    const chain = byRouting(core, eligible);
    const timeoutMs = request.firstEventTimeoutMs ?? core.settings.firstEventTimeoutMs;
    const parentContext = context.active();
    const attempts: PoolAttempt[] = [];
    let position = 0;
    let callCount = 0;
    let cancelActive: (() => void) | undefined;

    const next = (): void => {
      if (core.disposed) {
        fail(new PoolDisposedError());
        return;
      }
      while (position < chain.length) {
        const member = chain[position]!;
        position += 1;
        const skip = core.skipReason(member);
        if (skip === undefined) {
          start(member);
          return;
        }
        attempts.push({ provider: member.id, outcome: 'skipped', reason: skip });
      }
      fail(new PoolRequestFailedError(requestId, attempts));
    };

    const start = (member: PoolMemberState<TModel>): void => {
      callCount += 1;
      const attempt = callCount;
      const probe = member.circuit.status === 'half-open';
      if (probe) core.applyCircuit(member, { type: 'probe-start', at: core.now() });
      core.acquire(member);
      core.emit({ type: 'attempt-start', provider: member.id, at: core.now(), requestId, attempt, probe });
      const span = core.tracer.startSpan(
        'argentum.pool.attempt',
        {
          startTime: spanTime(core.settings.scheduler, core.now()),
          attributes: {
            [TRACE_ATTRIBUTES.provider]: member.id,
            [TRACE_ATTRIBUTES.requestId]: requestId,
            [TRACE_ATTRIBUTES.attempt]: attempt,
            [TRACE_ATTRIBUTES.probe]: probe,
          },
        },
        parentContext,
      );
      const traceContext = trace.setSpan(parentContext, span);
      const work = new Subscription();
      let settled = false;
      let started = false;
      let callStartedAt = core.now();
      let firstEventMs: number | undefined;
      let timeout: Subscription | undefined;

      /** Ends the attempt once; `recorded` says how its outcome counts for the member. */
      const settle = (
        recorded: 'success' | 'failure' | 'none',
        outcome: string,
        error?: unknown,
      ): boolean => {
        if (settled) return false;
        settled = true;
        work.unsubscribe();
        if (recorded === 'success') core.recordSuccess(member);
        else if (recorded === 'failure') core.recordFailure(member);
        if (probe) core.applyCircuit(member, { type: 'probe-cancel', at: core.now() });
        core.release(member);
        endSpan(span, outcome, spanTime(core.settings.scheduler, core.now()), error);
        return true;
      };
      const failOver = (
        error: unknown,
        reason: 'error' | 'timeout' | 'load-failed',
        recorded: boolean,
      ): void => {
        if (!settle(recorded ? 'failure' : 'none', reason, error)) return;
        attempts.push({ provider: member.id, outcome: 'failed', reason, error });
        core.emit({ type: 'attempt-failed', provider: member.id, at: core.now(), requestId, reason, error });
        next();
      };
      const onError = (error: unknown): void => {
        if (request.isRequestError?.(error) === true) {
          if (settle('none', 'request-error', error))
            fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (!started) {
          failOver(error, 'error', true);
          return;
        }
        if (!settle('failure', 'failed', error)) return;
        attempts.push({ provider: member.id, outcome: 'failed', reason: 'error', error, afterOutput: true });
        fail(new PoolRequestFailedError(requestId, attempts));
      };

      cancelActive = () => settle('none', 'cancelled');
      if (Number.isFinite(timeoutMs)) {
        timeout = core.settings.scheduler.schedule(() => {
          failOver(
            new TimeoutError({
              provider: member.id,
              message: `no first event within ${timeoutMs} ms (firstEventTimeoutMs); the call was cancelled and the next provider tried.`,
            }),
            'timeout',
            true,
          );
        }, timeoutMs);
        work.add(timeout);
      }
      const stopWaiting = core.ensureLoaded(member, {
        ready: (model) => {
          if (settled) return;
          callStartedAt = core.now();
          let source: Observable<TEvent>;
          try {
            source = context.with(traceContext, () =>
              call(model, { requestId, provider: member.id, attempt, probe, traceContext }),
            );
          } catch (error) {
            onError(error);
            return;
          }
          work.add(
            source.subscribe({
              next: (value) => {
                if (settled) return;
                if (!started) {
                  started = true;
                  timeout?.unsubscribe();
                  firstEventMs = Math.max(0, core.now() - callStartedAt);
                  span.setAttribute(TRACE_ATTRIBUTES.firstEventMs, firstEventMs);
                  core.recordLatency(member, firstEventMs, probe);
                }
                subscriber.next(value);
              },
              error: (error: unknown) => {
                if (!settled) onError(error);
              },
              complete: () => {
                if (!settle('success', 'served')) return;
                core.emit({
                  type: 'request-served',
                  provider: member.id,
                  at: core.now(),
                  requestId,
                  firstEventMs,
                  attempts: callCount,
                });
                subscriber.complete();
              },
            }),
          );
        },
        failed: (error) => failOver(error, 'load-failed', false),
      });
      work.add(stopWaiting);
    };

    next();
    return () => cancelActive?.();
  });
}
