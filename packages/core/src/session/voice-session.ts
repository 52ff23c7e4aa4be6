import { EventEmitter } from 'eventemitter3';
import {
  isObservable,
  type Observable,
  of,
  type SchedulerLike,
  Subject,
  type Subscription,
  take,
} from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import type { SpeechDetectorOptions } from '../audio/vad/speech-detector';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import type { AudioController, AudioSegment, PlaybackEvent } from '../controller/audio-controller';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { BargeInPolicyOptions } from '../interrupt/barge-in-options';
import type { BargeInPolicy } from '../interrupt/barge-in-policy';
import type { SttEvent } from '../provider/stt-model';
import type { VadModel } from '../provider/vad-model';
import {
  detectUserSpeech,
  USER_SPEECH_DETECTOR_DEFAULTS,
  type UserSpeechActivityEvent,
} from './detect-user-speech';
import type { SessionTransition } from './reduce-session';
import type { BargeInOutcome, SessionEffect } from './session-effect';
import type { SessionEvent } from './session-event';
import type { SessionState } from './session-state';
import { VoiceSessionMachine } from './voice-session-machine';

/** The user's committed turn, as given to {@link VoiceSessionOptions.respond}. */
export interface UserTurn {
  /** The context version the reply must be made for (it is checked when the reply is ready). */
  contextVersion: number;
  /** What the user said. */
  transcript: string;
}

/** Options of {@link VoiceSession}. */
export interface VoiceSessionOptions {
  /** Plays the agent's replies; the session pauses, resumes and stops it. Use one controller per session. */
  controller: AudioController;
  /**
   * The user's microphone frames, stamped on the session's scheduler clock and delivered as they
   * are captured. Voice activity is detected with `vad` and `speechDetector`. Give this or `userSpeech`.
   */
  userAudio?: Observable<AudioFrame>;
  /** The VAD model for `userAudio`; defaults to an energy VAD. */
  vad?: VadModel;
  /** Speech detector settings for `userAudio`; defaults to {@link USER_SPEECH_DETECTOR_DEFAULTS}. */
  speechDetector?: SpeechDetectorOptions;
  /** Ready-made user-speech events (e.g. from your own VAD), instead of `userAudio`. */
  userSpeech?: Observable<UserSpeechActivityEvent>;
  /** The STT's transcripts of the user's speech (their `at` on the session's clock). */
  transcripts?: Observable<SttEvent>;
  /**
   * Produces the agent's reply to a user turn: a segment (text, or a TTS stream) or an Observable
   * of one (only the first is used; unsubscribing must cancel the work — it is unsubscribed when
   * the reply is cancelled). Without it, only {@link VoiceSession.say} makes the agent speak.
   */
  respond?: (turn: UserTurn) => AudioSegment | Observable<AudioSegment>;
  /** The barge-in rules; see {@link BargeInPolicyOptions}. */
  bargeIn?: BargeInPolicyOptions | BargeInPolicy;
  /** The clock; defaults to the real-time scheduler. Use the controller's. */
  scheduler?: SchedulerLike;
}

/**
 * The measured barge-in: the reducer's {@link BargeInOutcome} plus what the output did, measured
 * on the reply's own audio (its controller `chunk`s). Times in scheduler ms.
 *
 * @example
 * ```ts
 * session.metrics$.subscribe((m) => console.log(m.outcome, m.pauseLatencyMs, m.tailMs));
 * ```
 */
export interface BargeInMetrics extends BargeInOutcome {
  /** When the session called the controller's `pause()`. */
  pauseRequestedAt: number;
  /** When the reply's audio fell silent: the end of its pause fade (or the pause request, if nothing was audible). */
  pausedAt: number;
  /** `pausedAt − onsetAt`: from the true onset of the user's speech to a silent output, ms. */
  pauseLatencyMs: number;
  /**
   * For a confirmed barge-in: from the confirmation to the end of the reply's last audio out
   * (0 when it was already silent), ms. `undefined` for a resumed one.
   */
  tailMs: number | undefined;
}

