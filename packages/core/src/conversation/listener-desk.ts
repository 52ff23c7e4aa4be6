import type { CancelReason, DuckLease, PlaybackBeatEvent } from '../controller/audio-controller';
import { estimateBeats } from '../controller/estimate-beats';
import type { InterruptDecision } from '../interrupt/interrupt-types';
import type { InterjectionType, ListenContext, ListenerReaction, TranscriptEntry } from './agent';
import type { InterjectionEvent, InterruptEvent } from './conversation-events';
import { DEFAULT_MIN_HEARD_WORDS } from './conversation-preset';
import type { ConversationRun } from './conversation-run';
import { PreparedSegment } from './prepared-segment';
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
/** An interjection must end at least this long before the speaker's segment does, ms. */
const CLIP_TAIL_MS = 150;

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

interface Clip {
  id: string;
  agentId: string;
  turn: TurnState;
  segment: PlayedSegment;
  prepared: PreparedSegment;
  interjectionType: InterjectionType;
  importance: number;
  /** The threshold the planner held this listener to. */
  threshold: number;
  lease: DuckLease | undefined;
  played: PlayedSegment | undefined;
}

/**
 * The listeners' side of the floor: at each sentence beat every listener may react; accepted
 * interjections are synthesized and played ducked under the speaker through the single duck
 * lease; interrupt requests go through the policy, and an allowed one is prepared (the kicker's
 * audio prebuffered, top-1) and committed at a word beat at least the commit guard ahead — only
 * if the audio is ready by then — with a crossfade, or falls back.
 * @internal
 */
export class ListenerDesk {
  private pending: PendingInterrupt | undefined;
  private clip: Clip | undefined;
  private interruptCount = 0;
  private clipCount = 0;

  constructor(private readonly run: ConversationRun) {}

  /** Whether an interjection or an interrupt is in progress. */
  get busy(): boolean {
    return this.pending !== undefined || this.clip !== undefined;
  }

  teardown(): void {
    this.pending?.speech.cancel();
    this.pending = undefined;
    if (this.clip !== undefined) {
      this.clip.prepared.cancel();
      this.clip.played?.subscription?.unsubscribe();
      this.clip.lease?.release();
      this.clip = undefined;
    }
  }

  // ─── beats ────────────────────────────────────────────────────────────────────────────────

  onBeat(turn: TurnState, played: PlayedSegment, beat: PlaybackBeatEvent): void {
    const { run } = this;
    if (beat.kind !== 'sentence' || run.floor !== turn || turn.interruptedBy !== null || run.stopping) return;
    const { setup } = run;
    const heardText = turn.issued
      .filter((segment) => segment.status === 'ended' && segment.heardText.length > 0)
      .map((segment) => segment.heardText)
      .join(' ');
    // React to something said: nothing before a complete sentence and enough words were heard.
    const minHeardWords = setup.preset.interjection.minHeardWords ?? DEFAULT_MIN_HEARD_WORDS;
    if (heardText.length === 0 || countWords(heardText) < minHeardWords) return;
    for (const agent of setup.agents) {
      if (agent.id === turn.agentId || run.faults.inBackoff(agent.id)) continue;
      const base = run.context(agent.id);
      const context: ListenContext = {
        ...base,
        speakerId: turn.agentId,
        turnId: turn.id,
        heardText,
        beat: { kind: beat.kind, text: beat.text, index: beat.index },
        canInterrupt: this.pending === undefined && base.balance >= setup.preset.interrupt.baseFee,
      };
      run.tasks.run<ListenerReaction>({
        agentId: agent.id,
        version: run.version,
        priority: 1,
        whenBusy: 'skip',
        cancelOnContextChange: true,
        firstValueTimeoutMs: setup.preset.timeouts.interjectMs,
        idleTimeoutMs: Number.POSITIVE_INFINITY,
        start: () => agent.interject(context),
        onValue: (reaction) => this.onReaction(agent.id, turn, played, reaction),
        onComplete: () => undefined,
        onFailure: (failure) => {
          if (failure.kind === 'error') run.faults.report(agent.id, turn.id, 'interject', failure, 'skipped');
        },
      });
    }
  }

  private onReaction(
    agentId: string,
    turn: TurnState,
    played: PlayedSegment,
    reaction: ListenerReaction,
  ): void {
    const { run } = this;
    if (run.ended || run.stopping || run.floor !== turn || played.status !== 'playing') return;
    if (turn.interruptedBy !== null) return;
    if (reaction?.type === 'interjection') this.considerInterjection(agentId, turn, played, reaction);
    else if (reaction?.type === 'interrupt') this.considerInterrupt(agentId, turn, played, reaction.urgency);
  }

