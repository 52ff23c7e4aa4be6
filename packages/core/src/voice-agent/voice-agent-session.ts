import { type Observable, type SchedulerLike, Subject } from 'rxjs';
import type { AudioFrame, SampleRate } from '../audio/audio-frame';
import { createEnergyVad } from '../audio/vad/energy-vad';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { BargeInPolicy } from '../interrupt/barge-in-policy';
import { reduceSession } from '../session/reduce-session';
import type { SessionEvent } from '../session/session-event';
import { createSessionState } from '../session/session-state';
import { CORRELATION_ID_HEADER } from '../tracing/turn-trace';
import type { DialogueContext } from './dialogue-context';
import { InMemoryContextStore } from './in-memory-context-store';
import { PendingToolCalls } from './pending-tool-calls';
import { ReplyPlayout } from './reply-playout';
import { ReplyProduction } from './reply-production';
import { createSessionTracing } from './reply-trace';
import { SessionContext } from './session-context';
import { SessionReducerRunner } from './session-reducer-runner';
import type { SessionRuntime } from './session-runtime';
import { SessionTurns } from './session-turns';
import { UserInput, type UserInputHandlers } from './user-input';
import type { VoiceAgentErrorEvent, VoiceAgentEvent, VoiceAgentState } from './voice-agent-events';
import { VoiceAgentRegistry } from './voice-agent-registry';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

/**
 * One voice conversation between a user and agents: user audio frames in → VAD → endpointing →
 * STT → routing → agent → TTS → paced agent audio out, with barge-in. User audio is mixed to mono
 * and resampled to the VAD model's rate (16 kHz for the energy VAD) before the VAD and the STT. Transport-free:
 * a server (e.g. `@argentum/server`) feeds it frames and messages and forwards its events.
 *
 * Turn-taking: the user's turn ends after `endpointing.minSilenceMs` of silence; its transcript goes
 * to the routed agent; the reply's text streams into the TTS and its audio is released `leadMs`
 * ahead of the playback clock. When the user speaks over the agent, output pauses at once
 * (`agent-paused`); speech lasting `minSpeechMs` or a transcript with a non-backchannel word
 * confirms the interruption (`agent-interrupted`, the reply is cancelled and the context keeps only
 * the words heard); otherwise the reply resumes from the paused position after
 * `falseInterruptionTimeoutMs` (`agent-resumed`). A barge-in before the first audio holds the
 * reply the same way. A reply made for an outdated user turn never plays.
 *
 * State machine: the session has no turn-taking logic of its own. Every VAD edge, transcript,
 * typed message, reply readiness and playback report is an event of core's voice session reducer
 * ({@link reduceSession}, table {@link SESSION_TRANSITIONS}); the session's `state` events are the
 * reducer's transitions, and the reducer's effects drive the reply — `start-reply` produces it,
 * `play-reply` lets its audio out, `pause-output` / `resume-output` pause and resume it,
 * `cancel-reply` cuts it, `discard-reply` drops one whose context version is outdated, and
 * `commit-agent-turn` records what was heard. Barge-ins are judged by the reducer's
 * {@link BargeInPolicy} (from `bargeIn`). Unprompted replies (the first message, a tool
 * continuation) carry the context version current when they began and meet the same guard.
 *
 * Output: the session keeps its own paced output instead of an {@link AudioController}. Its
 * audio goes to a remote client that plays it on its own clock: chunks are released `leadMs` ahead
 * of that clock (a {@link StreamingAudioController} would emit frames in real time behind a TTS
 * guard band of ≥ 250 ms, adding that latency to every reply, and mixes for a local sink); the
 * playback position and the heard text are computed from the client's clock and the TTS word marks,
 * and a resume re-sends from the paused position as a new segment because the client dropped its
 * buffer on `interruption`. The reducer sees this output exactly as it sees a controller: `audio-start`,
 * `audio-end`, `audio-cancel` with the heard text.
 *
 * `events` is hot: subscribe before `start()`. It completes on `close()`.
 *
 * @example
 * ```ts
 * const session = new VoiceAgentSession({
 *   conversationId: 'conv-1',
 *   agents: createEchoAgent(),
 *   stt, // any SttModel
 *   tts, // any TtsModel
 *   firstMessage: 'Hi! Say something.',
 * });
 * session.events.subscribe((event) => console.log(event.type));
 * session.start();
 * microphoneFrames.subscribe((frame) => session.pushAudio(frame));
 * ```
 */
