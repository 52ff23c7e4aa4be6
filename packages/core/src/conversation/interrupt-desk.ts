import type { InterruptDecision } from '../interrupt/interrupt-types';
import type { TranscriptEntry } from './agent';
import type { InterruptEvent } from './conversation-events';
import type { ConversationRun } from './conversation-run';
import type { PreparedSegment } from './prepared-segment';
import type { PlayedSegment, TurnState } from './run-types';
import type { TurnSpeech } from './turn-speech';

/** How long before its cut an interrupt must be committed, beyond the crossfade, ms (one frame and a margin). */
const COMMIT_MARGIN_MS = 40;
/** Gap between a cut speaker's last sentence and a kicker that takes over at the sentence boundary, ms. */
const BOUNDARY_HANDOVER_MS = 40;
/**
 * The least silence before a word for an interrupt to cut there, ms: a clause pause, long enough
 * for a crossfade of at least 10 ms (`min(crossfadeMs, silence − 20)`).
 */
const MIN_CUT_SILENCE_MS = 30;

interface Cut {
  kind: 'word' | 'boundary';
  beatIndex: number | null;
  beatText: string | null;
  beatAt: number;
  /** Silence before the cut, ms (the crossfade fits in it). */
  silenceMs: number;
}

interface PendingInterrupt {
  id: string;
  agentId: string;
  turn: TurnState;
  segment: PlayedSegment;
  cut: Cut;
  decidedAt: number;
  guardMs: number;
  readyBy: number;
  speech: TurnSpeech;
  decision: InterruptDecision;
}

/**
 * The listeners' hard interrupts: a request goes through the policy, and an allowed one is
 * prepared (the kicker's audio prebuffered, top-1) and committed at a word beat at least the
 * commit guard ahead — only if the audio is ready by then — with a crossfade, or falls back.
 * @internal
 */
export class InterruptDesk {
  private pending: PendingInterrupt | undefined;
  private interruptCount = 0;

  constructor(private readonly run: ConversationRun) {}

  /** Whether an interrupt is pending (decided, not yet committed or fallen back). */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  teardown(): void {
    this.pending?.speech.cancel();
    this.pending = undefined;
  }

  /** A listener asked to interrupt the speaker: ask the policy, prepare the kicker, commit at a word beat. */
  consider(agentId: string, turn: TurnState, segment: PlayedSegment, urgency: number): void {
    const { run } = this;
    const { setup } = run;
    const options = setup.preset.interrupt;
    if (this.pending !== undefined || !(urgency >= options.minUrgency) || agentId === turn.agentId) return;
    // An interrupt is a new turn: none once the turn or time limit is reached.
    if (run.limitReached()) return;
    setup.bank.sync();
    const now = run.now;
    this.interruptCount++;
    const id = `interrupt-${this.interruptCount}`;
    const decision = setup.policy.decide(
      { agentId, tokens: setup.bank.balanceOf(agentId), speakerId: turn.agentId },
      now,
    );
    run.emit({
      type: 'interrupt-decision',
      at: now,
      interruptId: id,
      agentId,
      speakerId: turn.agentId,
      turnId: turn.id,
      urgency: Math.min(1, urgency),
      decision,
    });
    if (!decision.allowed) return;
    const guardMs = setup.guard.commitGuardMs;
    const cut = this.chooseCut(turn, segment, now + guardMs);
    if (cut === undefined) {
      this.emitInterrupt(
        { id, agentId, turn, segment, decidedAt: now, guardMs },
        undefined,
        'fallen-back',
        'no-beat',
      );
      return;
    }
    const crossfadeMs = this.crossfadeFor(cut);
    const readyBy = cut.beatAt - crossfadeMs - COMMIT_MARGIN_MS;
    const heard: TranscriptEntry = {
      agentId: turn.agentId,
      name: setup.personas[turn.agentId]?.name ?? turn.agentId,
      kind: 'turn',
      turnId: turn.id,
      text: turn.issued
        .filter((played) => played.startedAt !== undefined)
        .map((played) => played.prepared.text)
        .join(' '),
      interrupted: true,
      at: turn.startedAt ?? now,
    };
    const speech = run.speak(agentId, `turn-${run.turnCount + 1}`, 'interrupt', heard);
    const pending: PendingInterrupt = {
      id,
      agentId,
      turn,
      segment,
      cut,
      decidedAt: now,
      guardMs,
      readyBy,
      speech,
      decision,
    };
    this.pending = pending;
    if (options.provisional) {
      run.emit({
        type: 'provisional-interrupt',
        at: now,
        interruptId: id,
        agentId,
        speakerId: turn.agentId,
        segmentId: segment.prepared.id,
        beatIndex: cut.beatIndex ?? -1,
        beatAt: cut.beatAt,
        commitGuardMs: guardMs,
        readyBy,
      });
    }
    run.addTimer(readyBy - now, () => {
      if (this.pending !== pending) return;
      // Too late: what we know of the latency is that it exceeds the wait.
      setup.profiler.record('first-audio', run.now - speech.requestedAt);
      this.fallBack(pending, 'audio-not-ready');
    });
    if (speech.firstAudioAt !== undefined) this.commit(pending);
  }

