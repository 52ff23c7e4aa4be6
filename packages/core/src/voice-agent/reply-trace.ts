import { type Attributes, type Tracer, trace } from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import { merged } from '../internal/merged';
import type { CallOptions } from '../provider/specification';
import { spanTime } from '../tracing/span-time';
import type { StageSpan } from '../tracing/stage-span';
import { TRACE_ATTRIBUTES } from '../tracing/trace-attributes';
import { type TurnTrace, traceTurn } from '../tracing/turn-trace';
import type { UserUtterance } from './user-utterance';

/**
 * The attributes a voice-agent session adds to its turn spans (besides `TRACE_ATTRIBUTES`).
 * @internal
 */
export const SESSION_TRACE_ATTRIBUTES = {
  conversationId: 'argentum.conversation_id',
  responseId: 'argentum.response_id',
  agent: 'argentum.agent',
  interrupted: 'argentum.interrupted',
  cutStage: 'argentum.cut_stage',
  playedMs: 'argentum.played_ms',
  toolContinuation: 'argentum.tool_continuation',
  model: 'argentum.model',
} as const;

/** What every reply trace of a session shares. @internal */
export interface SessionTracing {
  /** The session's tracer, or the global API's (looked up once: a proxy that follows a provider registered later). */
  tracer: Tracer;
  correlationId: string;
  conversationId: string;
  scheduler: SchedulerLike;
  /** Attributes of the `stt` stage (the model). */
  sttAttributes: Attributes;
}

/** What {@link createSessionTracing} reads: the session's tracer, ids, clock and STT model. @internal */
export interface SessionTracingInit {
  tracer: Tracer | undefined;
  correlationId: string;
  conversationId: string;
  scheduler: SchedulerLike;
  stt: { provider: string; modelId: string };
}

/** The tracing a session's replies share (the STT model as the `stt` stage's attributes). @internal */
export function createSessionTracing(init: SessionTracingInit): SessionTracing {
  return {
    tracer: init.tracer ?? trace.getTracer('@argentum/core'),
    correlationId: init.correlationId,
    conversationId: init.conversationId,
    scheduler: init.scheduler,
    sttAttributes: {
      [TRACE_ATTRIBUTES.provider]: init.stt.provider,
      [SESSION_TRACE_ATTRIBUTES.model]: init.stt.modelId,
    },
  };
}

/** What a reply trace starts from. @internal */
export interface ReplyTraceInit {
  turn: number;
  responseId: string;
  /** The utterance that made the turn (spoken turns): the turn starts at its onset and gets `vad-end` and `stt` stages. */
  utterance: UserUtterance | undefined;
  /** A follow-up reply after client tool results. */
  toolContinuation: boolean;
}

/**
 * The trace of one reply: an `argentum.turn` span from the user's speech onset (or the reply's
 * start) to the end of playout, with `vad-end` and `stt` recorded from the utterance, `llm` and
 * `tts` wrapped around their streams by the session, and `playout` from the first audio out to
 * the last. A cut reply marks the stage it cut.
 * @internal
 */
export class ReplyTrace {
  readonly turn: TurnTrace;
  readonly #scheduler: SchedulerLike;
  #playout: StageSpan | undefined;

  constructor(tracing: SessionTracing, init: ReplyTraceInit) {
    const scheduler = tracing.scheduler;
    this.#scheduler = scheduler;
    const utterance = init.utterance;
    const now = scheduler.now();
    this.turn = traceTurn({
      correlationId: tracing.correlationId,
      turn: init.turn,
      scheduler,
      startAt: Math.min(now, utterance?.speechStartedAt ?? now),
      attributes: {
        [SESSION_TRACE_ATTRIBUTES.conversationId]: tracing.conversationId,
        [SESSION_TRACE_ATTRIBUTES.responseId]: init.responseId,
        ...(init.toolContinuation ? { [SESSION_TRACE_ATTRIBUTES.toolContinuation]: true } : {}),
      },
      tracer: tracing.tracer,
    });
    if (utterance !== undefined) this.#recordInput(utterance, now, tracing.sttAttributes);
  }

