import type { CrossfadeOptions } from '../audio/mixer';
import type { EngineState } from './engine-state';
import { finishSegment, stopSegment } from './segment-finish';
import type { SegmentPlayback } from './segment-playback';

/**
 * Hands the floor to `to` over `durationMs`: the holder (if it was heard) fades out as the
 * `outgoing` segment, `to` fades in from silence. A crossfade already in progress loses its
 * outgoing segment; a floor holder that never started is stopped (there is nothing of it to fade).
 * During a settled pause the crossfade completes at once. The caller revokes the duck leases first.
 * @internal
 */
export function startCrossfade(
  engine: EngineState,
  to: SegmentPlayback,
  durationMs: number,
  options: CrossfadeOptions,
): void {
  const mixer = engine.mixer;
  if (engine.outgoing !== undefined) {
    const previous = engine.outgoing;
    engine.outgoing = undefined;
    stopSegment(engine, previous, 'crossfade');
  }
  let from = engine.floor;
  if (from !== undefined && !from.started) {
    // A crossfade target still waiting for its audio: nothing of it was heard, nothing to fade.
    stopSegment(engine, from, 'crossfade');
    from = undefined;
  }
  if (to.track === undefined) {
    to.track = mixer.addTrack(`segment-track-${to.seq}`, { gainDb: Number.NEGATIVE_INFINITY });
  }
  if (from?.track !== undefined) {
    mixer.crossfade(from.track.id, to.track.id, durationMs, options);
    from.status = 'outgoing';
    engine.outgoing = from;
  } else {
    engine.helperCount += 1;
    const helper = mixer.addTrack(`crossfade-helper-${engine.helperCount}`, {
      gainDb: Number.NEGATIVE_INFINITY,
    });
    mixer.crossfade(helper.id, to.track.id, durationMs, options);
    helper.remove({ rampMs: 0 });
  }
  to.role = 'primary';
  engine.floor = to;
  if (!to.started && to.plannedStart === undefined) {
    to.plannedStart = to.requestedStartAt ?? engine.scheduler.now();
  }
  engine.crossfade = { from: from?.id, to, durationMs, startMs: mixer.renderedMs };
  if (engine.silencedByPause) completeCrossfadeForPause(engine);
}

/**
 * Pause during a crossfade: the crossfade completes at once (see the transition table): the
 * outgoing segment is cancelled, the incoming one is at full gain.
 * @internal
 */
export function completeCrossfadeForPause(engine: EngineState): void {
  const crossfade = engine.crossfade;
  if (crossfade === undefined) return;
  engine.crossfade = undefined;
  const outgoing = engine.outgoing;
  engine.outgoing = undefined;
  if (outgoing !== undefined) finishSegment(engine, outgoing, { type: 'cancel', reason: 'crossfade' });
  if (crossfade.to.status !== 'finished') crossfade.to.track?.setGain(0, { rampMs: 0 });
}

/**
 * After a frame: a crossfade whose duration has been rendered ends, and its outgoing segment is
 * cancelled.
 * @internal
 */
export function endCrossfadeIfRendered(engine: EngineState): void {
  const crossfade = engine.crossfade;
  if (crossfade !== undefined && engine.mixer.renderedMs - crossfade.startMs >= crossfade.durationMs) {
    engine.crossfade = undefined;
    const outgoing = engine.outgoing;
    engine.outgoing = undefined;
    if (outgoing !== undefined) finishSegment(engine, outgoing, { type: 'cancel', reason: 'crossfade' });
  }
}