export class VoiceAgentSession {
  /** The conversation's id. */
  readonly conversationId: string;
  /** The id on every span and provider call of this session (`x-correlation-id`); default the conversation id. */
  readonly correlationId: string;
  /** Everything the session reports (hot; completes on {@link VoiceAgentSession.close}). */
  readonly events: Observable<VoiceAgentEvent>;
  /** The rate of the agent's audio. */
  readonly outputSampleRate: SampleRate;

  readonly #subject = new Subject<VoiceAgentEvent>();
  readonly #scheduler: SchedulerLike;
  readonly #options: VoiceAgentSessionOptions;
  readonly #input: UserInput;
  readonly #bargeInEnabled: boolean;
  /** Core's voice session reducer, its state and its effects. */
  readonly #reducer: SessionReducerRunner;
  readonly #context: SessionContext;
  readonly #turns: SessionTurns;
  readonly #playout: ReplyPlayout;
  readonly #tools: PendingToolCalls;
  readonly #production: ReplyProduction;

  /**
   * @param options - agents, models and tuning.
   * @throws {@link InvalidArgumentError} for out-of-range options.
   */
  constructor(options: VoiceAgentSessionOptions) {
    if (typeof options.conversationId !== 'string' || options.conversationId.length === 0) {
      throw new InvalidArgumentError('conversationId', 'expected a non-empty string.');
    }
    this.conversationId = options.conversationId;
    const correlationId = options.correlationId ?? options.conversationId;
    if (typeof correlationId !== 'string' || correlationId.length === 0) {
      throw new InvalidArgumentError(
        'correlationId',
        'expected a non-empty string (or omit it to use the conversation id).',
      );
    }
    this.correlationId = correlationId;
    this.#options = options;
    const scheduler = options.scheduler ?? realtimeScheduler;
    this.#scheduler = scheduler;
    const tracing = createSessionTracing({
      tracer: options.tracer,
      correlationId,
      conversationId: options.conversationId,
      scheduler,
      stt: options.stt,
    });
    const registry =
      options.agents instanceof VoiceAgentRegistry
        ? options.agents
        : new VoiceAgentRegistry([options.agents]);
    const store = options.contextStore ?? new InMemoryContextStore({ scheduler });
    const endpointing = options.endpointing ?? {};
    const minSilenceMs = assertNumber('endpointing.minSilenceMs', endpointing.minSilenceMs ?? 400, {
      min: 50,
      max: 10_000,
    });
    const startThreshold = options.vadOptions?.startThreshold ?? 0.5;
    this.#input = new UserInput(
      {
        vad: options.vad ?? createEnergyVad(),
        detector: { minSpeechMs: 40, ...options.vadOptions, minSilenceMs },
        maxUtteranceMs: assertNumber('endpointing.maxUtteranceMs', endpointing.maxUtteranceMs ?? 30_000, {
          min: 500,
        }),
        preRollMs: assertNumber('endpointing.preRollMs', endpointing.preRollMs ?? 300, {
          min: 0,
          max: 5_000,
        }),
        vadScoreIntervalMs: assertNumber('vadScoreIntervalMs', options.vadScoreIntervalMs ?? 250, { min: 0 }),
        voicedThreshold: options.vadOptions?.stopThreshold ?? Math.max(0, startThreshold - 0.15),
        stt: options.stt,
        language: options.language,
        scheduler,
        headers: { [CORRELATION_ID_HEADER]: correlationId },
      },
      this.#inputHandlers(),
    );
    const { enabled, ...policyOptions } = options.bargeIn ?? {};
    this.#bargeInEnabled = enabled ?? true;
    const initial = createSessionState({ bargeIn: new BargeInPolicy(policyOptions) });
    const output = options.output ?? {};
    this.outputSampleRate = output.sampleRate ?? options.tts?.sampleRate ?? 16000;
    const chunkMs = assertNumber('output.chunkMs', output.chunkMs ?? 100, { min: 5, max: 2000 });
    const leadMs = assertNumber('output.leadMs', output.leadMs ?? 300, { min: 0, max: 10_000 });
    const toolTimeoutMs = assertNumber('toolTimeoutMs', options.toolTimeoutMs ?? 15_000, { above: 0 });
    const maxContextTurns = assertNumber('maxContextTurns', options.maxContextTurns ?? 100, {
      min: 1,
      integer: true,
    });

