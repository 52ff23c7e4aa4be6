import { context } from '@opentelemetry/api';
import type { Observable, Observer, Unsubscribable } from 'rxjs';
import { stereoToMono } from '../audio/pcm16';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { TtsEvent, TtsModel } from '../provider/tts-model';
import type { StageSpan } from '../tracing/stage-span';
import { TRACE_ATTRIBUTES } from '../tracing/trace-attributes';
import { AgentPlayback } from './agent-playback';
import { type Reply, StageFailure, type StartReplyInit } from './agent-reply';
import type { PendingToolCalls } from './pending-tool-calls';
import type { ReplyPlayout } from './reply-playout';
import { ReplyText, type ReplyTextInit } from './reply-text';
import { ReplyTrace, SESSION_TRACE_ATTRIBUTES, type SessionTracing } from './reply-trace';
import type { SessionContext } from './session-context';
import type { SessionRuntime } from './session-runtime';
import type { SessionTurns } from './session-turns';
import type { VoiceAgentRegistry } from './voice-agent-registry';
import type { VoiceAgentRouter } from './voice-agent-router';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

/** What a session's reply production needs. @internal */
export interface ReplyProductionInit {
  runtime: SessionRuntime;
  turns: SessionTurns;
  playout: ReplyPlayout;
  tools: PendingToolCalls;
  context: SessionContext;
  tracing: SessionTracing;
  registry: VoiceAgentRegistry;
  router: VoiceAgentRouter | undefined;
  tts: TtsModel | undefined;
  /** The session's options (its `language` and `voice` go to the TTS). */
  options: VoiceAgentSessionOptions;
}

/**
 * A session's reply production: context → routing → agent → TTS, each reply traced, its audio
 * and word marks handed to its playback; the reducer hears `reply-ready` at its first audio (or,
 * without a TTS, its whole text) and `reply-failed` / `audio-cancel` when a stage fails.
 * @internal
 */
export class ReplyProduction {
  readonly #init: ReplyProductionInit;
  readonly #textInit: ReplyTextInit;