  // ─── interjections ────────────────────────────────────────────────────────────────────────

  private considerInterjection(
    agentId: string,
    turn: TurnState,
    segment: PlayedSegment,
    reaction: Extract<ListenerReaction, { type: 'interjection' }>,
  ): void {
    const { run } = this;
    const { setup } = run;
    if (this.clip !== undefined || this.pending !== undefined) return;
    const importance = Math.min(
      1,
      Math.max(0, Number.isFinite(reaction.importance) ? reaction.importance : 0),
    );
    const text = typeof reaction.text === 'string' ? reaction.text : '';
    const plan = setup.planner.consider({
      agentId,
      interjectionType: reaction.interjectionType,
      text,
      importance,
      at: run.now,
    });
    if (!plan.accepted) return;
    this.clipCount++;
    const id = `clip-${this.clipCount}`;
    const prepared = new PreparedSegment(id, agentId, plan.text);
    prepared.requestedAt = run.now;
    const clip: Clip = {
      id,
      agentId,
      turn,
      segment,
      prepared,
      interjectionType: reaction.interjectionType,
      importance,
      threshold: plan.threshold,
      lease: undefined,
      played: undefined,
    };
    this.clip = clip;
    const options = setup.preset.interjection;
    prepared.task = run.tasks.run({
      agentId: null,
      version: run.version,
      priority: 2,
      whenBusy: 'queue',
      cancelOnContextChange: true,
      firstValueTimeoutMs: options.readyTimeoutMs,
      idleTimeoutMs: Number.POSITIVE_INFINITY,
      start: () =>
        setup
          .ttsOf(agentId)
          .synthesize(
            { text: plan.text, voice: setup.voices[agentId] ?? agentId, sampleRate: setup.sampleRate },
            { scheduler: setup.scheduler },
          ),
      onValue: (event) => {
        const first = event.type === 'audio' && prepared.firstAudioAt === undefined;
        prepared.push(event, run.now);
        if (first) this.playClip(clip);
      },
      onComplete: () => prepared.complete(),
      onFailure: (failure) => {
        prepared.fail(failure.kind === 'error' ? failure.error : new Error('TTS timed out'));
        if (failure.kind === 'error') run.faults.report(agentId, turn.id, 'synthesize', failure, 'skipped');
        if (clip.played === undefined)
          this.dropClip(clip, failure.kind === 'timeout' ? 'not-ready' : 'failed');
      },
    });
    if (this.clip === clip && prepared.task === undefined) this.dropClip(clip, 'failed');
  }

  private playClip(clip: Clip): void {
    const { run } = this;
    const { setup } = run;
    if (this.clip !== clip || clip.played !== undefined) return;
    const end = run.projectedEnd(clip.segment);
    const duration = clip.prepared.durationMs ?? estimateBeats(clip.prepared.text).durationMs;
    if (clip.segment.status !== 'playing' || end === undefined || end - run.now < duration + CLIP_TAIL_MS) {
      this.dropClip(clip, 'speaker-finished');
      return;
    }
    const options = setup.preset.interjection;
    let lease: DuckLease;
    try {
      lease = setup.controller.duck(options.duckGainDb, { holder: clip.id, whenBusy: 'refuse' });
    } catch {
      this.dropClip(clip, 'lease-busy');
      return;
    }
    clip.lease = lease;
    const played: PlayedSegment = {
      prepared: clip.prepared,
      turn: undefined,
      kind: 'interjection',
      subscription: undefined,
      plannedAt: run.now,
      startedAt: undefined,
      cutAt: undefined,
      playedMs: 0,
      heardText: '',
      status: 'queued',
    };
    clip.played = played;
    const subscription = setup.controller
      .play({
        kind: 'tts',
        id: clip.id,
        speaker: clip.agentId,
        role: 'overlay',
        gainDb: options.gainDb,
        events: clip.prepared.events$,
        text: clip.prepared.text,
        beats: 'auto',
        voice: setup.voices[clip.agentId] ?? clip.agentId,
        startAt: run.now,
      })
      .subscribe({
        next: (event) => {
          if (event.type === 'start') this.onClipStart(clip, event.plannedAt, event.actualAt);
          else if (event.type === 'end' || event.type === 'cancel') {
            this.onClipEnd(
              clip,
              event.type,
              event.type === 'cancel' ? event.reason : null,
              event.playedMs,
              event.heardText,
            );
          }
        },
        error: () => this.onClipEnd(clip, 'cancel', 'error', played.playedMs, ''),
      });
    if (played.status !== 'ended') played.subscription = subscription;
  }