  /**
   * Provider call options of this turn: `extra` plus the correlation id (and trace context).
   * @param extra - the scheduler.
   */
  callOptions(extra: CallOptions): CallOptions {
    return this.turn.callOptions(extra);
  }

  /** The first audio went out. */
  playoutStarted(): void {
    this.#playout ??= this.turn.startStage('playout');
  }

  /**
   * Output paused for a barge-in (a span event on the playout stage).
   * @param positionMs - where in the reply's audio.
   */
  playoutPaused(positionMs: number): void {
    this.#playout?.span.addEvent('paused', { 'argentum.position_ms': positionMs }, this.#now());
  }

  /**
   * Output resumed after a false interruption.
   * @param positionMs - where in the reply's audio.
   */
  playoutResumed(positionMs: number): void {
    this.#playout?.span.addEvent('resumed', { 'argentum.position_ms': positionMs }, this.#now());
  }

  /**
   * The reply played to its end.
   * @param agent - the agent that answered.
   * @param playedMs - its audio, ms.
   */
  finished(agent: string, playedMs: number): void {
    this.#playout?.end();
    this.turn.end({
      [SESSION_TRACE_ATTRIBUTES.agent]: agent,
      [SESSION_TRACE_ATTRIBUTES.interrupted]: false,
      [SESSION_TRACE_ATTRIBUTES.playedMs]: playedMs,
    });
  }

  /**
   * The user cut the reply off. Call after the reply's streams were cancelled (their stage spans
   * end marked cancelled); the playout stage, if it started, ends marked cancelled too.
   * @param agent - the agent that answered.
   * @param cutStage - the stage that was running when it was cut: `playout`, `tts` or `llm`.
   * @param playedMs - how much of its audio the user heard, ms.
   */
  interrupted(agent: string, cutStage: string, playedMs: number): void {
    this.#playout?.cancel();
    this.turn.end({
      [SESSION_TRACE_ATTRIBUTES.agent]: agent,
      [SESSION_TRACE_ATTRIBUTES.interrupted]: true,
      [SESSION_TRACE_ATTRIBUTES.cutStage]: cutStage,
      [SESSION_TRACE_ATTRIBUTES.playedMs]: playedMs,
    });
  }

  /**
   * The reply failed before any audio played.
   * @param error - what went wrong.
   */
  failed(error: unknown): void {
    this.#playout?.cancel();
    this.turn.fail(error);
  }

  /** The reply was dropped unheard-of (made for an outdated turn, or the session closed). */
  dropped(): void {
    this.#playout?.cancel();
    this.turn.end({ [TRACE_ATTRIBUTES.cancelled]: true });
  }

  #recordInput(utterance: UserUtterance, now: number, sttAttributes: Attributes): void {
    const speechEndedAt = utterance.speechEndedAt;
    const confirmedEndAt = utterance.confirmedEndAt;
    if (speechEndedAt !== undefined && confirmedEndAt !== undefined && confirmedEndAt >= speechEndedAt) {
      this.turn.recordStage('vad-end', speechEndedAt, confirmedEndAt);
    }
    const sttStartedAt = utterance.transcribeStartedAt;
    if (sttStartedAt === undefined) return;
    const sttEndedAt = Math.max(sttStartedAt, utterance.transcribedAt ?? now);
    const attributes: Attributes = merged(sttAttributes, {});
    if (utterance.firstTranscriptAt !== undefined) {
      attributes[TRACE_ATTRIBUTES.firstEventMs] = utterance.firstTranscriptAt - sttStartedAt;
    }
    if (confirmedEndAt !== undefined) {
      // The part of the STT time the user waited for: end of speech confirmed → final transcript.
      attributes['argentum.stt.final_latency_ms'] = Math.max(0, sttEndedAt - confirmedEndAt);
    }
    this.turn.recordStage('stt', sttStartedAt, sttEndedAt, attributes);
  }

  #now() {
    return spanTime(this.#scheduler, this.#scheduler.now());
  }
}
