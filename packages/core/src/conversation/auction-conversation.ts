import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { assertAgentId } from '../auction/agent-registry';
import type { AuctionResolver } from '../auction/auction-types';
import { EmotionEngine } from '../auction/emotion-engine';
import { EnhancedAuctionResolver } from '../auction/enhanced-auction-resolver';
import { PacingController } from '../auction/pacing-controller';
import { ReputationTracker } from '../auction/reputation-tracker';
import { TalkShareWindow } from '../auction/talk-share-window';
import { TokenBank } from '../auction/token-bank';
import type { AudioFrame, SampleRate } from '../audio/audio-frame';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { AimdLeadTimeController } from '../governor/aimd-lead-time-controller';
import type { LeadTimeController } from '../governor/lead-time-controller';
import { assertNumber } from '../internal/validate';
import type { InterruptPolicy } from '../interrupt/interrupt-types';
import { WindowedInterruptPolicy } from '../interrupt/windowed-interrupt-policy';
import { GuardBand } from '../latency/guard-band';
import { LatencyProfiler } from '../latency/latency-profiler';
import type { TtsModel } from '../provider/tts-model';
import type { Agent, Persona } from './agent';
import type { AuctionConversationOptions, ConversationStopOptions } from './auction-conversation-options';
import type { ConversationEvent } from './conversation-events';
import {
  type ConversationPreset,
  DEFAULT_CONVERSATION_PACING,
  resolveConversationPreset,
} from './conversation-preset';
import { ConversationRun } from './conversation-run';
import { InterjectionPlanner } from './interjection-planner';
import { validatePersona } from './offline-debate-agent';
import { OutputAssembler } from './output-assembler';
import { FIRST_AUDIO_STAGE, type RunSetup, type UnnumberedEvent } from './run-types';

/**
 * The organic auction conversation: several agents share one audio floor. Who speaks next is
 * decided by a token auction; the winner's text streams from its agent (an LLM or the offline
 * grammar) into TTS sentence by sentence and onto the audio controller; at each sentence beat the
 * listeners may interject (short lines ducked under the speaker through the single duck lease) or
 * ask to hard-interrupt (cut at a word beat at least the commit guard ahead, only if the kicker's
 * audio is ready by then, with a crossfade — else the speaker simply finishes); after each turn
 * pacing feedback steers every agent's talk share toward its target.
 *
 * **The loop.** Tokens accrue in time (`tokens.tokensPerSecond`). The AIMD lead time before the
 * floor turn's planned end, every eligible agent is asked for a bid (concurrently, with the
 * preset's timeout; a missing bid counts as 0); the resolver (enhanced by default: pacing ×
 * reputation × emotion multipliers, softmax at the preset's temperature, seeded) picks the winner,
 * who pays its bid. Its response starts at once — or was already prepared by the **reserve
 * prefetch** (the likeliest winner's opening is generated while the floor turn plays; reused on
 * a match, cancelled on a mismatch) — and its first sentence is queued to start a seeded,
 * human-like gap (≈ 200 ms) after the floor turn's last sample. Whether its audio was ready by
 * then feeds the lead-time controller, which requests earlier after misses.
 *
 * **Concurrency.** Every bid, reaction, response and TTS call is a task tagged with the context
 * version; a disruption (a committed interrupt, a failed turn) bumps the version and cancels
 * stale tasks. At most `maxConcurrentTasks` run at once, at most one agent call per agent; every
 * task has a timeout with a fallback; a `RateLimitError` sends the agent into backoff (its
 * `retryAfterMs`, else exponential), and it sits out auctions until then.
 *
 * **Streams.** {@link AuctionConversation.events$}: subscribing starts the run (once); every
 * subscriber gets the whole log from the start, then live events; the stream completes after
 * `end`; when the last subscriber leaves before that, the run is cancelled (tasks unsubscribed,
 * segments dropped). {@link AuctionConversation.audio$}: hot, the mixed output from the run's
 * start, gaps filled with silence; subscribe to it before `events$`.
 *
 * Under a virtual clock (pass its scheduler here, to the controller, and build agents and models
 * on it) a run is deterministic: the same seed gives the same events, byte for byte, and the
 * same audio.
 *
 * @example
 * ```ts
 * import {
 *   AuctionConversation, OfflineDebateAgent, SimAudioController, SimulatedTtsModel,
 *   createVirtualClock, summarizeConversation, type ConversationEvent,
 * } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const agents = [
 *   new OfflineDebateAgent({ id: 'ada', persona: { name: 'Ada', stance: 'for' }, seed: 1 }),
 *   new OfflineDebateAgent({ id: 'bruno', persona: { name: 'Bruno', stance: 'against' }, seed: 2 }),
 * ];
 * const conversation = new AuctionConversation({
 *   agents,
 *   tts: new SimulatedTtsModel({ seed: 3 }),
 *   controller: new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler }),
 *   scheduler: clock.scheduler,
 *   topic: 'Should cities ban cars from their centres?',
 *   seed: 4,
 *   maxDurationMs: 60_000,
 * });
 * const events: ConversationEvent[] = [];
 * conversation.audio$.subscribe((frame) => wav.write(frame));
 * conversation.events$.subscribe((event) => events.push(event));
 * clock.flush(); // a minute of debate in a few milliseconds
 * console.log(summarizeConversation(events).fairness.jain);
 * ```
 */