  /**
   * Where an allowed interrupt cuts the speaker, at or after `earliest`:
   * 1. the first word of the current sentence that follows a real pause — at least
   *    `MIN_CUT_SILENCE_MS` (30 ms) of silence between the previous word's end and its start, a
   *    clause pause in speech (room for a crossfade, and a true word start even when the marks
   *    are estimated);
   * 2. else the boundary before the speaker's next sentence (the sentence pause);
   * 3. else, with vendor-aligned marks only, the first word start after any gap (a hard cut, no
   *    crossfade). Estimated marks inside a clause are not trusted to be word starts: never there.
   */
  private chooseCut(turn: TurnState, segment: PlayedSegment, earliest: number): Cut | undefined {
    const start = segment.startedAt;
    if (start === undefined) return undefined;
    const marks = segment.prepared.marks;
    let previousWordEnd: number | undefined;
    let lastResort: Cut | undefined;
    for (let index = 0; index < marks.length; index++) {
      const mark = marks[index];
      if (mark === undefined || mark.kind !== 'word') continue;
      const at = start + mark.offsetMs;
      const silenceMs = previousWordEnd === undefined ? 0 : mark.offsetMs - previousWordEnd;
      previousWordEnd = mark.offsetMs + mark.durationMs;
      if (at < earliest || silenceMs <= 0) continue;
      const cut: Cut = { kind: 'word', beatIndex: index, beatText: mark.text, beatAt: at, silenceMs };
      if (silenceMs >= MIN_CUT_SILENCE_MS) return cut;
      if (mark.aligned) lastResort ??= cut;
    }
    const hasMore = !turn.speech.textDone || turn.speech.segments.length > turn.issued.indexOf(segment) + 1;
    const end = this.run.projectedEnd(segment);
    if (hasMore && end !== undefined && end + BOUNDARY_HANDOVER_MS >= earliest) {
      return {
        kind: 'boundary',
        beatIndex: null,
        beatText: null,
        beatAt: end + BOUNDARY_HANDOVER_MS,
        silenceMs: BOUNDARY_HANDOVER_MS,
      };
    }
    return lastResort;
  }

  private crossfadeFor(cut: Cut): number {
    if (cut.kind !== 'word') return 0;
    const fade = Math.min(this.run.setup.preset.interrupt.crossfadeMs, cut.silenceMs - 20);
    return fade >= 10 ? Math.floor(fade) : 0;
  }

  /** The kicker's first audio arrived (any speech): commit if it is the pending interrupt's. */
  onFirstAudio(speech: TurnSpeech, segment: PreparedSegment): void {
    const pending = this.pending;
    if (pending !== undefined && pending.speech === speech && speech.segments[0] === segment)
      this.commit(pending);
  }

  /** A floor segment ended: a pending interrupt that targeted it can no longer land. */
  onSegmentEnded(played: PlayedSegment): void {
    const pending = this.pending;
    if (pending !== undefined && pending.segment === played && pending.cut.kind === 'word') {
      this.fallBack(pending, 'speaker-finished');
    }
  }

  /** A graceful stop, or the context changed under a pending interrupt: it falls back. */
  onStale(): void {
    if (this.pending !== undefined) this.fallBack(this.pending, 'stale');
  }

