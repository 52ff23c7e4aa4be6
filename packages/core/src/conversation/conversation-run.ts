import type { Subscription } from 'rxjs';
import { jainIndex } from '../auction/jain-index';
import type { PlaybackEvent } from '../controller/audio-controller';
import { estimateBeats } from '../controller/estimate-beats';
import { ArgentumError } from '../errors/argentum-error';
import { createRandom, type RandomSource } from '../internal/random';
import { RateLimitError } from '../provider/provider-errors';
import type { AgentBid, BidContext, ConversationContext, RespondContext, TranscriptEntry } from './agent';
import type { BidRecord, ConversationEndEvent, FaultEvent, SegmentEndEvent } from './conversation-events';
import { ListenerDesk } from './listener-desk';
import type { PreparedSegment } from './prepared-segment';
import {
  FIRST_AUDIO_STAGE,
  type PlayedSegment,
  type RunSetup,
  TTS_CHUNK_STAGE,
  type TurnState,
  type UnnumberedEvent,
} from './run-types';
import { type TaskFailure, type TaskHandle, TaskRunner } from './task-runner';
import { TurnSpeech } from './turn-speech';

/**
 * One run of an {@link AuctionConversation}: the micro-turn loop. Token accrual → bids
 * (concurrent, with timeouts) → resolve → the winner's text streams into TTS sentence by
 * sentence and onto the controller → beats feed the listeners (interjections, interrupts) →
 * segment ends → pacing → the next auction, requested the AIMD lead time before the planned
 * handoff. Every decision is taken on the scheduler; every random choice is seeded.
 * @internal
 */
export class ConversationRun {
  readonly tasks: TaskRunner;
  readonly random: RandomSource;
  readonly listeners: ListenerDesk;
  /** The context version; it grows on every disruption (an interrupt, a failed turn). */
  version = 0;
  readonly transcript: TranscriptEntry[] = [];
  /** The floor turn first, then the planned ones. */
  readonly queue: TurnState[] = [];
  startedAt = 0;
  ended = false;
  turnCount = 0;
  interjectionCount = 0;
  interruptCount = 0;
  /** When the last primary sample went out, scheduler ms. */
  lastPrimaryEndAt: number | undefined;
  /** The most recently issued primary segment. */
  lastIssued: PlayedSegment | undefined;
  private segmentCount = 0;
  private auctionPending = false;
  private auctionTimer: Subscription | undefined;
  private auctionTasks: TaskHandle[] = [];
  private emptyAuctions = 0;
  private prefetch: { agentId: string; speech: TurnSpeech; version: number } | undefined;
  private readonly backoff = new Map<string, { until: number; count: number }>();
  private readonly timers = new Set<Subscription>();
  private readonly segmentSubscriptions = new Set<Subscription>();
  /** A graceful stop was asked for: no new turn, reaction or auction; the run ends when the floor is free. */
  private stopRequested = false;
  /** Turns a graceful stop cut short (their outcome is `cancelled`). */
  private readonly stoppedTurns = new Set<TurnState>();

  constructor(
    readonly setup: RunSetup,
    private readonly emitEvent: (event: UnnumberedEvent) => void,
    private readonly onEnd: () => void,
  ) {
    this.tasks = new TaskRunner(setup.preset.maxConcurrentTasks, setup.scheduler);
    this.random = createRandom(setup.seed);
    this.listeners = new ListenerDesk(this);
  }

  get now(): number {
    return this.setup.scheduler.now();
  }

  /** The turn holding the floor (or about to). */
  get floor(): TurnState | undefined {
    return this.queue[0];
  }

  emit(event: UnnumberedEvent): void {
    if (!this.ended) this.emitEvent(event);
  }

  start(): void {
    const { setup } = this;
    this.startedAt = this.now;
    this.emit({
      type: 'start',
      at: this.startedAt,
      topic: setup.topic,
      preset: setup.preset.id,
      seed: setup.seed,
      agents: setup.agentIds.map((agentId) => ({
        agentId,
        name: setup.personas[agentId]?.name ?? agentId,
        stance: setup.personas[agentId]?.stance ?? 'neutral',
        voice: setup.voices[agentId] ?? agentId,
        targetShare: setup.talk.targetOf(agentId),
      })),
      sampleRate: setup.sampleRate,
      maxDurationMs: setup.maxDurationMs,
      maxTurns: setup.maxTurns,
    });
    this.scheduleAuction(this.now, this.now);
  }

  /** Stops everything without an `end` event (the subscribers left). */
  cancel(): void {
    if (this.ended) return;
    this.ended = true;
    this.teardown();
  }