export class AuctionConversation {
  /** The preset in force. */
  readonly preset: ConversationPreset;
  /** The clock. */
  readonly scheduler: SchedulerLike;
  /** Where latencies are recorded (stages `first-audio` and `tts-first-chunk`). */
  readonly profiler: LatencyProfiler;
  /** The guard band over the `first-audio` latency: how far ahead an interrupt may be committed. */
  readonly guardBand: GuardBand;
  /**
   * The conversation's events. Subscribing starts the run (once); each subscriber receives the
   * log from the start, then live events; completes after `end`; never errors (failures are
   * `fault` events). Unsubscribing every subscriber before the end cancels the run.
   */
  readonly events$: Observable<ConversationEvent>;
  /**
   * The mixed output, contiguous from the run's start (silence between turns), in 20 ms frames
   * stamped in scheduler ms. **Hot**: subscribe before `events$`. Completes after `end`.
   */
  readonly audio$: Observable<AudioFrame>;

  private readonly setup: RunSetup;
  private readonly log: ConversationEvent[] = [];
  private readonly eventSubscribers = new Set<Subscriber<ConversationEvent>>();
  private readonly audioSubscribers = new Set<Subscriber<AudioFrame>>();
  private run: ConversationRun | undefined;
  private outputSubscription: Subscription | undefined;
  private assembler: OutputAssembler | undefined;
  private completed = false;