  private onClipStart(clip: Clip, plannedAt: number, actualAt: number): void {
    const { run } = this;
    const { setup } = run;
    const played = clip.played as PlayedSegment;
    played.startedAt = actualAt;
    played.status = 'playing';
    run.interjectionCount++;
    setup.planner.recordInterjection(clip.agentId, actualAt, clip.prepared.text);
    setup.reputation.observe({ type: 'interjection-accepted', agentId: clip.agentId, at: run.now });
    if (clip.interjectionType === 'challenge') {
      setup.emotion.observe({ type: 'challenged', agentId: clip.turn.agentId, at: run.now });
    } else if (clip.interjectionType === 'support') {
      setup.emotion.observe({ type: 'supported', agentId: clip.turn.agentId, at: run.now });
    }
    const entry: TranscriptEntry = {
      agentId: clip.agentId,
      name: setup.personas[clip.agentId]?.name ?? clip.agentId,
      kind: 'interjection',
      turnId: clip.turn.id,
      text: clip.prepared.text,
      interrupted: false,
      at: actualAt,
    };
    run.transcript.push(entry);
    this.emitInterjection(clip, 'played', null, actualAt);
    run.emit({
      type: 'segment-start',
      at: run.now,
      segmentId: clip.id,
      turnId: clip.turn.id,
      agentId: clip.agentId,
      kind: 'interjection',
      text: clip.prepared.text,
      plannedAt,
      actualAt,
      driftMs: actualAt - plannedAt,
      firstChunkLatencyMs: (clip.prepared.firstAudioAt ?? actualAt) - clip.prepared.requestedAt,
      commitGuardMs: setup.guard.commitGuardMs,
      firstChunkP95Ms: setup.profiler.estimator('tts-first-chunk').quantile(0.95),
    });
  }

  private onClipEnd(
    clip: Clip,
    outcome: 'end' | 'cancel',
    reason: CancelReason | null,
    playedMs: number,
    heardText: string,
  ): void {
    const played = clip.played;
    if (played === undefined || played.status === 'ended') return;
    clip.lease?.release();
    if (played.startedAt === undefined) {
      played.status = 'ended';
      this.dropClip(clip, 'failed');
      return;
    }
    played.subscription?.unsubscribe();
    this.run.endSegment(played, outcome, reason, playedMs, heardText);
    if (this.clip === clip) this.clip = undefined;
    this.run.pump();
  }

  private dropClip(clip: Clip, reason: NonNullable<InterjectionEvent['reason']>): void {
    if (this.clip !== clip) return;
    this.clip = undefined;
    clip.prepared.cancel();
    clip.lease?.release();
    if (clip.played !== undefined) {
      clip.played.subscription?.unsubscribe();
      clip.played.status = 'ended';
    }
    this.emitInterjection(clip, 'dropped', reason, null);
    this.run.pump();
  }

  private emitInterjection(
    clip: Clip,
    outcome: 'played' | 'dropped',
    reason: InterjectionEvent['reason'],
    startedAt: number | null,
  ): void {
    const { setup } = this.run;
    this.run.emit({
      type: 'interjection',
      at: this.run.now,
      clipId: clip.id,
      agentId: clip.agentId,
      targetAgentId: clip.turn.agentId,
      turnId: clip.turn.id,
      interjectionType: clip.interjectionType,
      text: clip.prepared.text,
      importance: clip.importance,
      threshold: clip.threshold,
      outcome,
      reason,
      leaseId: outcome === 'played' ? (clip.lease?.id ?? null) : null,
      duckGainDb: setup.preset.interjection.duckGainDb,
      startedAt,
    });
  }

  // ─── hard interrupts ──────────────────────────────────────────────────────────────────────

  private considerInterrupt(agentId: string, turn: TurnState, segment: PlayedSegment, urgency: number): void {
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

  /** A graceful stop: a pending interrupt falls back; an interjection not yet playing is dropped. */
  onStop(): void {
    if (this.pending !== undefined) this.fallBack(this.pending, 'stale');
    if (this.clip !== undefined && this.clip.played === undefined) this.dropClip(this.clip, 'stale');
  }

  /** The context changed under a pending interrupt. */
  onDisrupt(): void {
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

/** Words in a text: whitespace-separated tokens with a letter or a digit. */
function countWords(text: string): number {
  let count = 0;
  for (const token of text.split(/\s+/u)) if (/[\p{L}\p{N}]/u.test(token)) count++;
  return count;
}
