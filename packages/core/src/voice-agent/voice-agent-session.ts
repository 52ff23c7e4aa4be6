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
  readonly #policy: BargeInPolicy;
  readonly #tracing: SessionTracing;
  readonly #bargeInEnabled: boolean;
  #bargeIns = 0;
  readonly #chunkMs: number;
  readonly #leadMs: number;
  readonly #toolTimeoutMs: number;
  readonly #maxContextTurns: number;
  #state: VoiceAgentState = 'idle';
  #reply: Reply | undefined;
  #turn = 0;
  #version = 0;
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
    this.#policy = new BargeInPolicy(policyOptions);
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

  /** The current state. */
  get state(): VoiceAgentState {
    return this.#state;
  }

  /**
   * Starts listening (and speaks the first message, if any).
   * @example
   * ```ts
   * session.start();
   * ```
   */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#setState('listening');
    this.#record((context) => context);
    const first = this.#options.firstMessage;
    if (first !== undefined && first.trim().length > 0) {
      this.#startReply({ turn: 0, transcript: '', userTurn: undefined, fixedText: first });
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
    if (this.#state === 'idle' || this.#state === 'terminated') return;
    this.#input.push(frame);
  }

  /**
   * A typed user message (`user_message`): interrupts the agent if it is speaking and starts a turn.
   * @param text - what the user typed.
   * @example
   * ```ts
   * session.sendUserMessage('What are your opening hours?');
   * ```
   */
  sendUserMessage(text: string): void {
    if (this.#state === 'idle' || this.#state === 'terminated' || text.trim().length === 0) return;
    const reply = this.#reply;
    if (reply !== undefined) this.#confirmInterruption(reply);
    this.#commitUserTurn(text.trim(), undefined);
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
    if (this.#state === 'terminated' || text.trim().length === 0) return;
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
    const version = this.#version;
    const at = this.#scheduler.now();
    this.#record((context) => {
      context.turns.push({ role: 'tool', text: isError ? `Error: ${result}` : result, at, toolCallId });
      return context;
    });
    this.#toolResultsFor = version;
    this.#continueAfterTools();
    return true;
  }

  /** Once every tool call is answered and no reply is running, asks the agent again. */
  #continueAfterTools(): void {
    const version = this.#toolResultsFor;
    if (version === undefined || this.#pendingTools.size > 0 || this.#reply !== undefined) return;
    this.#toolResultsFor = undefined;
    if (version !== this.#version) return;
    this.#context.then(() => {
      if (this.#reply === undefined && version === this.#version && this.#state !== 'terminated') {
        this.#startReply({ turn: this.#turn, transcript: '', userTurn: undefined });
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
    if (this.#state === 'terminated') return;
    const reply = this.#reply;
    if (reply !== undefined) this.#dropReply(reply);
    this.#input.close();
    for (const timer of this.#pendingTools.values()) timer.unsubscribe();
    this.#pendingTools.clear();
    this.#setState('terminated');
    this.#subject.complete();
  }

  // ── input ──────────────────────────────────────────────────────────────────────────────────

  #inputHandlers(): UserInputHandlers {
    return {
      speechStart: (onsetAt) => {
        const reply = this.#reply;
        if (reply !== undefined) {
          if (!this.#bargeInEnabled) return false;
          if (reply.bargeIn === undefined && this.#policy.isEcho(onsetAt, reply.playback?.firstSentAt))
            return false;
          this.#beginBargeIn(reply, onsetAt);
        }
        this.#emit({ type: 'user-speech-start', speechAt: onsetAt, at: this.#scheduler.now() });
        return true;
      },
      speechEnd: (endAt) => {
        this.#emit({ type: 'user-speech-end', speechAt: endAt, at: this.#scheduler.now() });
        const reply = this.#reply;
        if (reply?.bargeIn !== undefined) this.#signal(reply, { type: 'speech-end', at: endAt });
      },
      voicedChange: (voiced, at) => {
        // Inside a barge-in, only voiced time counts toward the minimum speech: report gaps between words.
        const reply = this.#reply;
        if (reply?.bargeIn?.progress.userSpeaking) {
          this.#signal(reply, voiced ? { type: 'speech-resume', at } : { type: 'speech-pause', at });
        }
      },
      vadScore: (score) => this.#emit({ type: 'vad-score', score, at: this.#scheduler.now() }),
      partial: (text) => {
        const at = this.#scheduler.now();
        if (text.trim().length > 0)
          this.#emit({ type: 'tentative-user-transcript', text, turn: this.#turn + 1, at });
        const reply = this.#reply;
        if (reply?.bargeIn !== undefined) this.#signal(reply, { type: 'transcript', at, text, final: false });
      },
      transcribed: (utterance) => this.#onTranscribed(utterance),
      sttError: (error) => this.#emitError('stt', error),
    };
  }

  #onTranscribed(utterance: UserUtterance): void {
    if (this.#state === 'terminated') return;
    const text = utterance.text;
    const reply = this.#reply;
    if (reply?.bargeIn !== undefined) {
      this.#signal(reply, { type: 'transcript', at: this.#scheduler.now(), text, final: true });
    }
    const active = this.#reply;
    if (active !== undefined) {
      // The reply goes on (resumed, or still waiting for the rules): only real words take the turn.
      if (active.bargeIn !== undefined) return;
      if (this.#policy.countWords(text).interrupting < Math.max(1, this.#policy.minWords)) return;
    }
    if (text.length === 0) return;
    this.#commitUserTurn(text, utterance);
  }

  // ── turns ──────────────────────────────────────────────────────────────────────────────────

  #commitUserTurn(text: string, utterance: UserUtterance | undefined): void {
    const now = this.#scheduler.now();
    const previous = this.#reply;
    if (previous !== undefined) this.#confirmInterruption(previous);
    this.#turn++;
    this.#version++;
    this.#emit({ type: 'user-transcript', text, turn: this.#turn, at: now });
    const metrics: Partial<TurnMetrics> = {};
    if (utterance?.speechEndedAt !== undefined) metrics.endOfUtteranceDelayMs = now - utterance.speechEndedAt;
    if (utterance?.confirmedEndAt !== undefined) metrics.sttFinalLatencyMs = now - utterance.confirmedEndAt;
    this.#startReply({
      turn: this.#turn,
      transcript: text,
      userTurn: { role: 'user', text, at: now },
      metrics,
      ...(utterance?.speechEndedAt === undefined ? {} : { userSpeechEndAt: utterance.speechEndedAt }),
      ...(utterance === undefined ? {} : { utterance }),
    });
  }

  #startReply(init: StartReplyInit): void {
    const now = this.#scheduler.now();
    const id = `response-${++this.#responses}`;
    const reply: Reply = {
      id,
      turn: init.turn,
      version: this.#version,
      agent: init.fixedText === undefined ? this.#registry.defaultAgent.name : 'first-message',
      text: '',
      textDone: false,
      responseSent: false,
      playback: this.#tts === undefined ? undefined : new AgentPlayback(this.outputSampleRate),
      subscription: undefined,
      ticker: undefined,
      held: false,
      askedAt: now,
      firstDeltaAt: undefined,
      firstAudioAt: undefined,
      userSpeechEndAt: init.userSpeechEndAt,
      metrics: init.metrics ?? {},
      bargeIn: undefined,
      confirmedAt: undefined,
      done: false,
      toolCalls: 0,
      trace: new ReplyTrace(this.#tracing, {
        turn: init.turn,
        responseId: id,
        utterance: init.utterance,
        toolContinuation: init.userTurn === undefined && init.fixedText === undefined,
      }),
    };
    this.#reply = reply;
    if (this.#input.speaking && this.#bargeInEnabled && init.fixedText === undefined) {
      // The user is already talking again: hold the reply until the barge-in rules decide.
      this.#beginBargeIn(reply, this.#input.utterance?.speechStartedAt ?? now);
    } else {
      this.#setState('thinking');
    }
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
        complete: () => this.#finishReply(reply),
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
    if (reply.version !== this.#version) {
      // Made for an outdated user turn: never let it speak.
      this.#dropReply(reply);
      return;
    }
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
      if (!playback.started && !reply.held) this.#startPlayback(reply);
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
    if (!playback.started && playback.totalMs === 0 && !reply.held) this.#finishReply(reply);
  }

  #startPlayback(reply: Reply): void {
    const playback = reply.playback!;
    const now = this.#scheduler.now();
    playback.start(now);
    reply.trace.playoutStarted();
    if (reply.userSpeechEndAt !== undefined) reply.metrics.endToEndMs = now - reply.userSpeechEndAt;
    this.#setState('speaking');
    this.#startTicker(reply);
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
      this.#finishReply(reply);
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

  #finishReply(reply: Reply): void {
    if (reply.done) return;
    const now = this.#scheduler.now();
    this.#sendResponseText(reply);
    this.#closeReply(reply);
    const text = reply.text.trim();
    const playedMs = reply.playback?.totalMs ?? 0;
    if (text.length > 0) {
      // A reply with no words (e.g. only tool calls) is not reported as spoken.
      this.#emit({
        type: 'agent-response-end',
        responseId: reply.id,
        agent: reply.agent,
        text,
        playedMs,
        at: now,
      });
      this.#record((context) => {
        context.turns.push({ role: 'agent', text, at: now, agent: reply.agent });
        return context;
      });
      this.#emitMetrics(reply, false, playedMs);
    }
    reply.trace.finished(reply.agent, playedMs);
    if (this.#state !== 'terminated') this.#setState('listening');
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
    if (this.#state !== 'terminated') this.#setState('listening');
  }

  #beginBargeIn(reply: Reply, onsetAt: number): void {
    const now = this.#scheduler.now();
    if (reply.bargeIn !== undefined) {
      this.#signal(reply, { type: 'speech-start', at: now, onsetAt });
      return;
    }
    const playback = reply.playback;
    if (playback?.started) {
      const positionMs = playback.pause(now);
      reply.ticker?.unsubscribe();
      reply.metrics.pauseLatencyMs = Math.max(0, now - onsetAt);
      reply.trace.playoutPaused(positionMs);
      this.#emit({ type: 'agent-paused', responseId: reply.id, positionMs, at: now });
    } else {
      reply.held = true;
    }
    this.#setState('barged-in');
    const progress = this.#policy.start(`barge-in-${++this.#bargeIns}`, { onsetAt, at: now });
    reply.bargeIn = { progress, voiced: true, timer: undefined };
    this.#decide(reply);
  }

  /** Feeds a signal to the barge-in policy and acts on its verdict. */
  #signal(reply: Reply, signal: Parameters<BargeInPolicy['update']>[1]): void {
    const bargeIn = reply.bargeIn;
    if (bargeIn === undefined || reply.done) return;
    bargeIn.progress = this.#policy.update(bargeIn.progress, signal);
    this.#decide(reply);
  }

  #decide(reply: Reply): void {
    const bargeIn = reply.bargeIn;
    if (bargeIn === undefined || reply.done) return;
    const now = this.#scheduler.now();
    const verdict = this.#policy.decide(bargeIn.progress, now);
    bargeIn.timer?.unsubscribe();
    bargeIn.timer = undefined;
    if (verdict.type === 'confirm') this.#confirmInterruption(reply);
    else if (verdict.type === 'resume') this.#resume(reply);
    else if (verdict.wakeAt !== undefined) {
      bargeIn.timer = this.#scheduler.schedule(() => this.#decide(reply), Math.max(0, verdict.wakeAt - now));
    }
  }

  #resume(reply: Reply): void {
    if (reply.done || reply.bargeIn === undefined) return;
    reply.bargeIn.timer?.unsubscribe();
    reply.bargeIn = undefined;
    const playback = reply.playback;
    const now = this.#scheduler.now();
    if (playback?.started) {
      const positionMs = playback.resume(now);
      reply.trace.playoutResumed(positionMs);
      this.#emit({
        type: 'agent-resumed',
        responseId: reply.id,
        segment: playback.segment,
        positionMs,
        at: now,
      });
      this.#setState('speaking');
      this.#startTicker(reply);
      return;
    }
    reply.held = false;
    if (playback !== undefined && playback.totalMs > 0) this.#startPlayback(reply);
    else if (playback?.ended || (playback === undefined && reply.textDone)) this.#finishReply(reply);
    else this.#setState('thinking');
  }

  #confirmInterruption(reply: Reply): void {
    if (reply.done) return;
    const now = this.#scheduler.now();
    reply.confirmedAt = now;
    const playback = reply.playback;
    // The stage the cut landed in: audio was playing, or the TTS / the agent was still working.
    const cutStage = playback?.started ? 'playout' : reply.textDone ? 'tts' : 'llm';
    if (playback?.started) {
      const positionMs = playback.pause(now);
      const heardText = playback.heardText(positionMs, reply.text);
      this.#sendResponseText(reply);
      this.#emit({
        type: 'agent-interrupted',
        responseId: reply.id,
        agent: reply.agent,
        originalText: reply.text.trim(),
        heardText,
        playedMs: positionMs,
        at: now,
      });
      reply.metrics.tailMs = Math.max(0, (playback.lastSentAt ?? now) - now);
      if (heardText.length > 0) {
        this.#record((context) => {
          context.turns.push({
            role: 'agent',
            text: heardText,
            at: now,
            agent: reply.agent,
            interrupted: true,
          });
          return context;
        });
      }
      this.#closeReply(reply);
      reply.trace.interrupted(reply.agent, cutStage, positionMs);
      this.#emitMetrics(reply, true, positionMs);
    } else {
      this.#closeReply(reply);
      reply.trace.interrupted(reply.agent, cutStage, 0);
      this.#emitMetrics(reply, true, 0);
    }
    if (this.#state !== 'terminated') this.#setState('listening');
  }

  /** Cancels a reply without reporting it (stale or session closing). */
  #dropReply(reply: Reply): void {
    if (!reply.done) {
      this.#closeReply(reply);
      reply.trace.dropped();
    }
    if (this.#state !== 'terminated' && this.#reply === undefined) this.#setState('listening');
  }

  #closeReply(reply: Reply): void {
    if (reply.done) return;
    reply.done = true;
    reply.subscription?.unsubscribe();
    reply.ticker?.unsubscribe();
    reply.bargeIn?.timer?.unsubscribe();
    reply.bargeIn = undefined;
    if (this.#reply === reply) this.#reply = undefined;
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

  #setState(state: VoiceAgentState): void {
    const previous = this.#state;
    if (previous === state || previous === 'terminated') return;
    this.#state = state;
    this.#emit({ type: 'state', state, previous, at: this.#scheduler.now() });
  }

  #emitError(stage: VoiceAgentErrorEvent['stage'], error: unknown): void {
    this.#emit({ type: 'error', stage, error, at: this.#scheduler.now() });
  }

  #emit(event: VoiceAgentEvent): void {
    if (!this.#subject.closed) this.#subject.next(event);
  }
}