    const emit = (event: VoiceAgentEvent): void => this.#emit(event);
    const emitError = (stage: VoiceAgentErrorEvent['stage'], error: unknown): void =>
      this.#emitError(stage, error);
    this.#reducer = new SessionReducerRunner({
      initial,
      scheduler,
      emit,
      emitError,
      handlers: {
        'start-reply': (effect) =>
          this.#production.start(this.#turns.beginUserTurn(effect.transcript), true, effect.contextVersion),
        'play-reply': (effect) => this.#playout.play(effect.replyId),
        'pause-output': () => this.#playout.pause(),
        'resume-output': () => this.#playout.resume(),
        'cancel-reply': (effect) => this.#playout.cancel(effect),
        'discard-reply': (effect) => {
          const reply = this.#turns.get(effect.replyId);
          if (reply !== undefined) this.#turns.drop(reply);
        },
        'commit-agent-turn': (effect) => this.#turns.commit(effect),
      },
    });
    const runtime: SessionRuntime = {
      scheduler,
      outputSampleRate: this.outputSampleRate,
      emit,
      emitError,
      dispatch: (event) => this.#reducer.dispatch(event),
      machine: () => this.#reducer.state,
      live: () => this.#live,
    };
    this.#context = new SessionContext({
      conversationId: options.conversationId,
      store,
      options,
      maxContextTurns,
      onError: (error) => this.#emitError('context', error),
    });
    this.#turns = new SessionTurns(runtime, this.#context, () => this.#tools.continueAfter());
    this.#playout = new ReplyPlayout(runtime, this.#turns, { chunkMs, leadMs });
    this.#tools = new PendingToolCalls({
      runtime,
      context: this.#context,
      turns: this.#turns,
      toolTimeoutMs,
      continueReply: (turn, version) =>
        this.#production.start({ turn, transcript: '', userTurn: undefined }, false, version),
    });
    this.#production = new ReplyProduction({
      runtime,
      turns: this.#turns,
      playout: this.#playout,
      tools: this.#tools,
      context: this.#context,
      tracing,
      registry,
      router: options.router,
      tts: options.tts,
      options,
    });
    this.events = this.#subject.asObservable();
  }

  /** The current state: the session reducer's ({@link reduceSession}) status. */
  get state(): VoiceAgentState {
    return this.#reducer.state.status;
  }

  /**
   * Starts listening (and speaks the first message, if any).
   * @example
   * ```ts
   * session.start();
   * ```
   */
  start(): void {
    if (this.#reducer.state.status !== 'idle') return;
    this.#dispatch({ type: 'start', at: this.#scheduler.now() });
    this.#context.record((context) => context);
    const first = this.#options.firstMessage;
    if (first !== undefined && first.trim().length > 0) {
      this.#production.start({ turn: 0, transcript: '', userTurn: undefined, fixedText: first }, false);
    }
  }

  /**
   * Feeds one frame of the user's microphone. Frames must be in time order; `timestamp` is their
   * time on the session's scheduler (a transport stamps them on arrival).
   * @param frame - PCM16 audio at any supported rate, mono or stereo (resampled to the VAD's rate).
   * @example
   * ```ts
   * session.pushAudio(createAudioFrame({ samples, sampleRate: 16000, timestamp: scheduler.now() }));
   * ```
   */
  pushAudio(frame: AudioFrame): void {
    if (!this.#live) return;
    this.#input.push(frame);
  }

  /**
   * A typed user message (`user_message`): interrupts the agent if it is speaking and starts a turn
   * (the reducer's `user-message` event).
   * @param text - what the user typed.
   * @example
   * ```ts
   * session.sendUserMessage('What are your opening hours?');
   * ```
   */
  sendUserMessage(text: string): void {
    if (!this.#live || text.trim().length === 0) return;
    this.#turns.setUtterance(undefined);
    this.#dispatch({ type: 'user-message', at: this.#scheduler.now(), text: text.trim() });
  }

  /**
   * Background information for the agents (`contextual_update`); never answered by itself.
   * @param text - the update.
   * @example
   * ```ts
   * session.addContextualUpdate('The user opened the pricing page.');
   * ```
   */
  addContextualUpdate(text: string): void {
    if (this.#reducer.state.status === 'terminated' || text.trim().length === 0) return;
    this.#context.record((context) => {
      context.contextualUpdates.push(text.trim());
      return context;
    });
  }

  /**
   * Answers a `client-tool-call`. When every call of a reply is answered, the agent is asked again
   * with the results in its context.
   * @param toolCallId - the call's id.
   * @param result - the result text.
   * @param isError - whether the tool failed.
   * @returns `false` when no such call is pending (unknown or already answered).
   * @example
   * ```ts
   * session.resolveToolCall('call-1', '{"temperature":21}', false);
   * ```
   */
  resolveToolCall(toolCallId: string, result: string, isError: boolean): boolean {
    return this.#tools.resolve(toolCallId, result, isError);
  }

  /**
   * Reads the conversation's context as stored (agent turns hold what the user heard).
   * @returns a copy of the context.
   * @example
   * ```ts
   * const { turns } = await session.context();
   * ```
   */
  async context(): Promise<DialogueContext> {
    return this.#context.read();
  }

  /**
   * Ends the session: cancels the reply, the STT and timers, and completes `events`.
   * @example
   * ```ts
   * session.close();
   * ```
   */
  close(): void {
    if (this.#reducer.state.status === 'terminated') return;
    this.#dispatch({ type: 'stop', at: this.#scheduler.now() });
    for (const reply of this.#turns.all()) this.#turns.drop(reply);
    this.#reducer.cancelTick();
    this.#input.close();
    this.#tools.close();
    this.#subject.complete();
  }

  get #live(): boolean {
    const status = this.#reducer.state.status;
    return status !== 'idle' && status !== 'terminated';
  }

  #dispatch(event: SessionEvent): void {
    this.#reducer.dispatch(event);
  }

  /** The user input's reports, as reducer events and session events. */
  #inputHandlers(): UserInputHandlers {
    return {
      speechStart: (onsetAt) => {
        const at = this.#scheduler.now();
        const event: SessionEvent = { type: 'user-speech-start', at, onsetAt };
        const machine = this.#reducer.state;
        const status = machine.status;
        if (!this.#bargeInEnabled && (status === 'thinking' || status === 'speaking')) return false;
        // Ask the (pure) reducer whether this is the agent's own echo: then ignore the speech entirely.
        if (reduceSession(machine, event).state.user.echo) return false;
        this.#dispatch(event);
        this.#emit({ type: 'user-speech-start', speechAt: onsetAt, at });
        return true;
      },
      speechEnd: (endAt) => {
        this.#emit({ type: 'user-speech-end', speechAt: endAt, at: this.#scheduler.now() });
        this.#dispatch({ type: 'user-speech-end', at: endAt });
      },
      voicedChange: (voiced, at) => {
        // Inside a barge-in, only voiced time counts toward the minimum speech: report gaps between words.
        if (!this.#reducer.state.user.speaking) return;
        this.#dispatch({ type: voiced ? 'user-speech-resume' : 'user-speech-pause', at });
      },
      vadScore: (score) => this.#emit({ type: 'vad-score', score, at: this.#scheduler.now() }),
      partial: (text) => {
        const at = this.#scheduler.now();
        if (text.trim().length > 0)
          this.#emit({ type: 'tentative-user-transcript', text, turn: this.#turns.turn + 1, at });
        if (this.#live) this.#dispatch({ type: 'transcript-partial', at, text });
      },
      transcribed: (utterance) => {
        if (!this.#live) return;
        this.#turns.setUtterance(utterance);
        this.#dispatch({ type: 'transcript-final', at: this.#scheduler.now(), text: utterance.text });
      },
      sttError: (error) => this.#emitError('stt', error),
    };
  }

  #emitError(stage: VoiceAgentErrorEvent['stage'], error: unknown): void {
    this.#emit({ type: 'error', stage, error, at: this.#scheduler.now() });
  }

  #emit(event: VoiceAgentEvent): void {
    if (!this.#subject.closed) this.#subject.next(event);
  }
}