  /** Whether a graceful stop is under way. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /**
   * A graceful stop: the auction in progress, the reserve prefetch and the planned turns are
   * cancelled (planned winners get their price back), a pending interrupt falls back, an
   * interjection not yet playing is dropped (one already playing finishes); the speaker finishes
   * the sentence it is saying (`sentence`) or stops at its next word beat (`word`), and nothing
   * else of its turn is said. When the floor is free the run ends with reason `stopped`.
   */
  stop(at: 'sentence' | 'word'): void {
    if (this.ended) return;
    const again = this.stopRequested;
    this.stopRequested = true;
    const floor = this.queue[0];
    if (!again) {
      this.cancelAuction();
      this.cancelPrefetch();
      this.listeners.onStop();
      for (const planned of this.queue.slice(1)) this.dropTurn(planned, 'cancelled');
      if (floor !== undefined && floor.status === 'pending') this.dropTurn(floor, 'cancelled');
      else if (floor !== undefined) {
        const playing = floor.issued.filter((played) => played.startedAt !== undefined).length;
        if (!floor.speech.textDone || floor.speech.segments.length > playing) this.stoppedTurns.add(floor);
        this.closeTurn(floor);
        floor.speech.cancelFrom(floor.issued.length);
        for (const played of floor.issued) {
          if (played.startedAt === undefined) this.endSegment(played, 'skipped', 'stale', 0, '');
        }
      }
    }
    if (at === 'word' && floor !== undefined && this.queue[0] === floor) {
      const playing = floor.issued.find((played) => played.status === 'playing');
      if (playing !== undefined) {
        this.stoppedTurns.add(floor);
        this.setup.controller.stopAt('next-word');
      }
    }
    this.pump();
  }

  // ─── context ──────────────────────────────────────────────────────────────────────────────

  context(agentId: string): ConversationContext {
    const { setup } = this;
    setup.bank.sync();
    const floor = this.floor;
    const last = this.lastTurnEntry();
    return {
      topic: setup.topic,
      agentId,
      version: this.version,
      now: this.now,
      scheduler: setup.scheduler,
      turnCount: this.turnCount,
      speakerId: floor?.agentId ?? last?.agentId ?? null,
      transcript: this.transcript.slice(-setup.contextTurns),
      personas: setup.personas,
      balance: setup.bank.balanceOf(agentId),
      talkShare: setup.talk.shareOf(agentId),
      targetShare: setup.talk.targetOf(agentId),
    };
  }

  private lastTurnEntry(): TranscriptEntry | undefined {
    for (let i = this.transcript.length - 1; i >= 0; i--) {
      const entry = this.transcript[i] as TranscriptEntry;
      if (entry.kind === 'turn') return entry;
    }
    return undefined;
  }

  /** Bumps the context version and cancels the tasks it makes stale. */
  disrupt(keep: readonly TurnSpeech[] = []): void {
    this.version++;
    this.listeners.onDisrupt();
    for (const speech of keep) speech.adopt(this.version);
    this.tasks.supersede(this.version);
    if (this.prefetch !== undefined && this.prefetch.version < this.version) {
      this.prefetch.speech.cancel();
      this.prefetch = undefined;
    }
  }

  inBackoff(agentId: string): boolean {
    const entry = this.backoff.get(agentId);
    return entry !== undefined && entry.until > this.now;
  }

  /** Reports a failed task; a rate limit sends the agent into backoff. */
  fault(
    agentId: string | null,
    turnId: string | null,
    task: FaultEvent['task'],
    failure: TaskFailure,
    action: FaultEvent['action'],
  ): void {
    let code = 'timeout';
    let message =
      failure.kind === 'timeout' ? `no ${failure.phase === 'first' ? 'answer' : 'progress'} in time` : '';
    let retryAfterMs: number | null = null;
    if (failure.kind === 'error') {
      const error = failure.error;
      code = ArgentumError.isInstance(error) ? error.code : 'error';
      message = error instanceof Error ? error.message : String(error);
      if (RateLimitError.isInstance(error) && agentId !== null) {
        retryAfterMs = this.backOff(agentId, error.retryAfterMs);
        action = 'backoff';
        code = 'rate-limited';
      }
    } else if (task === 'respond' && failure.phase === 'idle') {
      code = 'stalled';
    }
    if (task === 'respond' && action === 'skipped' && agentId !== null) {
      // A turn that failed before a word: the agent sits out a while instead of winning again at once.
      retryAfterMs = this.backOff(agentId, undefined);
      action = 'backoff';
    }
    this.emit({ type: 'fault', at: this.now, agentId, turnId, task, code, message, action, retryAfterMs });
  }