/** The listener signatures of {@link VoiceSession.on}. */
export interface VoiceSessionEvents {
  /** The state after a step that changed it. */
  state: (state: SessionState) => void;
  /** A change of status. */
  transition: (transition: SessionTransition) => void;
  /** One effect, in order, with the state after its step. */
  effect: (effect: SessionEffect, state: SessionState) => void;
  /** A barge-in ended (confirmed or resumed), with its measurements. */
  metrics: (metrics: BargeInMetrics) => void;
  /**
   * An input failed, the reply producer failed, or an event was rejected; the session carries on.
   * Without an `error` listener such errors are thrown.
   */
  error: (error: unknown) => void;
}

interface ReplyPlayback {
  replyId: string;
  subscription: Subscription | undefined;
  lastChunkEndAt: number | undefined;
  firstChunk: boolean;
  startOffsetMs: number;
  finished: boolean;
}

interface PauseWatch {
  requestedAt: number;
  replyId: string | undefined;
  pausedAt: number | undefined;
  lastChunkEndBefore: number | undefined;
}

/**
 * A voice session: the glue between the user's voice (VAD, STT), the agent's replies and an
 * {@link AudioController}, driven by the session reducer ({@link reduceSession} through a
 * {@link VoiceSessionMachine}). It runs the reducer's effects — pauses the output the moment the
 * user speaks over the agent, resumes it after a false interruption, cancels the reply (its TTS
 * stream is unsubscribed, its audio cut) on a confirmed one and reports what the user heard —
 * and measures every barge-in ({@link BargeInMetrics}). A building block: the full voice agent
 * adds an LLM through `respond`.
 *
 * @example
 * ```ts
 * import { SimAudioController, VoiceSession, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
 * const session = new VoiceSession({
 *   controller,
 *   userAudio: microphoneFrames$,
 *   transcripts: stt.transcribe({ audio: microphoneFrames$ }),
 *   respond: ({ transcript }) => ({ kind: 'text', speaker: 'agent', text: `You said: ${transcript}` }),
 *   scheduler: clock.scheduler,
 * });
 * session.on('transition', ({ from, to, at }) => console.log(at, `${from} → ${to}`));
 * session.on('metrics', (m) => console.log(`paused ${m.pauseLatencyMs} ms after the onset`));
 * session.start();
 * session.say({ kind: 'text', speaker: 'agent', text: 'Hello! How can I help?' });
 * clock.advanceBy(10_000);
 * session.stop();
 * ```
 */
export class VoiceSession {
  /** The session's clock. */
  readonly scheduler: SchedulerLike;
  /** The audio controller it drives. */
  readonly controller: AudioController;
  /** The state: the current one on subscription, then each new one. **Hot**; completes on stop. */
  readonly state$: Observable<SessionState>;
  /** Every change of status. **Hot**; completes on stop. */
  readonly transitions$: Observable<SessionTransition>;
  /** Every effect, in order (including `commit-agent-turn` and `request-transcript`). **Hot**; completes on stop. */
  readonly effects$: Observable<SessionEffect>;
  /** Every barge-in's measurements. **Hot**; completes on stop. */
  readonly metrics$: Observable<BargeInMetrics>;

  private readonly machine: VoiceSessionMachine;
  private readonly options: VoiceSessionOptions;
  private readonly emitter = new EventEmitter<VoiceSessionEvents>();
  private readonly metricsSubject = new Subject<BargeInMetrics>();
  private readonly inputs: Subscription[] = [];
  private readonly replies = new Map<string, AudioSegment>();
  private production: { contextVersion: number; subscription: Subscription | undefined } | undefined;
  private playback: ReplyPlayback | undefined;
  private pauseWatch: PauseWatch | undefined;
  private pendingMetrics: { metrics: BargeInMetrics; replyId: string } | undefined;
  private replyCount = 0;
  private stopped = false;

  /**
   * @param options - the controller, the user's voice, transcripts, the reply producer, the rules.
   * @throws {@link InvalidArgumentError} without a controller, with both or neither of `userAudio`
   * and `userSpeech`, or for invalid barge-in options.
   */
  constructor(options: VoiceSessionOptions) {
    if (options?.controller === undefined) {
      throw new InvalidArgumentError(
        'controller',
        'a voice session needs an AudioController to play replies.',
      );
    }
    if ((options.userAudio === undefined) === (options.userSpeech === undefined)) {
      throw new InvalidArgumentError(
        'userAudio',
        'give exactly one of userAudio (microphone frames, detected with a VAD) and userSpeech (your own VAD events).',
      );
    }
    this.options = options;
    this.controller = options.controller;
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.machine = new VoiceSessionMachine({ bargeIn: options.bargeIn, scheduler: this.scheduler });
    this.state$ = this.machine.state$;
    this.transitions$ = this.machine.transitions$;
    this.effects$ = this.machine.effects$;
    this.metrics$ = this.metricsSubject.asObservable();
    this.machine.on('effect', (effect, state) => this.run(effect, state));
    this.machine.on('state', (state) => this.emitter.emit('state', state));
    this.machine.on('transition', (transition) => this.emitter.emit('transition', transition));
  }