  /**
   * @param options - agents, TTS, controller, preset, seed and limits.
   * @throws {@link InvalidArgumentError} for a missing or invalid option (fewer than two agents,
   * duplicate ids, a TTS map missing an agent, no limit at all, a bad number).
   */
  constructor(options: AuctionConversationOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('options', 'expected { agents, tts, controller, … }.');
    }
    const preset = resolveConversationPreset(options.preset ?? 'debate_snappy');
    this.preset = preset;
    this.scheduler = options.scheduler ?? realtimeScheduler;
    const agents = validateAgents(options.agents);
    const agentIds = agents.map((agent) => agent.id);
    const personas: Record<string, Persona> = {};
    const voices: Record<string, string> = {};
    for (const agent of agents) {
      personas[agent.id] = agent.persona;
      voices[agent.id] = agent.persona.voice ?? agent.id;
    }
    const ttsOf = ttsLookup(options.tts, agentIds);
    const controller = options.controller;
    if (typeof controller?.play !== 'function' || typeof controller.duck !== 'function') {
      throw new InvalidArgumentError(
        'controller',
        'expected an AudioController (SimAudioController or StreamingAudioController).',
      );
    }
    const maxDurationMs = options.maxDurationMs ?? Number.POSITIVE_INFINITY;
    if (maxDurationMs !== Number.POSITIVE_INFINITY)
      assertNumber('maxDurationMs', maxDurationMs, { above: 0 });
    const maxTurns = options.maxTurns ?? Number.POSITIVE_INFINITY;
    if (maxTurns !== Number.POSITIVE_INFINITY) assertNumber('maxTurns', maxTurns, { min: 1, integer: true });
    if (!Number.isFinite(maxDurationMs) && !Number.isFinite(maxTurns)) {
      throw new InvalidArgumentError(
        'maxDurationMs',
        'give maxDurationMs or maxTurns: a conversation needs a limit.',
      );
    }
    const seed = assertNumber('seed', options.seed ?? 0, {
      integer: true,
      min: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    });
    const contextTurns = assertNumber('contextTurns', options.contextTurns ?? 12, { min: 1, integer: true });
    const scheduler = this.scheduler;
    const bank = new TokenBank({
      agents: agentIds,
      capacity: preset.tokens.capacity,
      initialBalance: preset.tokens.initialBalance,
      accrual: { mode: 'time', tokensPerSecond: preset.tokens.tokensPerSecond },
      scheduler,
    });
    const talk = new TalkShareWindow({ agents: agentIds, targets: options.targets });
    const pacingOptions = preset.pacing ?? DEFAULT_CONVERSATION_PACING;
    const pacing = new PacingController({
      smoothing: assertNumber('preset.pacing.smoothing', pacingOptions.smoothing, { above: 0, max: 1 }),
      gain: assertNumber('preset.pacing.gain', pacingOptions.gain, { min: 0 }),
    });
    const reputation = new ReputationTracker();
    const emotion = new EmotionEngine();
    const resolver: AuctionResolver =
      options.resolver ??
      new EnhancedAuctionResolver({
        temperature: preset.resolverTemperature,
        seed,
        multipliers: [pacing, reputation, emotion],
        talkShares: talk,
        scheduler,
      });
    const policy: InterruptPolicy =
      options.interruptPolicy ??
      new WindowedInterruptPolicy({
        windowMs: preset.interrupt.windowMs,
        globalBudget: preset.interrupt.globalBudget,
        perAgentBudget: preset.interrupt.perAgentBudget,
        fee: preset.interrupt.baseFee,
      });
    const leadTime: LeadTimeController =
      options.leadTime ??
      new AimdLeadTimeController({
        initialLeadTimeMs: preset.leadTime.initialMs,
        minLeadTimeMs: preset.leadTime.minMs,
        maxLeadTimeMs: preset.leadTime.maxMs,
        targetMissRate: preset.leadTime.targetMissRate,
      });
    this.profiler = options.profiler ?? new LatencyProfiler({ scheduler });
    this.guardBand = new GuardBand(this.profiler.estimator(FIRST_AUDIO_STAGE), {
      floorMs: preset.interrupt.commitGuardFloorMs,
      bufferMs: preset.interrupt.commitGuardBufferMs,
    });
    const planner = new InterjectionPlanner(preset.interjection);
    this.setup = {
      agents,
      agentIds,
      personas,
      voices,
      ttsOf,
      controller,
      sampleRate: controller.format.sampleRate as SampleRate,
      scheduler,
      preset,
      seed,
      topic: options.topic ?? 'an open question',
      maxDurationMs,
      maxTurns,
      contextTurns,
      bank,
      talk,
      pacing,
      reputation,
      emotion,
      resolver,
      policy,
      leadTime,
      profiler: this.profiler,
      guard: this.guardBand,
      planner,
    };
    this.events$ = new Observable<ConversationEvent>((subscriber) => {
      for (const event of this.log) {
        if (subscriber.closed) return undefined;
        subscriber.next(event);
      }
      if (this.completed) {
        subscriber.complete();
        return undefined;
      }
      this.eventSubscribers.add(subscriber);
      if (this.run === undefined) this.start();
      return () => {
        this.eventSubscribers.delete(subscriber);
        if (this.eventSubscribers.size === 0 && !this.completed) this.cancel();
      };
    });
    this.audio$ = new Observable<AudioFrame>((subscriber) => {
      if (this.completed) {
        subscriber.complete();
        return undefined;
      }
      this.audioSubscribers.add(subscriber);
      return () => {
        this.audioSubscribers.delete(subscriber);
      };
    });
  }

  /**
   * The event log so far (a copy).
   *
   * @returns every event emitted, in order.
   * @example
   * ```ts
   * const turns = conversation.events.filter((event) => event.type === 'turn-start').length;
   * ```
   */
  get events(): ConversationEvent[] {
    return [...this.log];
  }

  /**
   * Ends the conversation gracefully, unlike unsubscribing (which cancels at once): no new
   * auction, turn, interjection or interrupt; the auction in progress, the reserve prefetch and
   * planned turns are cancelled (a planned winner gets its price back), a pending interrupt falls
   * back (`stale`), an interjection not yet playing is dropped (`stale`; one already playing
   * finishes). The speaker finishes the sentence it is saying (`at: 'sentence'`, the default) or
   * stops at its next word beat (`at: 'word'`), and says nothing more of its turn (its `turn-end`
   * outcome is `cancelled` when something was left unsaid). When the floor is free, the `end`
   * event follows with reason `stopped`, then `events$` and `audio$` complete.
   *
   * Before the run started or after it ended this does nothing; calling it again may only
   * tighten a sentence stop to a word stop.
   *
   * @param options - where the speaker stops.
   * @throws {@link InvalidArgumentError} for an `at` other than `sentence` or `word`.
   * @example
   * ```ts
   * conversation.events$.subscribe(log);
   * process.once('SIGINT', () => conversation.stop()); // let the sentence finish, then end
   * ```
   */
  stop(options: ConversationStopOptions = {}): void {
    const at = options?.at ?? 'sentence';
    if (at !== 'sentence' && at !== 'word') {
      throw new InvalidArgumentError(
        'options.at',
        `expected 'sentence' or 'word', got ${JSON.stringify(at)}.`,
      );
    }
    if (this.completed) return;
    this.run?.stop(at);
  }

  private start(): void {
    const { controller, scheduler } = this.setup;
    const run = new ConversationRun(
      this.setup,
      (event) => this.record(event),
      () => this.complete(),
    );
    this.run = run;
    const format = controller.format;
    this.assembler = new OutputAssembler(format, scheduler.now(), controller.frameDurationMs, (frame) => {
      for (const subscriber of [...this.audioSubscribers]) subscriber.next(frame);
    });
    this.outputSubscription = controller.output.subscribe((frame) => this.assembler?.push(frame));
    run.start();
  }

  private record(event: UnnumberedEvent): void {
    const numbered = { ...event, sequence: this.log.length } as ConversationEvent;
    this.log.push(numbered);
    for (const subscriber of [...this.eventSubscribers]) subscriber.next(numbered);
  }

  private complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.outputSubscription?.unsubscribe();
    this.outputSubscription = undefined;
    const last = this.log.at(-1);
    this.assembler?.flush(last?.type === 'end' ? last.at : undefined);
    for (const subscriber of [...this.audioSubscribers]) subscriber.complete();
    this.audioSubscribers.clear();
    for (const subscriber of [...this.eventSubscribers]) subscriber.complete();
    this.eventSubscribers.clear();
  }

  private cancel(): void {
    this.run?.cancel();
    this.completed = true;
    this.outputSubscription?.unsubscribe();
    this.outputSubscription = undefined;
    for (const subscriber of [...this.audioSubscribers]) subscriber.complete();
    this.audioSubscribers.clear();
  }
}