  constructor(init: ReplyProductionInit) {
    this.#init = init;
    this.#textInit = {
      context: init.context,
      registry: init.registry,
      router: init.router,
      tools: init.tools,
      playout: init.playout,
      scheduler: init.runtime.scheduler,
    };
  }

  /**
   * Produces a reply: for a `start-reply` effect (`prompted`), or unprompted (the first message, a
   * tool continuation) — the reducer learns of an unprompted reply at its `reply-ready`.
   */
  start(
    init: StartReplyInit,
    prompted: boolean,
    version = this.#init.runtime.machine().contextVersion,
  ): void {
    const { runtime, turns, tracing, registry } = this.#init;
    const scheduler = runtime.scheduler;
    const now = scheduler.now();
    const id = turns.nextResponseId();
    const reply: Reply = {
      id,
      turn: init.turn,
      version,
      agent: init.fixedText === undefined ? registry.defaultAgent.name : 'first-message',
      text: '',
      textDone: false,
      responseSent: false,
      playback: this.#init.tts === undefined ? undefined : new AgentPlayback(runtime.outputSampleRate),
      subscription: undefined,
      ticker: undefined,
      tickDueAt: 0,
      prompted,
      ready: false,
      playing: false,
      askedAt: now,
      firstDeltaAt: undefined,
      firstAudioAt: undefined,
      userSpeechEndAt: init.userSpeechEndAt,
      metrics: init.metrics ?? {},
      done: false,
      toolCalls: 0,
      trace: new ReplyTrace(tracing, {
        turn: init.turn,
        responseId: id,
        utterance: init.utterance,
        toolContinuation: init.userTurn === undefined && init.fixedText === undefined,
      }),
    };
    turns.add(reply);
    const { text } = new ReplyText(this.#textInit, reply, init, {
      scheduler,
      ...reply.trace.callOptions({}),
    });
    const tts = this.#init.tts;
    reply.subscription =
      tts === undefined
        ? text.subscribe({
            error: (error: unknown) => this.fail(reply, error),
            complete: () => this.markReady(reply),
          })
        : this.#synthesize(reply, tts, text);
  }

  /**
   * Subscribes the TTS to the reply's text, in a `tts` stage span of the turn (the active context
   * while it subscribes; without a recording turn, the turn's context).
   */
  #synthesize(reply: Reply, tts: TtsModel, text: Observable<string>): Unsubscribable {
    const { scheduler, outputSampleRate } = this.#init.runtime;
    const { language, voice } = this.#init.options;
    const turn = reply.trace.turn;
    const stage = turn.span.isRecording()
      ? turn.startStage('tts', {
          [TRACE_ATTRIBUTES.provider]: tts.provider,
          [SESSION_TRACE_ATTRIBUTES.model]: tts.modelId,
        })
      : undefined;
    const observer = new SynthesisObserver(this, reply, stage);
    return context.with(stage?.context ?? turn.context, () => {
      let events: Observable<TtsEvent>;
      try {
        events = tts.synthesize(
          {
            text,
            sampleRate: outputSampleRate,
            ...(voice === undefined ? {} : { voice }),
            ...(language === undefined ? {} : { language }),
          },
          reply.trace.callOptions({ scheduler }),
        );
      } catch (error) {
        observer.error(error);
        return observer;
      }
      observer.subscription = events.subscribe(observer);
      return observer;
    });
  }

  /** A TTS event of a reply's synthesis. @internal */
  onTts(reply: Reply, event: TtsEvent): void {
    const playback = reply.playback!;
    if (reply.done) return;
    if (event.type === 'audio') {
      const outputSampleRate = this.#init.runtime.outputSampleRate;
      const frame = event.frame.channels === 2 ? stereoToMono(event.frame) : event.frame;
      if (frame.sampleRate !== outputSampleRate) {
        this.fail(
          reply,
          new StageFailure(
            'tts',
            new InvalidArgumentError(
              'tts',
              `the model sent ${frame.sampleRate} Hz audio for a ${outputSampleRate} Hz request; use a TTS model that honours TtsRequest.sampleRate.`,
            ),
          ),
        );
        return;
      }
      reply.firstAudioAt ??= this.#init.runtime.scheduler.now();
      playback.addAudio(frame.samples);
      if (reply.ready) this.#init.playout.tryStart(reply);
      else this.markReady(reply);
    } else if (event.type === 'mark' && event.kind === 'word') {
      playback.addWord({ text: event.text, offsetMs: event.offsetMs, durationMs: event.durationMs });
    } else if (event.type === 'end') {
      this.onTtsEnd(reply);
    }
  }

  /** A reply's synthesis (or, without a TTS, its text) ended. @internal */
  onTtsEnd(reply: Reply): void {
    const playback = reply.playback!;
    if (reply.done || playback.ended) return;
    playback.ended = true;
    // A reply with no audio (only tool calls) is ready when its synthesis ends: it plays out at once.
    if (reply.ready) this.#init.playout.tryStart(reply);
    else this.markReady(reply);
  }

  /**
   * The reply has something to play (its first audio, or — without a TTS — its whole text): ask the
   * reducer, whose context-version guard discards a reply made for an outdated turn (`discard-reply`).
   */
  markReady(reply: Reply): void {
    if (reply.done || reply.ready) return;
    reply.ready = true;
    const runtime = this.#init.runtime;
    runtime.dispatch({
      type: 'reply-ready',
      at: runtime.scheduler.now(),
      replyId: reply.id,
      contextVersion: reply.version,
    });
  }

  /** A stage of a reply failed. @internal */
  fail(reply: Reply, error: unknown): void {
    if (reply.done) return;
    const { runtime, turns } = this.#init;
    const failure = StageFailure.of('agent', error);
    runtime.emitError(failure.stage, failure.error);
    const playback = reply.playback;
    if (playback?.started && !playback.paused) {
      // Let what was already synthesized play out.
      playback.ended = true;
      reply.subscription?.unsubscribe();
      return;
    }
    turns.close(reply);
    reply.trace.failed(failure.error);
    if (!reply.ready) {
      runtime.dispatch({ type: 'reply-failed', at: runtime.scheduler.now(), contextVersion: reply.version });
      return;
    }
    // Ready but cut short: the reducer hears of it as a cancel with what was heard.
    const heardText = playback?.started
      ? playback.heardText(playback.positionMs(runtime.scheduler.now()), reply.text)
      : '';
    turns.awaitCommit(reply);
    runtime.dispatch({ type: 'audio-cancel', at: runtime.scheduler.now(), replyId: reply.id, heardText });
  }
}

/**
 * Hands a reply's TTS events to the production, with the `tts` stage span's first event, end and
 * failure; unsubscribing cancels the synthesis (and the stage).
 */
class SynthesisObserver implements Observer<TtsEvent>, Unsubscribable {
  subscription: Unsubscribable | undefined;

  constructor(
    private readonly production: ReplyProduction,
    private readonly reply: Reply,
    private readonly stage: StageSpan | undefined,
  ) {}

  next(event: TtsEvent): void {
    this.stage?.firstEvent();
    try {
      this.production.onTts(this.reply, event);
    } catch (error) {
      this.production.fail(this.reply, StageFailure.of('tts', error));
    }
  }

  error(error: unknown): void {
    this.stage?.fail(error);
    this.production.fail(this.reply, StageFailure.of('tts', error));
  }

  complete(): void {
    this.stage?.end();
    this.production.onTtsEnd(this.reply);
  }

  unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.stage?.cancel();
  }
}
