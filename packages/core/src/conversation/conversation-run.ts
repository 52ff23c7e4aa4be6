import type { Subscription } from 'rxjs';
import { createRandom, type RandomSource } from '../internal/random';
import type { ConversationContext, TranscriptEntry } from './agent';
import { AuctionDesk } from './auction-desk';
import type { ConversationEndEvent, SegmentEndEvent } from './conversation-events';
import { FaultReporter } from './fault-reporter';
import { ListenerDesk } from './listener-desk';
import type { PreparedSegment } from './prepared-segment';
import type { PlayedSegment, RunSetup, TurnState, UnnumberedEvent } from './run-types';
import { endSegment, issueSegment } from './segment-playback';
import { startSpeech } from './speech-start';
import { TaskRunner } from './task-runner';
import { dropTurn, finishClosedTurns } from './turn-ending';
import type { TurnSpeech } from './turn-speech';

/**
 * One run of an {@link AuctionConversation}: the micro-turn loop. Token accrual → bids
 * (concurrent, with timeouts) → resolve → the winner's text streams into TTS sentence by
 * sentence and onto the controller → beats feed the listeners (interjections, interrupts) →
 * segment ends → pacing → the next auction, requested the AIMD lead time before the planned
 * handoff. Every decision is taken on the scheduler; every random choice is seeded.
 *
 * The run holds the state and drives the floor ({@link ConversationRun.pump}); its parts live
 * beside it: the auctions and the reserve prefetch (`AuctionDesk`), the listeners' reactions and
 * interrupts (`ListenerDesk`), faults and backoff (`FaultReporter`), starting a turn's speech
 * (`speech-start`), a segment's playback (`segment-playback`) and a turn's end (`turn-ending`).
 * @internal
 */
export class ConversationRun {
  readonly tasks: TaskRunner;
  readonly random: RandomSource;
  readonly listeners: ListenerDesk;
  readonly auctions: AuctionDesk;
  readonly faults: FaultReporter;
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
  /** The controller subscriptions of the segments issued and not yet ended. */
  readonly segmentSubscriptions = new Set<Subscription>();
  /** Turns a graceful stop cut short (their outcome is `cancelled`). */
  readonly stoppedTurns = new Set<TurnState>();
  private segmentCount = 0;
  private readonly timers = new Set<Subscription>();
  /** A graceful stop was asked for: no new turn, reaction or auction; the run ends when the floor is free. */
  private stopRequested = false;

  constructor(
    readonly setup: RunSetup,
    private readonly emitEvent: (event: UnnumberedEvent) => void,
    private readonly onEnd: () => void,
  ) {
    this.tasks = new TaskRunner(setup.preset.maxConcurrentTasks, setup.scheduler);
    this.random = createRandom(setup.seed);
    this.listeners = new ListenerDesk(this);
    this.auctions = new AuctionDesk(this);
    this.faults = new FaultReporter(this);
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
    this.auctions.schedule(this.now, this.now);
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
      this.auctions.cancel();
      this.auctions.cancelPrefetch();
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

  /** The last turn in the transcript. */
  lastTurnEntry(): TranscriptEntry | undefined {
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
    this.auctions.dropStalePrefetch(this.version);
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

  /** Starts an agent's response and its TTS. */
  speak(agentId: string, turnId: string, mode: 'turn' | 'interrupt', extra?: TranscriptEntry): TurnSpeech {
    return startSpeech(this, agentId, turnId, mode, extra);
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
    finishClosedTurns(this);
    this.auctions.plan();
    this.maybeEnd();
  }

  /** Hands one prepared segment of a turn to the controller. */
  issue(turn: TurnState, segment: PreparedSegment, startAt: number): PlayedSegment {
    return issueSegment(this, turn, segment, startAt);
  }

  /** Ends a played segment (once) and lets the floor move on. */
  endSegment(
    played: PlayedSegment,
    outcome: 'end' | 'cancel' | 'skipped',
    reason: SegmentEndEvent['reason'],
    playedMs: number,
    heardText: string,
  ): void {
    endSegment(this, played, outcome, reason, playedMs, heardText);
  }

  /** No more segments of this turn will be issued. */
  closeTurn(turn: TurnState): void {
    if (turn.closed) return;
    turn.closed = true;
    turn.speech.cancelFrom(turn.speech.segments.length);
  }

  /** Removes a planned turn that never started. */
  dropTurn(turn: TurnState, outcome: 'cancelled' | 'failed'): void {
    dropTurn(this, turn, outcome);
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
    if (this.ended || this.queue.length > 0 || this.auctions.busy || !this.limitReached()) return;
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
    this.auctions.stopTimer();
    for (const timer of this.timers) timer.unsubscribe();
    this.timers.clear();
    for (const subscription of this.segmentSubscriptions) subscription.unsubscribe();
    this.segmentSubscriptions.clear();
    this.listeners.teardown();
    this.auctions.cancelPrefetch();
    for (const turn of this.queue) turn.speech.cancel();
  }
}