  private commit(pending: PendingInterrupt): void {
    const { run } = this;
    const { setup } = run;
    if (this.pending !== pending) return;
    const now = run.now;
    const crossfadeMs = this.crossfadeFor(pending.cut);
    if (now > pending.readyBy) {
      this.fallBack(pending, 'audio-not-ready');
      return;
    }
    if (run.floor !== pending.turn || pending.segment.status !== 'playing') {
      this.fallBack(pending, 'speaker-finished');
      return;
    }
    if (run.limitReached()) {
      // An auction since the decision took the last turn (or the time ran out): none is left for the kicker.
      this.fallBack(pending, 'stale');
      return;
    }
    setup.bank.sync();
    const fee = pending.decision.fee;
    try {
      if (!setup.bank.canSpend(pending.agentId, fee)) throw new Error('insufficient tokens');
      setup.policy.commit(pending.decision, now);
    } catch {
      this.fallBack(pending, 'stale');
      return;
    }
    setup.bank.spend(pending.agentId, fee);
    this.pending = undefined;
    const turn = pending.turn;
    turn.interruptedBy = pending.agentId;
    for (const played of turn.issued) {
      if (played !== pending.segment && played.startedAt === undefined)
        run.endSegment(played, 'skipped', 'interrupt', 0, '');
    }
    run.closeTurn(turn);
    if (pending.cut.kind === 'word') {
      setup.controller.stopAt({
        segmentId: pending.segment.prepared.id,
        beatIndex: pending.cut.beatIndex as number,
      });
      pending.segment.cutAt = pending.cut.beatAt;
    }
    for (const planned of run.queue.slice(1)) run.dropTurn(planned, 'cancelled');
    run.auctions.cancel();
    run.auctions.cancelPrefetch();
    run.disrupt([pending.speech]);
    run.turnCount++;
    const kicker: TurnState = {
      id: `turn-${run.turnCount}`,
      agentId: pending.agentId,
      cause: 'interrupt',
      auctionId: null,
      interruptId: pending.id,
      price: 0,
      evidenceQuality: undefined,
      speech: pending.speech,
      issued: [],
      closed: false,
      status: 'pending',
      startedAt: undefined,
      interruptedBy: null,
      prefetched: false,
      handoffDeadline: undefined,
      leadObserved: true,
    };
    run.queue.push(kicker);
    run.lastIssued = pending.segment;
    const first = pending.speech.segments[0] as PreparedSegment;
    const kickerSegment = run.issue(kicker, first, pending.cut.beatAt);
    if (crossfadeMs > 0) {
      run.addTimer(pending.cut.beatAt - crossfadeMs - now, () => {
        if (kickerSegment.status !== 'queued' || pending.segment.status !== 'playing') return;
        try {
          setup.controller.crossfade(first.id, crossfadeMs);
        } catch {
          // The floor moved on (the speaker ended early): the stop at the beat still holds.
        }
      });
    }
    setup.emotion.observe({ type: 'interrupted', agentId: turn.agentId, at: now });
    setup.reputation.observe({ type: 'interrupted', agentId: turn.agentId, at: now });
    run.interruptCount++;
    this.emitInterrupt(pending, pending.cut, 'committed', 'audio-ready', {
      readyBy: pending.readyBy,
      audioReadyAt: pending.speech.firstAudioAt ?? now,
      crossfadeMs,
      fee,
      kickerSegmentId: first.id,
    });
    run.pump();
  }

  private fallBack(pending: PendingInterrupt, reason: InterruptEvent['reason']): void {
    if (this.pending !== pending) return;
    this.pending = undefined;
    pending.speech.cancel();
    this.emitInterrupt(pending, pending.cut, 'fallen-back', reason, { readyBy: pending.readyBy });
    this.run.pump();
  }

  private emitInterrupt(
    pending: Pick<PendingInterrupt, 'id' | 'agentId' | 'turn' | 'segment' | 'decidedAt' | 'guardMs'>,
    cut: Cut | undefined,
    outcome: InterruptEvent['outcome'],
    reason: InterruptEvent['reason'],
    extra: Partial<
      Pick<InterruptEvent, 'readyBy' | 'audioReadyAt' | 'crossfadeMs' | 'fee' | 'kickerSegmentId'>
    > = {},
  ): void {
    this.run.emit({
      type: 'interrupt',
      at: this.run.now,
      interruptId: pending.id,
      agentId: pending.agentId,
      speakerId: pending.turn.agentId,
      turnId: pending.turn.id,
      outcome,
      reason,
      segmentId: pending.segment.prepared.id,
      beatIndex: cut?.beatIndex ?? null,
      beatText: cut?.beatText ?? null,
      beatAt: cut?.beatAt ?? null,
      decidedAt: pending.decidedAt,
      commitGuardMs: pending.guardMs,
      readyBy: extra.readyBy ?? null,
      audioReadyAt: extra.audioReadyAt ?? null,
      crossfadeMs: extra.crossfadeMs ?? 0,
      fee: extra.fee ?? 0,
      kickerSegmentId: extra.kickerSegmentId ?? null,
    });
  }
}
