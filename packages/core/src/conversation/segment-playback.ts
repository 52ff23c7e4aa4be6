import type { PlaybackEvent } from '../controller/audio-controller';
import type { SegmentEndEvent } from './conversation-events';
import type { ConversationRun } from './conversation-run';
import type { PreparedSegment } from './prepared-segment';
import { type PlayedSegment, TTS_CHUNK_STAGE, type TurnState } from './run-types';

/**
 * Hands one prepared segment of a turn to the controller and follows its playback: the first
 * start starts the turn, beats go to the log and the listeners, the end (or a cut) ends it.
 * @internal
 */
export function issueSegment(
  run: ConversationRun,
  turn: TurnState,
  segment: PreparedSegment,
  startAt: number,
): PlayedSegment {
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
  run.lastIssued = played;
  const subscription = run.setup.controller
    .play({
      kind: 'tts',
      id: segment.id,
      speaker: turn.agentId,
      role: 'primary',
      events: segment.events$,
      text: segment.text,
      beats: 'auto',
      voice: run.setup.voices[turn.agentId] ?? turn.agentId,
      startAt,
    })
    .subscribe({
      next: (event) => onPlayback(run, played, event),
      error: (error: unknown) => {
        run.faults.report(turn.agentId, turn.id, 'synthesize', { kind: 'error', error }, 'skipped');
        endSegment(run, played, 'cancel', 'error', played.playedMs, played.heardText);
      },
    });
  if (played.status !== 'ended') {
    played.subscription = subscription;
    run.segmentSubscriptions.add(subscription);
  }
  return played;
}

function onPlayback(run: ConversationRun, played: PlayedSegment, event: PlaybackEvent): void {
  const turn = played.turn;
  if (turn === undefined) return;
  switch (event.type) {
    case 'start': {
      played.startedAt = event.actualAt;
      played.status = 'playing';
      if (turn.status === 'pending') startTurn(run, turn, played, event.plannedAt, event.actualAt);
      run.emit({
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
        commitGuardMs: run.setup.guard.commitGuardMs,
        firstChunkP95Ms: run.setup.profiler.estimator(TTS_CHUNK_STAGE).quantile(0.95),
      });
      run.pump();
      break;
    }
    case 'beat':
      run.emit({
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
      run.listeners.onBeat(turn, played, event);
      break;
    case 'end':
      endSegment(run, played, 'end', null, event.playedMs, event.heardText);
      break;
    case 'cancel':
      endSegment(run, played, 'cancel', event.reason, event.playedMs, event.heardText);
      break;
    default:
      break;
  }
}

function startTurn(
  run: ConversationRun,
  turn: TurnState,
  played: PlayedSegment,
  plannedAt: number,
  actualAt: number,
): void {
  turn.status = 'playing';
  turn.startedAt = actualAt;
  run.setup.planner.recordTurn();
  const gapMs = run.lastPrimaryEndAt === undefined ? null : actualAt - run.lastPrimaryEndAt;
  run.emit({
    type: 'turn-start',
    at: run.now,
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

/**
 * Ends a played segment (turn or interjection) once: releases its playback, logs `segment-end`,
 * moves the floor plan back if it never started, and closes its turn if it was cut for another
 * reason than an interrupt.
 * @internal
 */
export function endSegment(
  run: ConversationRun,
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
    run.segmentSubscriptions.delete(played.subscription);
    played.subscription.unsubscribe();
    played.subscription = undefined;
  }
  played.prepared.cancel();
  run.listeners.onSegmentEnded(played);
  const turn = played.turn;
  if (played.kind === 'turn' && wasStarted) run.lastPrimaryEndAt = (played.startedAt as number) + playedMs;
  if (run.lastIssued === played && !wasStarted) {
    // Never started: the floor plan falls back to the last segment that did.
    run.lastIssued = turn?.issued.filter((candidate) => candidate !== played).at(-1);
  }
  run.emit({
    type: 'segment-end',
    at: run.now,
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
    run.closeTurn(turn);
  }
  run.pump();
}