  /** The current state. */
  get state(): SessionState {
    return this.machine.state;
  }

  /**
   * Starts listening: subscribes to the user's voice and the transcripts (`idle` → `listening`).
   *
   * @throws {@link InvalidTransitionError} when already started or stopped.
   * @example
   * ```ts
   * session.start();
   * ```
   */
  start(): void {
    this.machine.dispatch({ type: 'start', at: this.scheduler.now() });
    const speech =
      this.options.userSpeech ??
      this.options.userAudio!.pipe(
        detectUserSpeech(this.options.vad, this.options.speechDetector ?? USER_SPEECH_DETECTOR_DEFAULTS),
      );
    this.inputs.push(
      speech.subscribe({
        next: (event) => this.dispatch(event),
        error: (error: unknown) => this.fail(error),
      }),
    );
    if (this.options.transcripts !== undefined) {
      this.inputs.push(
        this.options.transcripts.subscribe({
          next: (event) => this.dispatch({ type: event.type, at: event.at, text: event.text }),
          error: (error: unknown) => this.fail(error),
        }),
      );
    }
  }

  /**
   * Makes the agent say something unprompted (a greeting, a notice) while nobody holds the turn.
   * It is discarded (`discard-reply`, reason `busy`) when the user is speaking or a reply is in progress.
   *
   * @param segment - what to say.
   * @returns the reply id (the segment's id, or `reply-N`).
   * @example
   * ```ts
   * session.say({ kind: 'text', speaker: 'agent', text: 'Hi, I am listening.' });
   * ```
   */
  say(segment: AudioSegment): string {
    const replyId = this.register(segment);
    this.dispatch({
      type: 'reply-ready',
      at: this.scheduler.now(),
      replyId,
      contextVersion: this.machine.state.contextVersion,
    });
    return replyId;
  }

  /**
   * Interrupts the agent now (a stop button): like a confirmed barge-in without waiting.
   *
   * @example
   * ```ts
   * stopButton.onclick = () => session.interrupt();
   * ```
   */
  interrupt(): void {
    this.dispatch({ type: 'interrupt', at: this.scheduler.now() });
  }

