import {
  defer,
  filter,
  from,
  map,
  type Observable,
  of,
  type SchedulerLike,
  Subject,
  type Subscription,
  share,
  switchMap,
  tap,
} from 'rxjs';
import type { AudioFrame, SampleRate } from '../audio/audio-frame';
import { stereoToMono } from '../audio/pcm16';
import { createEnergyVad } from '../audio/vad/energy-vad';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { BargeInPolicy } from '../interrupt/barge-in-policy';
import type { TtsEvent, TtsModel } from '../provider/tts-model';
import { reduceSession } from '../session/reduce-session';
import type { CancelReplyEffect, SessionEffect } from '../session/session-effect';
import type { SessionEvent } from '../session/session-event';
import { createSessionState, type SessionState } from '../session/session-state';
import { TRACE_ATTRIBUTES } from '../tracing/trace-attributes';
import { CORRELATION_ID_HEADER } from '../tracing/turn-trace';
import { withStageSpan } from '../tracing/with-stage-span';
import { AgentPlayback } from './agent-playback';
import { type Reply, replyMetrics, StageFailure, type StartReplyInit, tagged } from './agent-reply';
import type { ContextStore } from './context-store';
import { createDialogueContext, type DialogueContext } from './dialogue-context';
import { InMemoryContextStore } from './in-memory-context-store';
import { ReplyTrace, SESSION_TRACE_ATTRIBUTES, type SessionTracing } from './reply-trace';
import type { TurnMetrics } from './turn-metrics';
import { UserInput, type UserInputHandlers } from './user-input';
import type { UserUtterance } from './user-utterance';
import type { AgentOutput, AgentToolCall } from './voice-agent';
import type { VoiceAgentErrorEvent, VoiceAgentEvent, VoiceAgentState } from './voice-agent-events';
import { VoiceAgentRegistry } from './voice-agent-registry';
import type { RouteDecision, VoiceAgentRouter } from './voice-agent-router';
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
  readonly #registry: VoiceAgentRegistry;
  readonly #router: VoiceAgentRouter | undefined;
  readonly #tts: TtsModel | undefined;
  readonly #store: ContextStore;
  readonly #input: UserInput;
  readonly #options: VoiceAgentSessionOptions;
  readonly #tracing: SessionTracing;
  readonly #bargeInEnabled: boolean;
  readonly #chunkMs: number;
  readonly #leadMs: number;
  readonly #toolTimeoutMs: number;
  readonly #maxContextTurns: number;
  /** Core's voice session state machine: the only state (and context version) of this session. */
  #machine: SessionState;
  readonly #queue: SessionEvent[] = [];
  #dispatching = false;
  #tickTimer: Subscription | undefined;
  /** Replies in production or playing, by id. */
  readonly #replies = new Map<string, Reply>();
  /** Replies whose `audio-end` / `audio-cancel` went to the reducer, until its `commit-agent-turn`. */
  readonly #awaitingCommit = new Map<string, Reply>();
  /** Whether the reducer paused the output (`pause-output`) — a barge-in is being judged. */
  #outputPaused = false;
  /** The latest transcribed utterance (for the metrics of the turn it commits). */
  #utterance: UserUtterance | undefined;
  #turn = 0;
  #responses = 0;
  readonly #pendingTools = new Map<string, Subscription>();
  #context: Promise<unknown> = Promise.resolve();
  #toolResultsFor: number | undefined;

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
    this.#scheduler = options.scheduler ?? realtimeScheduler;
    this.#tracing = {
      tracer: options.tracer,
      correlationId,
      conversationId: options.conversationId,
      scheduler: this.#scheduler,
      sttAttributes: {
        [TRACE_ATTRIBUTES.provider]: options.stt.provider,
        [SESSION_TRACE_ATTRIBUTES.model]: options.stt.modelId,
      },
    };
    this.#registry =
      options.agents instanceof VoiceAgentRegistry
        ? options.agents
        : new VoiceAgentRegistry([options.agents]);
    this.#router = options.router;
    this.#tts = options.tts;
    this.#store = options.contextStore ?? new InMemoryContextStore({ scheduler: this.#scheduler });
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
        scheduler: this.#scheduler,
        headers: { [CORRELATION_ID_HEADER]: correlationId },
      },
      this.#inputHandlers(),
    );
    const { enabled, ...policyOptions } = options.bargeIn ?? {};
    this.#bargeInEnabled = enabled ?? true;
    this.#machine = createSessionState({ bargeIn: new BargeInPolicy(policyOptions) });
    const output = options.output ?? {};
    this.outputSampleRate = output.sampleRate ?? this.#tts?.sampleRate ?? 16000;
    this.#chunkMs = assertNumber('output.chunkMs', output.chunkMs ?? 100, { min: 5, max: 2000 });
    this.#leadMs = assertNumber('output.leadMs', output.leadMs ?? 200, { min: 0, max: 10_000 });
    this.#toolTimeoutMs = assertNumber('toolTimeoutMs', options.toolTimeoutMs ?? 15_000, { above: 0 });
    this.#maxContextTurns = assertNumber('maxContextTurns', options.maxContextTurns ?? 100, {
      min: 1,
      integer: true,
    });
    this.events = this.#subject.asObservable();
  }

  /** The current state: the session reducer's ({@link reduceSession}) status. */
  get state(): VoiceAgentState {
    return this.#machine.status;
  }

  /**
   * Starts listening (and speaks the first message, if any).
   * @example
   * ```ts
   * session.start();
   * ```
   */
  start(): void {
    if (this.#machine.status !== 'idle') return;
    this.#dispatch({ type: 'start', at: this.#scheduler.now() });
    this.#record((context) => context);
    const first = this.#options.firstMessage;
    if (first !== undefined && first.trim().length > 0) {
      this.#startReply({ turn: 0, transcript: '', userTurn: undefined, fixedText: first }, false);
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
    this.#utterance = undefined;
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
    if (this.#machine.status === 'terminated' || text.trim().length === 0) return;
    this.#record((context) => {
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
    const timer = this.#pendingTools.get(toolCallId);
    if (timer === undefined) return false;
    timer.unsubscribe();
    this.#pendingTools.delete(toolCallId);
    const version = this.#machine.contextVersion;
    const at = this.#scheduler.now();
    this.#record((context) => {
      context.turns.push({ role: 'tool', text: isError ? `Error: ${result}` : result, at, toolCallId });
      return context;
    });
    this.#toolResultsFor = version;
    this.#continueAfterTools();
    return true;
  }

  /**
   * Once every tool call is answered and no reply is running, asks the agent again: an unprompted
   * reply made for the context version of the results (stale — never played — if the user took the
   * turn meanwhile).
   */
  #continueAfterTools(): void {
    const version = this.#toolResultsFor;
    if (version === undefined || this.#pendingTools.size > 0 || this.#replies.size > 0) return;
    this.#toolResultsFor = undefined;
    if (version !== this.#machine.contextVersion) return;
    this.#context.then(() => {
      if (this.#replies.size === 0 && this.#live) {
        this.#startReply({ turn: this.#turn, transcript: '', userTurn: undefined }, false, version);
      }
    });
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
    await this.#context;
    return (await this.#store.get(this.conversationId)) ?? this.#freshContext();
  }

  /**
   * Ends the session: cancels the reply, the STT and timers, and completes `events`.
   * @example
   * ```ts
   * session.close();
   * ```
   */
  close(): void {
    if (this.#machine.status === 'terminated') return;
    this.#dispatch({ type: 'stop', at: this.#scheduler.now() });
    for (const reply of [...this.#replies.values()]) this.#dropReply(reply);
    this.#tickTimer?.unsubscribe();
    this.#tickTimer = undefined;
    this.#input.close();
    for (const timer of this.#pendingTools.values()) timer.unsubscribe();
    this.#pendingTools.clear();
    this.#subject.complete();
  }

  get #live(): boolean {
    const status = this.#machine.status;
    return status !== 'idle' && status !== 'terminated';
  }

  // ── the state machine ──────────────────────────────────────────────────────────────────────

  /**
   * Runs one event through core's session reducer, reports its transition as a `state` event and
   * runs its effects. Events raised while effects run (e.g. `audio-cancel` after `cancel-reply`)
   * are queued and reduced after them, in order.
   */
  #dispatch(event: SessionEvent): void {
    this.#queue.push(event);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        let step: ReturnType<typeof reduceSession>;
        try {
          step = reduceSession(this.#machine, next);
        } catch (error) {
          // An event the table does not accept in this state (InvalidTransitionError) is reported
          // and skipped: the session stays where it was rather than throwing inside a stream callback.
          this.#emitError('session', error);
          continue;
        }
        this.#machine = step.state;
        const transition = step.transition;
        if (transition !== undefined) {
          this.#emit({
            type: 'state',
            state: transition.to,
            previous: transition.from,
            at: this.#scheduler.now(),
          });
        }
        for (const effect of step.effects) this.#run(effect);
      }
    } finally {
      this.#dispatching = false;
      this.#queue.length = 0;
    }
  }

  #run(effect: SessionEffect): void {
    switch (effect.type) {
      case 'start-reply':
        this.#onStartReply(effect.transcript, effect.contextVersion);
        return;
      case 'play-reply': {
        const reply = this.#replies.get(effect.replyId);
        if (reply === undefined) return;
        reply.playing = true;
        this.#tryStartPlayback(reply);
        return;
      }
      case 'pause-output':
        this.#pauseOutput();
        return;
      case 'resume-output':
        this.#resumeOutput();
        return;
      case 'cancel-reply':
        this.#cancelReply(effect);
        return;
      case 'discard-reply': {
        const reply = this.#replies.get(effect.replyId);
        if (reply !== undefined) this.#dropReply(reply);
        return;
      }
      case 'commit-agent-turn':
        this.#commitAgentTurn(effect.replyId, effect.heardText, effect.interrupted);
        return;
      case 'schedule-tick': {
        this.#tickTimer?.unsubscribe();
        const delayMs = Math.max(0, effect.at - this.#scheduler.now());
        this.#tickTimer = this.#scheduler.schedule(() => {
          this.#tickTimer = undefined;
          this.#dispatch({ type: 'tick', at: this.#scheduler.now() });
        }, delayMs);
        return;
      }
      case 'cancel-tick':
        this.#tickTimer?.unsubscribe();
        this.#tickTimer = undefined;
        return;
      case 'request-transcript':
      // The user input closes the utterance's audio stream at the speech end: its STT finalizes by itself.
      case 'emit-metrics':
        // Barge-in outcomes reach the app as `agent-paused` / `agent-resumed` / `agent-interrupted`
        // and in the reply's `turn-metrics` (pause latency, tail).
        return;
    }
  }

  /** The reply the reducer holds (requested, queued or playing), if any. */
  #currentReply(): Reply | undefined {
    const current = this.#machine.reply;
    if (current === undefined) return undefined;
    if (current.id !== undefined) return this.#replies.get(current.id);
    for (const reply of this.#replies.values()) {
      if (reply.prompted && !reply.ready && reply.version === current.contextVersion) return reply;
    }
    return undefined;
  }

  // ── input ──────────────────────────────────────────────────────────────────────────────────

  #inputHandlers(): UserInputHandlers {
    return {
      speechStart: (onsetAt) => {
        const at = this.#scheduler.now();
        const event: SessionEvent = { type: 'user-speech-start', at, onsetAt };
        const status = this.#machine.status;
        if (!this.#bargeInEnabled && (status === 'thinking' || status === 'speaking')) return false;
        // Ask the (pure) reducer whether this is the agent's own echo: then ignore the speech entirely.
        if (reduceSession(this.#machine, event).state.user.echo) return false;
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
        if (!this.#machine.user.speaking) return;
        this.#dispatch({ type: voiced ? 'user-speech-resume' : 'user-speech-pause', at });
      },
      vadScore: (score) => this.#emit({ type: 'vad-score', score, at: this.#scheduler.now() }),
      partial: (text) => {
        const at = this.#scheduler.now();
        if (text.trim().length > 0)
          this.#emit({ type: 'tentative-user-transcript', text, turn: this.#turn + 1, at });
        if (this.#live) this.#dispatch({ type: 'transcript-partial', at, text });
      },
      transcribed: (utterance) => {
        if (!this.#live) return;
        this.#utterance = utterance;
        this.#dispatch({ type: 'transcript-final', at: this.#scheduler.now(), text: utterance.text });
      },
      sttError: (error) => this.#emitError('stt', error),
    };
  }

  // ── turns ──────────────────────────────────────────────────────────────────────────────────

  /** The reducer committed the user's turn (`start-reply`). */
  #onStartReply(transcript: string, contextVersion: number): void {
    const now = this.#scheduler.now();
    const utterance = this.#utterance;
    this.#utterance = undefined;
    this.#turn++;
    this.#emit({ type: 'user-transcript', text: transcript, turn: this.#turn, at: now });
    const metrics: Partial<TurnMetrics> = {};
    if (utterance?.speechEndedAt !== undefined) metrics.endOfUtteranceDelayMs = now - utterance.speechEndedAt;
    if (utterance?.confirmedEndAt !== undefined) metrics.sttFinalLatencyMs = now - utterance.confirmedEndAt;
    this.#startReply(
      {
        turn: this.#turn,
        transcript,
        userTurn: { role: 'user', text: transcript, at: now },
        metrics,
        ...(utterance?.speechEndedAt === undefined ? {} : { userSpeechEndAt: utterance.speechEndedAt }),
        ...(utterance === undefined ? {} : { utterance }),
      },
      true,
      contextVersion,
    );
  }

  /**
   * Produces a reply: for a `start-reply` effect (`prompted`), or unprompted (the first message, a
   * tool continuation) — the reducer learns of an unprompted reply at its `reply-ready`.
   */
  #startReply(init: StartReplyInit, prompted: boolean, version = this.#machine.contextVersion): void {
    const now = this.#scheduler.now();
    const id = `response-${++this.#responses}`;
    const reply: Reply = {
      id,
      turn: init.turn,
      version,
      agent: init.fixedText === undefined ? this.#registry.defaultAgent.name : 'first-message',
      text: '',
      textDone: false,
      responseSent: false,
      playback: this.#tts === undefined ? undefined : new AgentPlayback(this.outputSampleRate),
      subscription: undefined,
      ticker: undefined,
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
      trace: new ReplyTrace(this.#tracing, {
        turn: init.turn,
        responseId: id,
        utterance: init.utterance,
        toolContinuation: init.userTurn === undefined && init.fixedText === undefined,
      }),
    };
    this.#replies.set(id, reply);
    const agentOutput = this.#agentOutput(reply, init);
    const text = agentOutput.pipe(
      tap((output) => {
        if (typeof output !== 'string') this.#onToolCall(reply, output);
      }),
      filter((output): output is string => typeof output === 'string'),
      tap({
        next: (delta) => {
          reply.firstDeltaAt ??= this.#scheduler.now();
          reply.text += delta;
        },
        complete: () => {
          reply.textDone = true;
          this.#sendResponseText(reply);
        },
      }),
      share(),
    );
    const tts = this.#tts;
    if (tts === undefined) {
      reply.subscription = text.subscribe({
        error: (error: unknown) => this.#failReply(reply, error),
        complete: () => this.#markReady(reply),
      });
      return;
    }
    const language = this.#options.language;
    const voice = this.#options.voice;
    reply.subscription = defer(() =>
      tts.synthesize(
        {
          text,
          sampleRate: this.outputSampleRate,
          ...(voice === undefined ? {} : { voice }),
          ...(language === undefined ? {} : { language }),
        },
        reply.trace.callOptions({ scheduler: this.#scheduler }),
      ),
    )
      .pipe(
        withStageSpan<TtsEvent>(reply.trace.turn, 'tts', {
          [TRACE_ATTRIBUTES.provider]: tts.provider,
          [SESSION_TRACE_ATTRIBUTES.model]: tts.modelId,
        }),
        tagged('tts'),
      )
      .subscribe({
        next: (event) => this.#onTts(reply, event),
        error: (error: unknown) => this.#failReply(reply, error),
        complete: () => this.#onTtsEnd(reply),
      });
  }

  #agentOutput(reply: Reply, init: StartReplyInit): Observable<AgentOutput> {
    if (init.fixedText !== undefined) return of(init.fixedText);
    const userTurn = init.userTurn;
    const callOptions = { scheduler: this.#scheduler, ...reply.trace.callOptions({}) };
    return defer(() =>
      from(
        this.#updateContext((context) => {
          if (userTurn !== undefined) context.turns.push(userTurn);
          return context;
        }),
      ),
    ).pipe(
      tagged('context'),
      switchMap((context) => {
        const routed: Observable<RouteDecision> =
          this.#router === undefined
            ? of({ agent: this.#registry.defaultAgent.name, reason: 'default agent' })
            : this.#router.route(init.transcript, context, this.#registry, callOptions);
        return routed.pipe(
          tagged('route'),
          map((decision) => ({ context, decision })),
        );
      }),
      switchMap(({ context, decision }) => {
        const agent = this.#registry.get(decision.agent);
        reply.agent = agent.name;
        return agent.handle(context, init.transcript, callOptions).pipe(tagged('agent'));
      }),
      withStageSpan(reply.trace.turn, 'llm'),
    );
  }

  #onToolCall(reply: Reply, call: AgentToolCall): void {
    if (this.#pendingTools.has(call.toolCallId)) return;
    reply.toolCalls++;
    const timer = this.#scheduler.schedule(() => {
      this.#emitError(
        'tool',
        new InvalidArgumentError('toolCallId', `no result for "${call.toolCallId}" in time.`),
      );
      this.resolveToolCall(call.toolCallId, 'The tool did not answer in time.', true);
    }, this.#toolTimeoutMs);
    this.#pendingTools.set(call.toolCallId, timer);
    this.#emit({
      type: 'client-tool-call',
      responseId: reply.id,
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      parameters: call.parameters,
      at: this.#scheduler.now(),
    });
  }

  #onTts(reply: Reply, event: TtsEvent): void {
    const playback = reply.playback!;
    if (reply.done) return;
    if (event.type === 'audio') {
      const frame = event.frame.channels === 2 ? stereoToMono(event.frame) : event.frame;
      if (frame.sampleRate !== this.outputSampleRate) {
        this.#failReply(
          reply,
          new StageFailure(
            'tts',
            new InvalidArgumentError(
              'tts',
              `the model sent ${frame.sampleRate} Hz audio for a ${this.outputSampleRate} Hz request; use a TTS model that honours TtsRequest.sampleRate.`,
            ),
          ),
        );
        return;
      }
      reply.firstAudioAt ??= this.#scheduler.now();
      playback.addAudio(frame.samples);
      if (reply.ready) this.#tryStartPlayback(reply);
      else this.#markReady(reply);
    } else if (event.type === 'mark' && event.kind === 'word') {
      playback.addWord({ text: event.text, offsetMs: event.offsetMs, durationMs: event.durationMs });
    } else if (event.type === 'end') {
      this.#onTtsEnd(reply);
    }
  }

  #onTtsEnd(reply: Reply): void {
    const playback = reply.playback!;
    if (reply.done || playback.ended) return;
    playback.ended = true;
    // A reply with no audio (only tool calls) is ready when its synthesis ends: it plays out at once.
    if (reply.ready) this.#tryStartPlayback(reply);
    else this.#markReady(reply);
  }

  /**
   * The reply has something to play (its first audio, or — without a TTS — its whole text): ask the
   * reducer, whose context-version guard discards a reply made for an outdated turn (`discard-reply`).
   */
  #markReady(reply: Reply): void {
    if (reply.done || reply.ready) return;
    reply.ready = true;
    this.#dispatch({
      type: 'reply-ready',
      at: this.#scheduler.now(),
      replyId: reply.id,
      contextVersion: reply.version,
    });
  }

  /** Starts the reply's paced output once the reducer said `play-reply` and the output is not paused. */
  #tryStartPlayback(reply: Reply): void {
    if (reply.done || !reply.playing || this.#outputPaused) return;
    const playback = reply.playback;
    if (playback === undefined) {
      if (reply.textDone) this.#playedOut(reply);
      return;
    }
    if (playback.started) return;
    if (playback.totalMs > 0) this.#startPlayback(reply);
    else if (playback.ended) this.#playedOut(reply);
  }

  #startPlayback(reply: Reply): void {
    const playback = reply.playback!;
    const now = this.#scheduler.now();
    playback.start(now);
    reply.trace.playoutStarted();
    if (reply.userSpeechEndAt !== undefined) reply.metrics.endToEndMs = now - reply.userSpeechEndAt;
    this.#dispatch({ type: 'audio-start', at: now, replyId: reply.id });
    this.#startTicker(reply);
  }

  /** The reply's output played to its end: `audio-end` (the reducer then commits the agent turn). */
  #playedOut(reply: Reply): void {
    if (reply.done) return;
    reply.ticker?.unsubscribe();
    this.#sendResponseText(reply);
    this.#closeReply(reply);
    this.#awaitingCommit.set(reply.id, reply);
    this.#dispatch({
      type: 'audio-end',
      at: this.#scheduler.now(),
      replyId: reply.id,
      heardText: reply.text.trim(),
    });
  }

  /** The reducer's `commit-agent-turn`: record what the user heard and report the reply's end. */
  #commitAgentTurn(replyId: string, heardText: string, interrupted: boolean): void {
    const reply = this.#awaitingCommit.get(replyId);
    if (reply === undefined) return;
    this.#awaitingCommit.delete(replyId);
    const now = this.#scheduler.now();
    if (heardText.length > 0) {
      this.#record((context) => {
        context.turns.push({
          role: 'agent',
          text: heardText,
          at: now,
          agent: reply.agent,
          ...(interrupted ? { interrupted: true } : {}),
        });
        return context;
      });
    }
    if (interrupted) return;
    const playedMs = reply.playback?.totalMs ?? 0;
    if (heardText.length > 0) {
      // A reply with no words (e.g. only tool calls) is not reported as spoken.
      this.#emit({
        type: 'agent-response-end',
        responseId: reply.id,
        agent: reply.agent,
        text: heardText,
        playedMs,
        at: now,
      });
      this.#emitMetrics(reply, false, playedMs);
    }
    reply.trace.finished(reply.agent, playedMs);
    this.#continueAfterTools();
  }

  #failReply(reply: Reply, error: unknown): void {
    if (reply.done) return;
    const failure = error instanceof StageFailure ? error : new StageFailure('agent', error);
    this.#emitError(failure.stage, failure.error);
    const playback = reply.playback;
    if (playback?.started && !playback.paused) {
      // Let what was already synthesized play out.
      playback.ended = true;
      reply.subscription?.unsubscribe();
      return;
    }
    this.#closeReply(reply);
    reply.trace.failed(failure.error);
    if (!reply.ready) {
      this.#dispatch({ type: 'reply-failed', at: this.#scheduler.now(), contextVersion: reply.version });
      return;
    }
    // Ready but cut short: the reducer hears of it as a cancel with what was heard.
    const heardText = playback?.started
      ? playback.heardText(playback.positionMs(this.#scheduler.now()), reply.text)
      : '';
    this.#awaitingCommit.set(reply.id, reply);
    this.#dispatch({ type: 'audio-cancel', at: this.#scheduler.now(), replyId: reply.id, heardText });
  }

  /** The reducer's `pause-output`: freeze the paced output at once (a reply not yet playing is held). */
  #pauseOutput(): void {
    this.#outputPaused = true;
    const reply = this.#currentReply();
    const playback = reply?.playback;
    if (reply === undefined || playback === undefined || !playback.started || playback.paused) return;
    const now = this.#scheduler.now();
    const positionMs = playback.pause(now);
    reply.ticker?.unsubscribe();
    const onsetAt = this.#machine.bargeIn?.onsetAt ?? now;
    reply.metrics.pauseLatencyMs = Math.max(0, now - onsetAt);
    reply.trace.playoutPaused(positionMs);
    this.#emit({ type: 'agent-paused', responseId: reply.id, positionMs, at: now });
  }

  /** The reducer's `resume-output`: a false interruption resumes from the paused position (or releases a held reply). */
  #resumeOutput(): void {
    this.#outputPaused = false;
    const reply = this.#currentReply();
    if (reply === undefined || reply.done) return;
    const playback = reply.playback;
    if (playback?.started && playback.paused) {
      const now = this.#scheduler.now();
      const positionMs = playback.resume(now);
      reply.trace.playoutResumed(positionMs);
      this.#emit({
        type: 'agent-resumed',
        responseId: reply.id,
        segment: playback.segment,
        positionMs,
        at: now,
      });
      this.#startTicker(reply);
      return;
    }
    this.#tryStartPlayback(reply);
  }

  /** The reducer's `cancel-reply`: stop producing the reply, cut its output, report what was heard. */
  #cancelReply(effect: CancelReplyEffect): void {
    let reply: Reply | undefined;
    if (effect.replyId !== undefined) reply = this.#replies.get(effect.replyId);
    else {
      for (const candidate of this.#replies.values()) {
        if (candidate.prompted && !candidate.ready && candidate.version === effect.contextVersion)
          reply = candidate;
      }
    }
    if (reply === undefined || reply.done) return;
    if (effect.reason === 'stop') {
      this.#dropReply(reply);
      return;
    }
    const now = this.#scheduler.now();
    const playback = reply.playback;
    // The stage the cut landed in: audio was playing, or the TTS / the agent was still working.
    const cutStage = playback?.started ? 'playout' : reply.textDone ? 'tts' : 'llm';
    let heardText = '';
    let playedMs = 0;
    if (playback?.started) {
      playedMs = playback.pause(now);
      heardText = playback.heardText(playedMs, reply.text);
      this.#sendResponseText(reply);
      this.#emit({
        type: 'agent-interrupted',
        responseId: reply.id,
        agent: reply.agent,
        originalText: reply.text.trim(),
        heardText,
        playedMs,
        at: now,
      });
      reply.metrics.tailMs = Math.max(0, (playback.lastSentAt ?? now) - now);
    }
    this.#closeReply(reply);
    reply.trace.interrupted(reply.agent, cutStage, playedMs);
    this.#emitMetrics(reply, true, playedMs);
    if (reply.ready) {
      this.#awaitingCommit.set(reply.id, reply);
      this.#dispatch({ type: 'audio-cancel', at: now, replyId: reply.id, heardText });
    }
  }

  /** Cancels a reply without reporting it (stale, busy, or the session closing). */
  #dropReply(reply: Reply): void {
    if (reply.done) return;
    this.#closeReply(reply);
    reply.trace.dropped();
  }

  #closeReply(reply: Reply): void {
    if (reply.done) return;
    reply.done = true;
    reply.subscription?.unsubscribe();
    reply.ticker?.unsubscribe();
    this.#replies.delete(reply.id);
  }

  /** Each tick schedules the next as a fresh action (a self-rescheduling virtual action would chain). */
  #startTicker(reply: Reply, delayMs = 0): void {
    reply.ticker?.unsubscribe();
    reply.ticker = this.#scheduler.schedule(() => {
      if (this.#tick(reply)) this.#startTicker(reply, this.#chunkMs);
    }, delayMs);
  }

  /** Sends what is due; returns whether to keep ticking. */
  #tick(reply: Reply): boolean {
    const playback = reply.playback!;
    if (reply.done || playback.paused) return false;
    const now = this.#scheduler.now();
    const chunk = playback.take(now, this.#leadMs);
    if (chunk !== undefined) {
      this.#emit({
        type: 'agent-audio',
        responseId: reply.id,
        segment: playback.segment,
        samples: chunk.samples,
        sampleRate: this.outputSampleRate,
        offsetMs: chunk.offsetMs,
        durationMs: chunk.durationMs,
        ...(chunk.alignment === undefined ? {} : { alignment: chunk.alignment }),
        at: now,
      });
    }
    if (playback.finished(now)) {
      this.#playedOut(reply);
      return false;
    }
    return true;
  }

  #sendResponseText(reply: Reply): void {
    if (reply.responseSent || reply.text.trim().length === 0) return;
    reply.responseSent = true;
    this.#emit({
      type: 'agent-response',
      responseId: reply.id,
      agent: reply.agent,
      text: reply.text.trim(),
      at: this.#scheduler.now(),
    });
  }

  // ── plumbing ───────────────────────────────────────────────────────────────────────────────

  #emitMetrics(reply: Reply, interrupted: boolean, playedMs: number): void {
    this.#emit({
      type: 'turn-metrics',
      metrics: replyMetrics(reply, interrupted, playedMs),
      at: this.#scheduler.now(),
    });
  }

  #freshContext(): DialogueContext {
    const options = this.#options;
    return createDialogueContext(this.conversationId, {
      variables: options.variables ?? {},
      ...(options.systemPrompt === undefined ? {} : { systemPrompt: options.systemPrompt }),
      ...(options.language === undefined ? {} : { language: options.language }),
    });
  }

  /** Serialized context updates (one after another, in call order). */
  #updateContext(change: (context: DialogueContext) => DialogueContext): Promise<DialogueContext> {
    const result = this.#context.then(() =>
      this.#store.update(this.conversationId, (current) => {
        const next = change(current ?? this.#freshContext());
        // Bounded memory: only the most recent turns and updates are kept.
        if (next.turns.length > this.#maxContextTurns)
          next.turns.splice(0, next.turns.length - this.#maxContextTurns);
        if (next.contextualUpdates.length > this.#maxContextTurns) {
          next.contextualUpdates.splice(0, next.contextualUpdates.length - this.#maxContextTurns);
        }
        return next;
      }),
    );
    this.#context = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** A fire-and-forget context update; a failure becomes an `error` event. */
  #record(change: (context: DialogueContext) => DialogueContext): void {
    this.#updateContext(change).catch((error: unknown) => this.#emitError('context', error));
  }

  #emitError(stage: VoiceAgentErrorEvent['stage'], error: unknown): void {
    this.#emit({ type: 'error', stage, error, at: this.#scheduler.now() });
  }

  #emit(event: VoiceAgentEvent): void {
    if (!this.#subject.closed) this.#subject.next(event);
  }
}
