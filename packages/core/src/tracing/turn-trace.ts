import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { merged } from '../internal/merged';
import { assertNumber } from '../internal/validate';
import type { CallOptions } from '../provider/specification';
import { spanTime } from './span-time';
import { quietStageSpan, type StageSpan, startStageSpan } from './stage-span';
import { TRACE_ATTRIBUTES } from './trace-attributes';

/**
 * The HTTP header (and WebSocket query/first-message field, where a provider maps headers) that
 * carries the correlation id on every provider call.
 *
 * @example
 * ```ts
 * request.headers[CORRELATION_ID_HEADER]; // 'conversation-7'
 * ```
 */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/**
 * Options of {@link traceTurn}.
 *
 * @example
 * ```ts
 * const options: TraceTurnOptions = { correlationId: session.id, turn: 3, scheduler, attributes: { 'argentum.agent': 'support' } };
 * ```
 */
export interface TraceTurnOptions {
  /** The id that ties the turn to its session and provider calls, e.g. the WebSocket session or conversation id. */
  correlationId: string;
  /** The turn's number in the session (1, 2, …; 0 for a first message). */
  turn: number;
  /** Extra attributes of the turn span. */
  attributes?: Attributes;
  /** The tracer. Default: the global tracer provider's `@argentum/core` tracer (a no-op unless an OpenTelemetry SDK is installed). */
  tracer?: Tracer;
  /** The parent context (e.g. the session's span). Default: the active context. */
  parent?: Context;
  /** The clock span times are read from. Default: the real-time scheduler. */
  scheduler?: SchedulerLike;
  /** When the turn started, scheduler ms (e.g. the user's speech onset). Default: now. */
  startAt?: number;
}

/**
 * The trace of one voice-agent turn: a span `argentum.turn` with a child span per stage. Every span
 * carries `argentum.correlation_id` and `argentum.turn`; times come from the session's scheduler.
 * While the turn span does not record (no OpenTelemetry SDK, or the turn was sampled out), no stage
 * spans are made: `startStage` returns a stage that carries the turn's span and records nothing, and
 * `recordStage` does nothing. The methods are not bound: call them on the trace (`turn.end()`), or
 * wrap them (`complete: () => turn.end()`) rather than pass `turn.end` itself.
 *
 * @example
 * ```ts
 * const turn = traceTurn({ correlationId: 'conversation-7', turn: 1, scheduler });
 * turn.recordStage('vad-end', speechEndAt, vadDecisionAt);
 * stt.transcribe({ audio }, turn.callOptions()).pipe(withStageSpan(turn, 'stt')).subscribe();
 * // … llm, tts, playout …
 * turn.end();
 * ```
 */
export interface TurnTrace {
  /** The correlation id. */
  readonly correlationId: string;
  /** The turn number. */
  readonly turn: number;
  /** The turn's span. */
  readonly span: Span;
  /** A context holding the turn span: the parent of the stage spans. */
  readonly context: Context;
  /** The clock span times are read from. */
  readonly scheduler: SchedulerLike;
  /**
   * Starts a stage span under the turn; end it yourself (or use {@link withStageSpan} for a stream).
   * @param stage - the stage, e.g. `llm`.
   * @param attributes - extra attributes.
   */
  startStage(stage: string, attributes?: Attributes): StageSpan;
  /**
   * Records a stage that already happened, from `startAt` to `endAt` (scheduler ms): e.g. `vad-end`,
   * whose start (the last speech frame) is only known once the VAD decided.
   * @param stage - the stage.
   * @param startAt - its start, scheduler ms.
   * @param endAt - its end, scheduler ms (≥ `startAt`).
   * @param attributes - extra attributes.
   */
  recordStage(stage: string, startAt: number, endAt: number, attributes?: Attributes): void;
  /**
   * Call options for a provider call of this turn: `headers` gain `x-correlation-id` and, when an
   * OpenTelemetry propagator is installed, `traceparent`/`tracestate` of the turn (or of `parent`).
   * @param options - the options to extend (kept otherwise unchanged).
   * @param parent - the context to propagate, e.g. a stage span's. Default: the turn's.
   */
  callOptions(options?: CallOptions, parent?: Context): CallOptions;
  /**
   * Ends the turn span.
   * @param attributes - attributes to add first (e.g. `argentum.interrupted`).
   */
  end(attributes?: Attributes): void;
  /**
   * Ends the turn span with an error status.
   * @param error - what went wrong.
   */
  fail(error: unknown): void;
}