  /**
   * Feeds an event to the session's reducer (for inputs the options do not cover). Rejected
   * events are reported to `error` listeners.
   *
   * @param event - the event.
   * @example
   * ```ts
   * session.dispatch({ type: 'transcript-final', at: clock.now(), text: 'stop' });
   * ```
   */
  dispatch(event: SessionEvent): void {
    try {
      this.machine.dispatch(event);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Adds a listener (the eventemitter3 facade).
   *
   * @param name - `state`, `transition`, `effect`, `metrics` or `error`.
   * @param listener - the callback.
   * @returns this session, for chaining.
   * @example
   * ```ts
   * session.on('state', (state) => console.log(state.status));
   * ```
   */
  on<Name extends keyof VoiceSessionEvents>(name: Name, listener: VoiceSessionEvents[Name]): this {
    // biome-ignore lint/suspicious/noExplicitAny: eventemitter3's listener type is generic per name.
    this.emitter.on(name, listener as any);
    return this;
  }

  /**
   * Removes a listener added with {@link VoiceSession.on}.
   *
   * @param name - the event name.
   * @param listener - the same callback.
   * @returns this session, for chaining.
   * @example
   * ```ts
   * session.off('state', render);
   * ```
   */
  off<Name extends keyof VoiceSessionEvents>(name: Name, listener: VoiceSessionEvents[Name]): this {
    // biome-ignore lint/suspicious/noExplicitAny: see on().
    this.emitter.off(name, listener as any);
    return this;
  }

  /**
   * Stops the session (→ `terminated`): cancels the reply in progress, unsubscribes every input
   * and the reply producer, clears the session's timer and completes its streams — once the reply
   * being cut (≤ 10 ms fade) has reported what was heard (`commit-agent-turn`). The controller is
   * not disposed. Idempotent.
   *
   * @example
   * ```ts
   * session.stop();
   * ```
   */
  stop(): void {
    if (this.stopped) return;
    this.dispatch({ type: 'stop', at: this.scheduler.now() });
    this.stopped = true;
    for (const input of this.inputs.splice(0)) input.unsubscribe();
    this.production?.subscription?.unsubscribe();
    this.production = undefined;
    // A reply being cut still reports what was heard (its `cancel` comes after its ≤ 10 ms fade):
    // the session closes once it has.
    if (this.playback === undefined) this.close();
  }

  private close(): void {
    this.flushPendingMetrics();
    this.machine.dispose();
    this.metricsSubject.complete();
    this.emitter.removeAllListeners();
  }

  /** Whether the session holds any subscription or timer (for leak checks). @internal */
  get activeResources(): number {
    return (
      this.inputs.length +
      (this.production?.subscription === undefined ? 0 : 1) +
      (this.playback?.subscription === undefined ? 0 : 1) +
      (this.machine.tickPending ? 1 : 0)
    );
  }

  /** Reports an error to the `error` listeners; with none, throws it (RxJS reports it as unhandled). */
  private fail(error: unknown): void {
    if (this.emitter.listenerCount('error') === 0) throw error;
    this.emitter.emit('error', error);
  }

  private register(segment: AudioSegment): string {
    this.replyCount += 1;
    const replyId = segment.id ?? `reply-${this.replyCount}`;
    this.replies.set(replyId, { ...segment, id: replyId });
    return replyId;
  }

  // ─── effects ──────────────────────────────────────────────────────────────────────────────

  private run(effect: SessionEffect, state: SessionState): void {
    this.emitter.emit('effect', effect, state);
    switch (effect.type) {
      case 'pause-output':
        this.pauseWatch = {
          requestedAt: this.scheduler.now(),
          replyId: this.playback?.replyId,
          pausedAt: undefined,
          lastChunkEndBefore: this.playback?.lastChunkEndAt,
        };
        this.controller.pause();
        break;
      case 'resume-output':
        this.controller.resume();
        break;
      case 'start-reply':
        this.produce(effect.contextVersion, effect.transcript);
        break;
      case 'play-reply':
        this.play(effect.replyId);
        break;
      case 'cancel-reply':
        this.cancel(effect.replyId, effect.contextVersion);
        break;
      case 'discard-reply':
        this.replies.delete(effect.replyId);
        break;
      case 'emit-metrics':
        this.measure(effect.metrics);
        break;
      default:
        break;
    }
  }

  private produce(contextVersion: number, transcript: string): void {
    const respond = this.options.respond;
    if (respond === undefined) return;
    this.production?.subscription?.unsubscribe();
    const production: { contextVersion: number; subscription: Subscription | undefined } = {
      contextVersion,
      subscription: undefined,
    };
    this.production = production;
    let source: Observable<AudioSegment>;
    try {
      const result = respond({ contextVersion, transcript });
      source = isObservable(result) ? result : of(result);
    } catch (error) {
      this.production = undefined;
      this.fail(error);
      this.dispatch({ type: 'reply-failed', at: this.scheduler.now(), contextVersion });
      return;
    }
    let delivered = false;
    const done = (): void => {
      if (this.production === production) this.production = undefined;
    };
    const subscription = source.pipe(take(1)).subscribe({
      next: (segment) => {
        delivered = true;
        done();
        const replyId = this.register(segment);
        this.dispatch({ type: 'reply-ready', at: this.scheduler.now(), replyId, contextVersion });
      },
      error: (error: unknown) => {
        done();
        this.fail(error);
        this.dispatch({ type: 'reply-failed', at: this.scheduler.now(), contextVersion });
      },
      complete: () => {
        done();
        if (!delivered) this.dispatch({ type: 'reply-failed', at: this.scheduler.now(), contextVersion });
      },
    });
    if (this.production === production) production.subscription = subscription;
  }

  private play(replyId: string): void {
    const segment = this.replies.get(replyId);
    this.replies.delete(replyId);
    if (segment === undefined) return;
    const playback: ReplyPlayback = {
      replyId,
      subscription: undefined,
      lastChunkEndAt: undefined,
      firstChunk: true,
      startOffsetMs: 0,
      finished: false,
    };
    this.playback = playback;
    const finish = (event: SessionEvent): void => {
      if (playback.finished) return;
      playback.finished = true;
      if (this.playback === playback) this.playback = undefined;
      this.dispatch(event);
      this.settleMetrics(playback);
      if (this.stopped && this.playback === undefined) this.close();
    };
    const subscription = this.controller.play(segment).subscribe({
      next: (event: PlaybackEvent) => {
        switch (event.type) {
          case 'start':
            playback.startOffsetMs = event.actualAt - event.at;
            this.dispatch({ type: 'audio-start', at: event.actualAt, replyId });
            break;
          case 'chunk': {
            const pad = playback.firstChunk ? playback.startOffsetMs : 0;
            playback.firstChunk = false;
            playback.lastChunkEndAt = event.frameTimestamp + pad + event.durationMs;
            const watch = this.pauseWatch;
            if (watch !== undefined && watch.replyId === replyId && watch.pausedAt === undefined) {
              watch.pausedAt = playback.lastChunkEndAt;
            }
            break;
          }
          case 'end':
            finish({ type: 'audio-end', at: event.at, replyId, heardText: event.heardText });
            break;
          case 'cancel':
            finish({ type: 'audio-cancel', at: event.at, replyId, heardText: event.heardText });
            break;
          default:
            break;
        }
      },
      error: (error: unknown) => {
        // A TTS failure arrives after its `cancel`; a rejected segment arrives alone.
        if (!playback.finished)
          finish({ type: 'audio-cancel', at: this.scheduler.now(), replyId, heardText: '' });
        this.fail(error);
      },
    });
    if (!playback.finished) playback.subscription = subscription;
  }

  private cancel(replyId: string | undefined, contextVersion: number): void {
    if (this.production !== undefined && this.production.contextVersion === contextVersion) {
      this.production.subscription?.unsubscribe();
      this.production = undefined;
    }
    if (replyId === undefined) return;
    this.replies.delete(replyId);
    // Cut the audio (the controller reports the heard text with its `cancel`): at once when
    // paused, else with a ≤ 10 ms fade. The TTS stream is unsubscribed by the controller.
    if (this.playback?.replyId === replyId) this.controller.stopNow();
  }

  // ─── metrics ──────────────────────────────────────────────────────────────────────────────

  private measure(outcome: BargeInOutcome): void {
    const watch = this.pauseWatch;
    this.pauseWatch = undefined;
    const requestedAt = watch?.requestedAt ?? outcome.detectedAt;
    const pausedAt = watch?.pausedAt ?? Math.max(requestedAt, watch?.lastChunkEndBefore ?? requestedAt);
    const metrics: BargeInMetrics = {
      ...outcome,
      pauseRequestedAt: requestedAt,
      pausedAt,
      pauseLatencyMs: pausedAt - outcome.onsetAt,
      tailMs: undefined,
    };
    const playback = this.playback;
    if (outcome.outcome === 'confirmed' && playback !== undefined && !playback.finished) {
      // The reply's last audio (a fade, if it was still audible) is known once it is cancelled.
      this.pendingMetrics = { metrics, replyId: playback.replyId };
      return;
    }
    if (outcome.outcome === 'confirmed') metrics.tailMs = 0;
    this.publish(metrics);
  }

  private settleMetrics(playback: ReplyPlayback): void {
    const pending = this.pendingMetrics;
    if (pending === undefined || pending.replyId !== playback.replyId) return;
    this.pendingMetrics = undefined;
    const metrics = pending.metrics;
    const lastOut = playback.lastChunkEndAt ?? metrics.resolvedAt;
    metrics.tailMs = Math.max(0, lastOut - metrics.resolvedAt);
    if (metrics.pausedAt > lastOut) metrics.pausedAt = Math.max(metrics.pauseRequestedAt, lastOut);
    metrics.pauseLatencyMs = metrics.pausedAt - metrics.onsetAt;
    this.publish(metrics);
  }

  private flushPendingMetrics(): void {
    const pending = this.pendingMetrics;
    if (pending === undefined) return;
    this.pendingMetrics = undefined;
    pending.metrics.tailMs = 0;
    this.publish(pending.metrics);
  }

  private publish(metrics: BargeInMetrics): void {
    this.metricsSubject.next(metrics);
    this.emitter.emit('metrics', metrics);
  }
}