function validateAgents(agents: readonly Agent[]): Agent[] {
  if (!Array.isArray(agents) || agents.length < 2) {
    throw new InvalidArgumentError('agents', 'expected an array of at least two agents.');
  }
  const seen = new Set<string>();
  return agents.map((agent, index) => {
    if (typeof agent !== 'object' || agent === null) {
      throw new InvalidArgumentError(
        `agents[${index}]`,
        'expected an Agent (id, persona, bid, respond, interject).',
      );
    }
    const id = assertAgentId(`agents[${index}].id`, agent.id);
    if (seen.has(id))
      throw new InvalidArgumentError(
        `agents[${index}].id`,
        `duplicate agent id "${id}": ids must be unique.`,
      );
    seen.add(id);
    for (const method of ['bid', 'respond', 'interject'] as const) {
      if (typeof agent[method] !== 'function') {
        throw new InvalidArgumentError(
          `agents[${index}].${method}`,
          `agent "${id}" has no ${method}() method.`,
        );
      }
    }
    validatePersona(agent.persona);
    return agent;
  });
}

function ttsLookup(
  tts: AuctionConversationOptions['tts'],
  agentIds: readonly string[],
): (agentId: string) => TtsModel {
  if (typeof tts === 'object' && tts !== null && typeof (tts as TtsModel).synthesize === 'function') {
    const shared = tts as TtsModel;
    return () => shared;
  }
  if (typeof tts !== 'object' || tts === null) {
    throw new InvalidArgumentError('tts', 'expected a TtsModel or a record of TtsModels by agent id.');
  }
  const models = tts as Readonly<Record<string, TtsModel>>;
  for (const agentId of agentIds) {
    if (typeof models[agentId]?.synthesize !== 'function') {
      throw new InvalidArgumentError(
        `tts.${agentId}`,
        `no TtsModel for agent "${agentId}": list every agent or pass one shared model.`,
      );
    }
  }
  return (agentId) => models[agentId] as TtsModel;
}