/**
 * Starts the trace of one voice-agent turn. A no-op trace (no allocation beyond a few objects)
 * unless the app installed an OpenTelemetry SDK or passed a `tracer`.
 *
 * @param options - correlation id, turn number, tracer, parent and clock.
 * @returns the turn's trace.
 * @example
 * ```ts
 * import { traceTurn, withStageSpan } from '@argentum/core';
 *
 * const turn = traceTurn({ correlationId: conversationId, turn: 4, scheduler });
 * llm.stream(request, turn.callOptions())
 *   .pipe(withStageSpan(turn, 'llm'))
 *   .subscribe({ complete: () => turn.end() });
 * ```
 */
export function traceTurn(options: TraceTurnOptions): TurnTrace {
  const turnNumber = assertNumber('turn', options.turn, { min: 0, integer: true });
  return new ActiveTurnTrace(options, turnNumber);
}

/**
 * A turn's trace as one object (its methods on the prototype): a turn keeps it to its end, long
 * enough to be promoted to the old generation, so six closures and their context per turn add up.
 */
class ActiveTurnTrace implements TurnTrace {
  readonly correlationId: string;
  readonly turn: number;
  readonly span: Span;
  readonly context: Context;
  readonly scheduler: SchedulerLike;
  readonly #tracer: Tracer;
  readonly #common: Attributes;
  readonly #startAt: number;
  /**
   * Stage spans of a turn that does not record would not record either (the SDK's default
   * sampler follows the parent): they are skipped.
   */
  readonly #recording: boolean;
  #ended = false;

  constructor(options: TraceTurnOptions, turnNumber: number) {
    const scheduler = options.scheduler ?? realtimeScheduler;
    const tracer = options.tracer ?? trace.getTracer('@argentum/core');
    const parent = options.parent ?? context.active();
    const startAt = options.startAt ?? scheduler.now();
    const common: Attributes = {
      [TRACE_ATTRIBUTES.correlationId]: options.correlationId,
      [TRACE_ATTRIBUTES.turn]: turnNumber,
    };
    const span = tracer.startSpan(
      'argentum.turn',
      { startTime: spanTime(scheduler, startAt), attributes: merged(options.attributes, common) },
      parent,
    );
    this.correlationId = options.correlationId;
    this.turn = turnNumber;
    this.span = span;
    this.context = trace.setSpan(parent, span);
    this.scheduler = scheduler;
    this.#tracer = tracer;
    this.#common = common;
    this.#startAt = startAt;
    this.#recording = span.isRecording();
  }

  startStage(stage: string, attributes?: Attributes): StageSpan {
    return this.#recording
      ? startStageSpan(this.#tracer, this.scheduler, this.context, stage, merged(attributes, this.#common))
      : quietStageSpan(stage, this.span, this.context);
  }

  recordStage(stage: string, startAt: number, endAt: number, attributes?: Attributes): void {
    assertNumber('endAt', endAt, { min: assertNumber('startAt', startAt) });
    if (!this.#recording) return;
    const stageSpan = this.#tracer.startSpan(
      `argentum.${stage}`,
      {
        startTime: spanTime(this.scheduler, startAt),
        attributes: merged(merged(attributes, this.#common), {
          [TRACE_ATTRIBUTES.stage]: stage,
          [TRACE_ATTRIBUTES.durationMs]: endAt - startAt,
        }),
      },
      this.context,
    );
    stageSpan.end(spanTime(this.scheduler, endAt));
  }

  callOptions(callOptions: CallOptions = {}, propagate: Context = this.context): CallOptions {
    const headers: Record<string, string> = merged(callOptions.headers, {
      [CORRELATION_ID_HEADER]: this.correlationId,
    });
    propagation.inject(propagate, headers);
    return merged(callOptions, { headers });
  }

  end(attributes?: Attributes): void {
    if (this.#ended) return;
    if (attributes !== undefined) this.span.setAttributes(attributes);
    this.span.end(spanTime(this.scheduler, this.#finish()));
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    const at = this.#finish();
    this.span.recordException(error instanceof Error ? error : String(error), spanTime(this.scheduler, at));
    this.span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    this.span.end(spanTime(this.scheduler, at));
  }

  #finish(): number {
    this.#ended = true;
    const at = this.scheduler.now();
    this.span.setAttribute(TRACE_ATTRIBUTES.durationMs, Math.max(0, at - this.#startAt));
    return at;
  }
}
