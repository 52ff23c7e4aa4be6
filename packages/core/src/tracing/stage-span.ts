import {
  type Attributes,
  type Context,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import { merged } from '../internal/merged';
import { spanTime } from './span-time';
import { TRACE_ATTRIBUTES } from './trace-attributes';

/**
 * The stages of one voice-agent turn that get a child span: `vad-end` (the user stopped speaking →
 * the VAD confirmed it), `stt` (audio → final transcript), `llm` (request → last token; its
 * `argentum.first_event_ms` is the time to first token), `tts` (text → last audio; first event =
 * time to first byte), `playout` (first audio out → last audio out). Any other name works too.
 *
 * @example
 * ```ts
 * const stage: TurnStage = 'tts';
 * ```
 */
export type TurnStage = 'vad-end' | 'stt' | 'llm' | 'tts' | 'playout';

/**
 * The turn stages in pipeline order.
 *
 * @example
 * ```ts
 * for (const stage of TURN_STAGES) console.log(stage);
 * ```
 */
export const TURN_STAGES: readonly TurnStage[] = ['vad-end', 'stt', 'llm', 'tts', 'playout'];

/**
 * A running stage span (a child of a turn span). End it once; later calls are ignored.
 *
 * @example
 * ```ts
 * const stt = turn.startStage('stt');
 * stt.firstEvent(); // a partial transcript arrived
 * stt.end({ 'argentum.transcript_chars': 42 });
 * ```
 */
export interface StageSpan {
  /** The stage name. */
  readonly stage: string;
  /** The OpenTelemetry span (`argentum.<stage>`). */
  readonly span: Span;
  /** A context holding the span, to parent further spans. */
  readonly context: Context;
  /** Records the time to first event (once): the attribute `argentum.first_event_ms` and a `first-event` span event. */
  firstEvent(): void;
  /**
   * Ends the span successfully.
   * @param attributes - attributes to add before ending.
   */
  end(attributes?: Attributes): void;
  /**
   * Ends the span with an error status and the exception recorded.
   * @param error - what went wrong.
   */
  fail(error: unknown): void;
  /** Ends the span marked `argentum.cancelled = true` (the work was abandoned, e.g. a barge-in). */
  cancel(): void;
}

/**
 * Starts a stage span.
 * @internal
 */
export function startStageSpan(
  tracer: Tracer,
  scheduler: SchedulerLike,
  parent: Context,
  stage: string,
  attributes: Attributes,
  startAt: number = scheduler.now(),
): StageSpan {
  const span = tracer.startSpan(
    `argentum.${stage}`,
    {
      startTime: spanTime(scheduler, startAt),
      attributes: merged(attributes, { [TRACE_ATTRIBUTES.stage]: stage }),
    },
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  let ended = false;
  let firstEventSeen = false;
  let eventCount = 0;
  const finish = (extra: Attributes | undefined): number => {
    ended = true;
    const at = scheduler.now();
    if (extra !== undefined) span.setAttributes(extra);
    span.setAttribute(TRACE_ATTRIBUTES.durationMs, Math.max(0, at - startAt));
    if (eventCount > 0) span.setAttribute(TRACE_ATTRIBUTES.eventCount, eventCount);
    return at;
  };
  return {
    stage,
    span,
    context: spanContext,
    firstEvent() {
      eventCount += 1;
      if (ended || firstEventSeen) return;
      firstEventSeen = true;
      const at = scheduler.now();
      span.setAttribute(TRACE_ATTRIBUTES.firstEventMs, Math.max(0, at - startAt));
      span.addEvent('first-event', undefined, spanTime(scheduler, at));
    },
    end(extra) {
      if (ended) return;
      span.end(spanTime(scheduler, finish(extra)));
    },
    fail(error) {
      if (ended) return;
      const at = finish(undefined);
      span.recordException(error instanceof Error ? error : String(error), spanTime(scheduler, at));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      span.end(spanTime(scheduler, at));
    },
    cancel() {
      if (ended) return;
      span.end(spanTime(scheduler, finish({ [TRACE_ATTRIBUTES.cancelled]: true })));
    },
  };
}

const ignore = (): void => undefined;

/**
 * The stage of a turn whose span does not record (no OpenTelemetry SDK, or the turn was sampled
 * out): no span of its own — it carries the turn's span and context — and nothing to record.
 * @internal
 */
export function quietStageSpan(stage: string, turnSpan: Span, turnContext: Context): StageSpan {
  return {
    stage,
    span: turnSpan,
    context: turnContext,
    firstEvent: ignore,
    end: ignore,
    fail: ignore,
    cancel: ignore,
  };
}
