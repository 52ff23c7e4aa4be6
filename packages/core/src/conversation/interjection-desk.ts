import type { CancelReason, DuckLease } from '../controller/audio-controller';
import { estimateBeats } from '../controller/estimate-beats';
import type { InterjectionType, ListenerReaction, TranscriptEntry } from './agent';
import type { InterjectionEvent } from './conversation-events';
import type { ConversationRun } from './conversation-run';
import { PreparedSegment } from './prepared-segment';
import type { PlayedSegment, TurnState } from './run-types';

/** An interjection must end at least this long before the speaker's segment does, ms. */
const CLIP_TAIL_MS = 150;

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
 * The listeners' interjections: an accepted one (the planner's threshold, one at a time) is
 * synthesized and played ducked under the speaker through the single duck lease, or dropped when
 * it cannot fit before the speaker's segment ends.
 * @internal
 */
export class InterjectionDesk {
  private clip: Clip | undefined;
  private clipCount = 0;

  constructor(private readonly run: ConversationRun) {}

  /** Whether an interjection is being prepared or played. */
  get busy(): boolean {
    return this.clip !== undefined;
  }

  teardown(): void {
    if (this.clip !== undefined) {
      this.clip.prepared.cancel();
      this.clip.played?.subscription?.unsubscribe();
      this.clip.lease?.release();
      this.clip = undefined;
    }
  }

  /** A graceful stop: an interjection not yet playing is dropped. */
  onStop(): void {
    if (this.clip !== undefined && this.clip.played === undefined) this.dropClip(this.clip, 'stale');
  }

  /** A listener offered an interjection on the speaker's segment: plan it, synthesize it, play it ducked. */
  consider(
    agentId: string,
    turn: TurnState,
    segment: PlayedSegment,
    reaction: Extract<ListenerReaction, { type: 'interjection' }>,
  ): void {
    const { run } = this;
    const { setup } = run;
    if (this.clip !== undefined) return;
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
}