  /** Sends an agent into backoff: `retryAfterMs` when the provider said, else exponential. */
  private backOff(agentId: string, retryAfterMs: number | undefined): number {
    const { backoff } = this.setup.preset;
    const previous = this.backoff.get(agentId);
    const count = (previous?.count ?? 0) + 1;
    const delayMs =
      retryAfterMs ?? Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (count - 1));
    this.backoff.set(agentId, { until: this.now + delayMs, count });
    return delayMs;
  }

  addTimer(delayMs: number, work: () => void): Subscription {
    const timer = this.setup.scheduler.schedule(
      () => {
        this.timers.delete(timer);
        if (!this.ended) work();
      },
      Math.max(0, delayMs),
    );
    this.timers.add(timer);
    return timer;
  }

  // ─── speech ───────────────────────────────────────────────────────────────────────────────

  nextSegmentId(): string {
    this.segmentCount++;
    return `segment-${this.segmentCount}`;
  }

  /**
   * The sentence budget of an agent's next turn: the preset's limit scaled by its verbosity and by
   * pacing — an agent over its talk-share target gets shorter turns, one under it longer ones
   * (`target / share`, clamped to 0.5..1.5), so turn lengths join the bid multipliers in steering
   * shares toward their targets.
   */
  maxSentencesOf(agentId: string): number {
    const { setup } = this;
    const verbosity = setup.personas[agentId]?.verbosity ?? 0.5;
    const share = setup.talk.shareOf(agentId);
    const target = setup.talk.targetOf(agentId);
    const pacing = setup.talk.turns === 0 ? 1 : Math.min(1.5, Math.max(0.5, target / Math.max(share, 1e-6)));
    return Math.max(1, Math.round(setup.preset.turns.maxSentences * (0.5 + verbosity) * pacing));
  }

  /** Starts an agent's response and its TTS. */
  speak(agentId: string, turnId: string, mode: 'turn' | 'interrupt', extra?: TranscriptEntry): TurnSpeech {
    const { setup } = this;
    const { timeouts } = setup.preset;
    const maxSentences = this.maxSentencesOf(agentId);
    const agent = setup.agents.find((candidate) => candidate.id === agentId);
    const speech = new TurnSpeech({
      agentId,
      runner: this.tasks,
      scheduler: setup.scheduler,
      tts: setup.ttsOf(agentId),
      voice: setup.voices[agentId] ?? agentId,
      sampleRate: setup.sampleRate,
      prosody: setup.emotion.prosodyOf(agentId),
      maxSentences,
      firstTextTimeoutMs: timeouts.firstSentenceMs,
      textIdleTimeoutMs: timeouts.textIdleMs,
      firstAudioTimeoutMs: timeouts.firstAudioMs,
      version: this.version,
      nextSegmentId: () => this.nextSegmentId(),
      onChange: () => this.pump(),
      onFailure: (task, failure, index) => {
        const turn = this.queue.find((candidate) => candidate.speech === speech);
        const action = task === 'respond' ? (index > 0 ? 'truncated' : 'skipped') : 'skipped';
        this.fault(agentId, turn?.id ?? turnId, task, failure, action);
      },
      onFirstAudio: (segment, latencyMs) => this.onFirstAudio(speech, segment, latencyMs),
    });
    const base = this.context(agentId);
    const context: RespondContext = {
      ...base,
      transcript:
        extra === undefined ? base.transcript : [...base.transcript, extra].slice(-setup.contextTurns),
      turnId,
      mode,
      maxSentences,
    };
    speech.start(
      () => {
        if (agent === undefined) throw new Error(`no agent ${agentId}`);
        return agent.respond(context);
      },
      mode === 'interrupt' ? 5 : 4,
    );
    return speech;
  }

  private onFirstAudio(speech: TurnSpeech, segment: PreparedSegment, latencyMs: number): void {
    const { profiler } = this.setup;
    profiler.record(TTS_CHUNK_STAGE, latencyMs);
    if (speech.segments[0] === segment) profiler.record(FIRST_AUDIO_STAGE, this.now - speech.requestedAt);
    const turn = this.queue.find((candidate) => candidate.speech === speech);
    if (turn !== undefined && speech.segments[0] === segment) this.observeLead(turn, this.now);
    this.listeners.onFirstAudio(speech, segment);
  }

  private observeLead(turn: TurnState, readyAt: number): void {
    if (turn.leadObserved || turn.handoffDeadline === undefined) return;
    turn.leadObserved = true;
    this.setup.leadTime.observe({ readyAtMs: readyAt, deadlineMs: turn.handoffDeadline });
  }

  // ─── the floor ────────────────────────────────────────────────────────────────────────────

  /** The end of a segment, once it is known: its cut, or its start plus its duration. */
  projectedEnd(segment: PlayedSegment): number | undefined {
    if (segment.cutAt !== undefined) return segment.cutAt;
    if (segment.status === 'ended') return (segment.startedAt ?? this.now) + segment.playedMs;
    if (segment.startedAt === undefined || segment.prepared.durationMs === undefined) return undefined;
    return segment.startedAt + segment.prepared.durationMs;
  }

  /** Issues the next primary segment when its predecessor's end is known and its audio is ready. */
  pump(): void {
    if (this.ended) return;
    const { preset } = this.setup;
    for (let guard = 0; guard < 8; guard++) {
      const turn = this.queue.find((candidate) => !candidate.closed);
      if (turn === undefined) break;
      const index = turn.issued.length;
      const segment = turn.speech.segments[index];
      if (index === 0 && turn.status === 'pending' && this.pastDeadline() && turn.cause === 'auction') {
        this.dropTurn(turn, 'cancelled');
        continue;
      }
      if (segment === undefined) {
        if (turn.speech.textDone) this.closeTurn(turn);
        else break;
        continue;
      }
      if (segment.failed) {
        turn.speech.cancelFrom(index);
        this.closeTurn(turn);
        continue;
      }
      if (index > 0 && this.pastDeadline()) {
        turn.speech.cancelFrom(index);
        this.closeTurn(turn);
        continue;
      }
      const previous = this.lastIssued;
      const previousEnd = previous === undefined ? this.now : this.projectedEnd(previous);
      if (previousEnd === undefined || !segment.ready) break;
      const gap =
        index > 0
          ? preset.turns.sentenceGapMs
          : previous === undefined
            ? 0
            : Math.max(
                0,
                preset.turns.handoffGapMs + preset.turns.handoffJitterMs * (2 * this.random.next() - 1),
              );
      this.issue(turn, segment, Math.max(this.now, previousEnd + gap));
    }
    this.maybeFinishTurns();
    this.maybePrefetchAndAuction();
    this.maybeEnd();
  }

  /** Hands one prepared segment of a turn to the controller. */
  issue(turn: TurnState, segment: PreparedSegment, startAt: number): PlayedSegment {
    const played: PlayedSegment = {
      prepared: segment,
      turn,
      kind: 'turn',
      subscription: undefined,
      plannedAt: startAt,
      startedAt: undefined,
      cutAt: undefined,
      playedMs: 0,
      heardText: '',
      status: 'queued',
    };
    turn.issued.push(played);
    this.lastIssued = played;
    const subscription = this.setup.controller
      .play({
        kind: 'tts',
        id: segment.id,
        speaker: turn.agentId,
        role: 'primary',
        events: segment.events$,
        text: segment.text,
        beats: 'auto',
        voice: this.setup.voices[turn.agentId] ?? turn.agentId,
        startAt,
      })
      .subscribe({
        next: (event) => this.onPlayback(played, event),
        error: (error: unknown) => {
          this.fault(turn.agentId, turn.id, 'synthesize', { kind: 'error', error }, 'skipped');
          this.endSegment(played, 'cancel', 'error', played.playedMs, played.heardText);
        },
      });
    if (played.status !== 'ended') {
      played.subscription = subscription;
      this.segmentSubscriptions.add(subscription);
    }
    return played;
  }

  private onPlayback(played: PlayedSegment, event: PlaybackEvent): void {
    const turn = played.turn;
    if (turn === undefined) return;
    switch (event.type) {
      case 'start': {
        played.startedAt = event.actualAt;
        played.status = 'playing';
        if (turn.status === 'pending') this.startTurn(turn, played, event.plannedAt, event.actualAt);
        this.emit({
          type: 'segment-start',
          at: event.at,
          segmentId: played.prepared.id,
          turnId: turn.id,
          agentId: turn.agentId,
          kind: 'turn',
          text: played.prepared.text,
          plannedAt: event.plannedAt,
          actualAt: event.actualAt,
          driftMs: event.actualAt - event.plannedAt,
          firstChunkLatencyMs: (played.prepared.firstAudioAt ?? event.at) - played.prepared.requestedAt,
          commitGuardMs: this.setup.guard.commitGuardMs,
          firstChunkP95Ms: this.setup.profiler.estimator(TTS_CHUNK_STAGE).quantile(0.95),
        });
        this.pump();
        break;
      }
      case 'beat':
        this.emit({
          type: 'beat',
          at: event.at,
          segmentId: played.prepared.id,
          turnId: turn.id,
          agentId: turn.agentId,
          index: event.index,
          kind: event.kind,
          text: event.text,
          offsetMs: event.offsetMs,
          durationMs: event.durationMs,
          plannedAt: event.plannedAt,
          actualAt: event.actualAt,
          driftMs: event.driftMs,
          missed: event.missed,
        });
        this.listeners.onBeat(turn, played, event);
        break;
      case 'end':
        this.endSegment(played, 'end', null, event.playedMs, event.heardText);
        break;
      case 'cancel':
        this.endSegment(played, 'cancel', event.reason, event.playedMs, event.heardText);
        break;
      default:
        break;
    }
  }

  private startTurn(turn: TurnState, played: PlayedSegment, plannedAt: number, actualAt: number): void {
    turn.status = 'playing';
    turn.startedAt = actualAt;
    this.setup.planner.recordTurn();
    const gapMs = this.lastPrimaryEndAt === undefined ? null : actualAt - this.lastPrimaryEndAt;
    this.emit({
      type: 'turn-start',
      at: this.now,
      turnId: turn.id,
      agentId: turn.agentId,
      cause: turn.cause,
      auctionId: turn.auctionId,
      interruptId: turn.interruptId,
      plannedAt,
      actualAt,
      gapMs,
      prefetched: turn.prefetched,
      firstAudioLatencyMs: (played.prepared.firstAudioAt ?? actualAt) - turn.speech.requestedAt,
    });
  }

  endSegment(
    played: PlayedSegment,
    outcome: 'end' | 'cancel' | 'skipped',
    reason: SegmentEndEvent['reason'],
    playedMs: number,
    heardText: string,
  ): void {
    if (played.status === 'ended') return;
    const wasStarted = played.startedAt !== undefined;
    played.status = 'ended';
    played.playedMs = playedMs;
    played.heardText = heardText;
    if (played.subscription !== undefined) {
      this.segmentSubscriptions.delete(played.subscription);
      played.subscription.unsubscribe();
      played.subscription = undefined;
    }
    played.prepared.cancel();
    this.listeners.onSegmentEnded(played);
    const turn = played.turn;
    if (played.kind === 'turn' && wasStarted) this.lastPrimaryEndAt = (played.startedAt as number) + playedMs;
    if (this.lastIssued === played && !wasStarted) {
      // Never started: the floor plan falls back to the last segment that did.
      this.lastIssued = turn?.issued.filter((candidate) => candidate !== played).at(-1);
    }
    this.emit({
      type: 'segment-end',
      at: this.now,
      segmentId: played.prepared.id,
      turnId: turn?.id ?? '',
      agentId: played.prepared.agentId,
      kind: played.kind,
      outcome: wasStarted ? outcome : 'skipped',
      reason: outcome === 'end' && wasStarted ? null : (reason ?? 'stale'),
      playedMs,
      heardText,
      startedAt: played.startedAt ?? null,
    });
    if (turn !== undefined && outcome === 'cancel' && turn.interruptedBy === null && wasStarted) {
      // Cut for another reason than an interrupt (error, stop): nothing more of this turn.
      turn.speech.cancelFrom(turn.issued.length);
      this.closeTurn(turn);
    }
    this.pump();
  }

  /** No more segments of this turn will be issued. */
  closeTurn(turn: TurnState): void {
    if (turn.closed) return;
    turn.closed = true;
    turn.speech.cancelFrom(turn.speech.segments.length);
  }

  /** Removes a planned turn that never started. */
  dropTurn(turn: TurnState, outcome: 'cancelled' | 'failed'): void {
    const index = this.queue.indexOf(turn);
    if (index < 0) return;
    turn.closed = true;
    turn.speech.cancel();
    for (const played of turn.issued) this.endSegment(played, 'skipped', 'stale', 0, '');
    if (turn.price > 0) this.setup.bank.refund(turn.agentId, turn.price);
    this.queue.splice(index, 1);
    turn.status = 'ended';
    this.emit({
      type: 'turn-end',
      at: this.now,
      turnId: turn.id,
      agentId: turn.agentId,
      outcome,
      startedAt: null,
      talkMs: 0,
      heardText: '',
      interruptedBy: null,
      price: 0,
    });
  }

  private maybeFinishTurns(): void {
    for (const turn of [...this.queue]) {
      if (!turn.closed || turn.issued.some((played) => played.status !== 'ended')) continue;
      if (turn.status === 'pending') {
        this.dropTurn(
          turn,
          turn.speech.textFailed || turn.speech.segments.some((s) => s.failed) ? 'failed' : 'cancelled',
        );
        if (turn.speech.textFailed) this.disrupt();
        continue;
      }
      if (turn.status === 'playing') this.finishTurn(turn);
    }
  }

  private finishTurn(turn: TurnState): void {
    const { setup } = this;
    turn.status = 'ended';
    const index = this.queue.indexOf(turn);
    if (index >= 0) this.queue.splice(index, 1);
    const started = turn.issued.filter((played) => played.startedAt !== undefined);
    const first = started[0];
    const last = started.at(-1);
    const talkMs =
      first === undefined || last === undefined
        ? 0
        : (last.startedAt as number) + last.playedMs - (first.startedAt as number);
    const heardText = started
      .map((played) => played.heardText)
      .filter((text) => text.length > 0)
      .join(' ');
    const outcome =
      turn.interruptedBy !== null
        ? 'interrupted'
        : turn.speech.textFailed || turn.speech.segments.some((segment) => segment.failed)
          ? 'truncated'
          : (this.pastDeadline() && turn.issued.length < turn.speech.segments.length) ||
              this.stoppedTurns.has(turn)
            ? 'cancelled'
            : 'completed';
    if (heardText.length > 0) {
      this.transcript.push({
        agentId: turn.agentId,
        name: setup.personas[turn.agentId]?.name ?? turn.agentId,
        kind: 'turn',
        turnId: turn.id,
        text: heardText,
        interrupted: turn.interruptedBy !== null,
        at: turn.startedAt ?? this.now,
      });
      setup.emotion.observe({ type: 'utterance', agentId: turn.agentId, text: heardText, at: this.now });
    }
    if (turn.evidenceQuality !== undefined && outcome === 'completed') {
      setup.reputation.observe({
        type: 'evidence',
        agentId: turn.agentId,
        quality: turn.evidenceQuality,
        at: this.now,
      });
    }
    setup.talk.record({ agentId: turn.agentId, durationMs: talkMs, at: this.now });
    setup.pacing.update(setup.talk);
    this.emit({
      type: 'turn-end',
      at: this.now,
      turnId: turn.id,
      agentId: turn.agentId,
      outcome,
      startedAt: turn.startedAt ?? null,
      talkMs,
      heardText,
      interruptedBy: turn.interruptedBy,
      price: turn.price,
    });
    this.emitPacing(turn.id);
    if (outcome === 'truncated') this.disrupt(this.queue.map((candidate) => candidate.speech));
  }

  private emitPacing(turnId: string): void {
    const { setup } = this;
    setup.bank.sync();
    const shares: Record<string, number> = {};
    const targets: Record<string, number> = {};
    const errors: Record<string, number> = {};
    const multipliers: Record<string, number> = {};
    const balances: Record<string, number> = {};
    const ratios: number[] = [];
    for (const agentId of setup.agentIds) {
      shares[agentId] = setup.talk.shareOf(agentId);
      targets[agentId] = setup.talk.targetOf(agentId);
      errors[agentId] = setup.pacing.errorOf(agentId);
      multipliers[agentId] = setup.pacing.multiplierOf(agentId);
      balances[agentId] = setup.bank.balanceOf(agentId);
      ratios.push((shares[agentId] as number) / Math.max(1e-9, targets[agentId] as number));
    }
    this.emit({
      type: 'pacing',
      at: this.now,
      turnId,
      shares,
      targets,
      errors,
      multipliers,
      balances,
      fairness: jainIndex(ratios),
      leadTimeMs: setup.leadTime.leadTimeMs,
      missRate: setup.leadTime.missRate,
      commitGuardMs: setup.guard.commitGuardMs,
      firstChunkP95Ms: setup.profiler.estimator(TTS_CHUNK_STAGE).quantile(0.95),
    });
  }

  // ─── limits and the end ───────────────────────────────────────────────────────────────────

  pastDeadline(): boolean {
    return this.now - this.startedAt >= this.setup.maxDurationMs;
  }

  /** No new turn may be allocated. */
  limitReached(): boolean {
    return this.stopRequested || this.pastDeadline() || this.turnCount >= this.setup.maxTurns;
  }

  private maybeEnd(): void {
    if (this.ended || this.queue.length > 0 || this.auctionPending || !this.limitReached()) return;
    if (this.listeners.busy) return;
    this.finish(this.stopRequested ? 'stopped' : this.pastDeadline() ? 'max-duration' : 'max-turns');
  }

  finish(reason: ConversationEndEvent['reason']): void {
    if (this.ended) return;
    const end = this.lastPrimaryEndAt ?? this.now;
    this.emit({
      type: 'end',
      at: this.now,
      reason,
      turns: this.turnCount,
      interjections: this.interjectionCount,
      interrupts: this.interruptCount,
      durationMs: Math.max(end, this.now) - this.startedAt,
    });
    this.ended = true;
    this.teardown();
    this.onEnd();
  }

  private teardown(): void {
    this.tasks.cancelAll();
    this.auctionTimer?.unsubscribe();
    for (const timer of this.timers) timer.unsubscribe();
    this.timers.clear();
    for (const subscription of this.segmentSubscriptions) subscription.unsubscribe();
    this.segmentSubscriptions.clear();
    this.listeners.teardown();
    this.prefetch?.speech.cancel();
    for (const turn of this.queue) turn.speech.cancel();
  }

  // ─── prefetch and auctions ────────────────────────────────────────────────────────────────

  /** The floor turn's planned end: known segment ends plus estimates for the rest. */
  private plannedEndOf(turn: TurnState): number | undefined {
    const { preset } = this.setup;
    let end: number | undefined;
    for (const played of turn.issued) {
      const projected = this.projectedEnd(played);
      if (projected === undefined) return undefined;
      end = projected;
    }
    if (end === undefined) return undefined;
    for (let i = turn.issued.length; i < turn.speech.segments.length; i++) {
      const segment = turn.speech.segments[i] as PreparedSegment;
      const duration = segment.durationMs ?? estimateBeats(segment.text).durationMs;
      end += preset.turns.sentenceGapMs + duration;
    }
    return end;
  }

  private maybePrefetchAndAuction(): void {
    if (this.ended || this.auctionPending) return;
    if (this.queue.length === 0) {
      if (!this.limitReached())
        this.scheduleAuction(this.now, this.now + this.setup.preset.turns.handoffGapMs);
      return;
    }
    if (this.queue.length !== 1) return;
    const floor = this.queue[0] as TurnState;
    if (!floor.speech.textDone || floor.status !== 'playing' || floor.interruptedBy !== null) return;
    if (this.limitReached()) return;
    const plannedEnd = this.plannedEndOf(floor);
    if (plannedEnd === undefined) return;
    const gap = this.setup.preset.turns.handoffGapMs;
    // Bids and the reserve prefetch both start the AIMD lead time before the planned end.
    this.scheduleAuction(Math.max(this.now, plannedEnd - this.setup.leadTime.leadTimeMs), plannedEnd + gap);
  }

  /**
   * Pre-generates the likely next speaker's opening while the floor turn plays. It starts with
   * the auction, the AIMD lead time before the floor turn's planned end (after the bids were
   * requested, so the likely winner's bid is not held behind its own response).
   */
  private startPrefetch(): void {
    const { setup } = this;
    const floor = this.queue[0];
    if (this.prefetch !== undefined || this.queue.length !== 1 || floor === undefined) return;
    if (!floor.speech.textDone || floor.status !== 'playing' || floor.interruptedBy !== null) return;
    setup.bank.sync();
    let best: string | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const agentId of setup.agentIds) {
      if (!this.eligible(agentId, floor.agentId)) continue;
      const score =
        setup.bank.balanceOf(agentId) *
        setup.pacing.multiplierOf(agentId) *
        setup.reputation.multiplierOf(agentId) *
        setup.emotion.multiplierOf(agentId);
      if (score > bestScore) {
        bestScore = score;
        best = agentId;
      }
    }
    if (best === undefined) return;
    const entry: TranscriptEntry = {
      agentId: floor.agentId,
      name: setup.personas[floor.agentId]?.name ?? floor.agentId,
      kind: 'turn',
      turnId: floor.id,
      text: floor.speech.text,
      interrupted: false,
      at: floor.startedAt ?? this.now,
    };
    this.prefetch = {
      agentId: best,
      speech: this.speak(best, `turn-${this.turnCount + 1}`, 'turn', entry),
      version: this.version,
    };
  }

  private eligible(agentId: string, speakerId: string | undefined): boolean {
    if (this.inBackoff(agentId)) return false;
    return !(
      agentId === speakerId &&
      !this.setup.preset.turns.allowConsecutiveTurns &&
      this.setup.agentIds.length > 1
    );
  }

  private scheduleAuction(at: number, handoffAt: number): void {
    if (this.auctionPending) return;
    this.auctionPending = true;
    this.auctionTimer = this.addTimer(at - this.now, () => this.runAuction(handoffAt));
  }

  private runAuction(handoffAt: number): void {
    const { setup } = this;
    this.auctionTimer = undefined;
    if (this.limitReached()) {
      this.auctionPending = false;
      this.pump();
      return;
    }
    setup.bank.sync();
    const speakerId = this.queue[0]?.agentId ?? this.lastTurnEntry()?.agentId;
    const auctionId = `auction-${this.turnCount + 1}`;
    const requestedAt = this.now;
    const version = this.version;
    const records = new Map<string, BidRecord>();
    const answers = new Map<string, AgentBid | null>();
    let waiting = 0;
    let spawning = true;
    const settle = (): void => {
      if (waiting > 0 || spawning || this.ended) return;
      this.auctionTasks = [];
      if (this.version !== version) {
        // The floor changed under the auction: hold it again later.
        this.auctionPending = false;
        this.pump();
        return;
      }
      this.resolveAuction(auctionId, speakerId ?? null, records, answers, handoffAt);
    };
    this.auctionTasks = [];
    for (const agent of setup.agents) {
      const agentId = agent.id;
      const excluded = !this.eligible(agentId, speakerId);
      const record: BidRecord = {
        agentId,
        status: excluded ? (this.inBackoff(agentId) ? 'backoff' : 'excluded') : 'pass',
        requestedAmount: 0,
        amount: 0,
        evidenceQuality: undefined,
        balance: setup.bank.balanceOf(agentId),
        latencyMs: 0,
        multipliers: { pacing: 1, reputation: 1, emotion: 1, total: 1 },
      };
      records.set(agentId, record);
      if (excluded) continue;
      waiting++;
      const context: BidContext = { ...this.context(agentId), auctionId };
      let answered = false;
      let cancelled = false;
      const done = (bid: AgentBid | null, status: BidRecord['status']): void => {
        if (answered) return;
        answered = true;
        record.status = status;
        record.latencyMs = this.now - requestedAt;
        answers.set(agentId, bid);
        waiting--;
        settle();
      };
      let handle: TaskHandle | undefined;
      handle = this.tasks.run<AgentBid>({
        agentId,
        version,
        priority: 2,
        whenBusy: 'queue',
        cancelOnContextChange: true,
        firstValueTimeoutMs: setup.preset.timeouts.bidMs,
        timeoutFrom: 'start',
        idleTimeoutMs: Number.POSITIVE_INFINITY,
        start: () => agent.bid({ ...context, now: this.now, version: this.version }),
        onValue: (bid) => {
          done(bid, 'bid');
          // One bid is enough: stop the agent's stream (after `run` returned, if it emitted at once).
          if (handle !== undefined) handle.cancel();
          else cancelled = true;
        },
        onComplete: () => done(null, 'pass'),
        onFailure: (failure) => {
          this.fault(agentId, null, 'bid', failure, 'fallback');
          done(null, failure.kind === 'timeout' ? 'timeout' : 'error');
        },
      });
      if (handle !== undefined) {
        if (cancelled) handle.cancel();
        else this.auctionTasks.push(handle);
      }
    }
    spawning = false;
    this.startPrefetch();
    settle();
  }

  private resolveAuction(
    auctionId: string,
    speakerId: string | null,
    records: Map<string, BidRecord>,
    answers: Map<string, AgentBid | null>,
    handoffAt: number,
  ): void {
    const { setup } = this;
    setup.bank.sync();
    const bids = [];
    for (const [agentId, record] of records) {
      if (record.status === 'excluded' || record.status === 'backoff' || record.status === 'error') continue;
      const answer = answers.get(agentId) ?? null;
      const requested = answer !== null && Number.isFinite(answer.amount) ? Math.max(0, answer.amount) : 0;
      const balance = setup.bank.balanceOf(agentId);
      record.balance = balance;
      record.requestedAmount = requested;
      record.amount = Math.min(requested, balance);
      if (record.status === 'bid' && record.amount === 0) record.status = 'pass';
      const quality = answer?.evidenceQuality;
      record.evidenceQuality = quality !== undefined && quality >= 0 && quality <= 1 ? quality : undefined;
      const pacing = setup.pacing.multiplierOf(agentId);
      const reputation = setup.reputation.multiplierOf(agentId);
      const emotion = setup.emotion.multiplierOf(agentId);
      record.multipliers = { pacing, reputation, emotion, total: pacing * reputation * emotion };
      bids.push({
        agentId,
        amount: record.amount,
        evidenceQuality: record.evidenceQuality,
        talkShare: setup.talk.shareOf(agentId),
      });
    }
    if (bids.length === 0) {
      this.auctionPending = false;
      this.emptyAuctions++;
      if (this.emptyAuctions >= 3 && this.queue.length === 0) {
        this.finish('no-bids');
        return;
      }
      const retryAt = Math.min(
        this.now + 1000,
        ...[...this.backoff.values()].map((entry) => entry.until).filter((until) => until > this.now),
      );
      this.scheduleAuction(retryAt, Math.max(handoffAt, retryAt));
      return;
    }
    this.emptyAuctions = 0;
    const result = setup.resolver.resolve({ bids, at: this.now });
    const winner = result.winner as string;
    const price = result.entries[result.winnerIndex]?.bid ?? 0;
    if (price > 0) setup.bank.spend(winner, Math.min(price, setup.bank.balanceOf(winner)));
    this.turnCount++;
    const turnId = `turn-${this.turnCount}`;
    let prefetch: 'hit' | 'miss' | 'none' = 'none';
    let speech: TurnSpeech;
    const reserved = this.prefetch;
    this.prefetch = undefined;
    if (reserved !== undefined && reserved.agentId === winner && reserved.version === this.version) {
      prefetch = 'hit';
      speech = reserved.speech;
    } else {
      if (reserved !== undefined) {
        prefetch = 'miss';
        reserved.speech.cancel();
      }
      speech = this.speak(winner, turnId, 'turn');
    }
    const shares: Record<string, number> = {};
    for (const agentId of setup.agentIds) shares[agentId] = setup.talk.shareOf(agentId);
    this.emit({
      type: 'auction',
      at: this.now,
      auctionId,
      turnId,
      speakerId,
      bids: [...records.values()],
      result,
      winner,
      price,
      talkShares: shares,
      leadTimeMs: setup.leadTime.leadTimeMs,
      prefetch,
    });
    const turn: TurnState = {
      id: turnId,
      agentId: winner,
      cause: 'auction',
      auctionId,
      interruptId: null,
      price,
      evidenceQuality: records.get(winner)?.evidenceQuality,
      speech,
      issued: [],
      closed: false,
      status: 'pending',
      startedAt: undefined,
      interruptedBy: null,
      prefetched: prefetch === 'hit',
      handoffDeadline: this.queue.length > 0 ? handoffAt : undefined,
      leadObserved: false,
    };
    this.queue.push(turn);
    this.auctionPending = false;
    if (speech.firstAudioAt !== undefined) this.observeLead(turn, this.now);
    this.pump();
  }

  /** Cancels an auction in progress (an interrupt took the floor). */
  cancelAuction(): void {
    for (const handle of this.auctionTasks) handle.cancel();
    this.auctionTasks = [];
    this.auctionTimer?.unsubscribe();
    this.auctionTimer = undefined;
    this.auctionPending = false;
  }

  /** Cancels the reserve prefetch. */
  cancelPrefetch(): void {
    this.prefetch?.speech.cancel();
    this.prefetch = undefined;
  }
}
