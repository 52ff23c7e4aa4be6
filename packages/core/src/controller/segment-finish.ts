import type { CancelReason, PlaybackEvent } from './audio-controller';
import type { EngineState } from './engine-state';
import { takeDueBeats } from './segment-beats';
import { terminalEvent } from './segment-events';
import type { SegmentOutcome, SegmentPlayback } from './segment-playback';

/**
 * Queues an event for a segment's subscriber (delivered once the operation is complete).
 * @internal
 */
export function emit(engine: EngineState, segment: SegmentPlayback, event: PlaybackEvent): void {
  engine.outbox.push(() => segment.subscriber.next(event));
}

/**
 * Queues the segment's beats that are due by `now` (`all`: every beat left, at its end), telling
 * the controller's `onBeat` hook first.
 * @internal
 */
export function emitBeats(engine: EngineState, segment: SegmentPlayback, now: number, all: boolean): void {
  for (const event of takeDueBeats(segment, {
    now,
    sampleRate: engine.mixer.sampleRate,
    toleranceMs: engine.beatToleranceMs,
    all,
  })) {
    engine.hooks.onBeat(event);
    emit(engine, segment, event);
  }
}

/**
 * Stops one segment: at once when it is silent, else with a fade on the next frame.
 * @internal
 */
export function stopSegment(
  engine: EngineState,
  segment: SegmentPlayback,
  reason: CancelReason | 'silent',
): void {
  if (segment.status === 'finished') return;
  const silent = !segment.started || engine.silencedByPause || segment.bufferedLength === 0;
  if (silent) {
    finishSegment(engine, segment, reason === 'silent' ? { type: 'silent' } : { type: 'cancel', reason });
    return;
  }
  segment.stopRequest = reason;
  segment.stopTarget = undefined;
  segment.status = 'stopping';
}

/**
 * Removes a segment, tells its subscriber (unless it left), frees the floor.
 * @internal
 */
export function finishSegment(engine: EngineState, segment: SegmentPlayback, outcome: SegmentOutcome): void {
  if (segment.status === 'finished') return;
  const now = engine.scheduler.now();
  if (outcome.type === 'end') emitBeats(engine, segment, now, true);
  segment.status = 'finished';
  const index = engine.segments.indexOf(segment);
  if (index >= 0) engine.segments.splice(index, 1);
  segment.source?.unsubscribe();
  segment.source = undefined;
  segment.track?.remove({ rampMs: 0 });
  segment.track = undefined;
  if (engine.floor === segment) {
    engine.floor = undefined;
    engine.floorFreedAt = Math.max(engine.floorFreedAt, now);
  }
  if (engine.outgoing === segment) engine.outgoing = undefined;
  if (engine.crossfade?.to.status === 'finished' && engine.outgoing === undefined) {
    engine.crossfade = undefined;
  }
  const event = terminalEvent(segment, outcome, now, engine.mixer.sampleRate);
  segment.clearBuffer();
  if (event === undefined) return;
  const subscriber = segment.subscriber;
  emit(engine, segment, event);
  if (event.type === 'cancel' && (event.reason === 'error' || segment.hasError)) {
    const error = segment.errorToRaise;
    engine.outbox.push(() => subscriber.error(error));
  } else {
    engine.outbox.push(() => subscriber.complete());
  }
}
