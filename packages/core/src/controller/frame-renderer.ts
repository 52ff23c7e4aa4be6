import type { EngineState } from './engine-state';
import { completeCrossfadeForPause, endCrossfadeIfRendered } from './segment-crossfade';
import { outcomeOf, placeCut, takeCount } from './segment-cuts';
import { emit, emitBeats, finishSegment } from './segment-finish';
import type { SegmentPlayback } from './segment-playback';

// The floor plan: overlays start at their planned time; primaries queue for the floor, and the
// head of the queue is planned once the floor is free (at its requested start, else no earlier
// than its subscription and the end of the previous holder's audio).

/**
 * Whether a frame due at `due` has anything to render.
 * @internal
 */
export function needsFrame(engine: EngineState, due: number): boolean {
  assignFloorPlan(engine);
  for (const segment of engine.segments) {
    if (segment.active) {
      if (!engine.paused || engine.pausing) return true;
    } else if (
      !engine.paused &&
      canStart(engine, segment) &&
      segment.plannedStart! < due + engine.mixer.frameDurationMs
    ) {
      return true;
    }
  }
  return false;
}

/**
 * The earliest planned start of a segment that is ready and allowed to start.
 * @internal
 */
export function nextWakeTime(engine: EngineState): number | undefined {
  if (engine.paused) return undefined;
  let earliest: number | undefined;
  for (const segment of engine.segments) {
    if (!segment.started && canStart(engine, segment)) {
      const at = segment.plannedStart!;
      if (earliest === undefined || at < earliest) earliest = at;
    }
  }
  return earliest;
}

/** Whether a waiting segment has what it needs to start (audio, its turn, a plan). */
function canStart(engine: EngineState, segment: SegmentPlayback): boolean {
  if (segment.started || segment.status !== 'waiting' || segment.plannedStart === undefined) return false;
  if (segment.bufferedLength === 0 && !segment.sourceEnded) return false;
  if (segment.role === 'overlay') return true;
  return engine.floor === segment || (engine.floor === undefined && headPrimary(engine) === segment);
}

function headPrimary(engine: EngineState): SegmentPlayback | undefined {
  return engine.segments.find((segment) => segment.role === 'primary' && !segment.started);
}

/** Gives the head of the primary queue its planned start once the floor is free. */
function assignFloorPlan(engine: EngineState): void {
  if (engine.floor !== undefined) return;
  const head = headPrimary(engine);
  if (head === undefined || head.plannedStart !== undefined) return;
  head.plannedStart = head.requestedStartAt ?? Math.max(head.subscribedAt, engine.floorFreedAt);
}

/**
 * Renders the frame due at `due` (the scheduler reads `now`): places pending cuts and pause
 * fades, feeds every active segment, starts the segments whose planned start falls in the frame
 * (a primary no earlier than the end of the floor holder's audio in this frame), finishes the
 * drained ones, queues the mixed frame for the output subscribers, and ends a crossfade or a pause
 * fade that this frame completed.
 * @internal
 */
export function renderFrame(engine: EngineState, due: number, now: number): void {
  const detached: SegmentPlayback[] = [];
  for (const segment of engine.segments) {
    if (!segment.active) continue;
    placeCut(segment, engine.fadeLength);
    if (engine.pausing && segment.pauseFadeEnd === undefined) {
      const length = Math.min(engine.fadeLength, segment.bufferedLength);
      segment.pauseFadeEnd = segment.position + length;
      segment.pauseFadeLength = length;
    }
  }
  let floorOffset = 0;
  const play = (segment: SegmentPlayback, pad: number): void => {
    const count = takeCount(segment, engine.frameLength, pad, engine.silencedByPause);
    feed(engine, segment, pad, count, due, now);
    if (!segment.drained) return;
    if (segment === engine.floor) floorOffset = releaseFloor(engine, pad + count, now);
    // The track keeps this frame's samples until it is rendered: detach it afterwards.
    const track = segment.track;
    segment.track = undefined;
    finishSegment(engine, segment, outcomeOf(segment));
    segment.track = track;
    detached.push(segment);
  };
  for (const segment of [...engine.segments]) {
    if (segment.active) play(segment, 0);
  }
  if (!engine.paused) {
    for (;;) {
      assignFloorPlan(engine);
      const next = engine.segments.find(
        (segment) =>
          canStart(engine, segment) && padFor(engine, segment, due, floorOffset) < engine.frameLength,
      );
      if (next === undefined) break;
      const pad = padFor(engine, next, due, floorOffset);
      startSegment(engine, next, pad, now);
      placeCut(next, engine.fadeLength);
      play(next, pad);
    }
  }
  const frame = engine.mixer.render(due);
  engine.frameCount += 1;
  for (const segment of detached) {
    segment.track?.remove({ rampMs: 0 });
    segment.track = undefined;
  }
  if (engine.outputSubscribers.size > 0) {
    const subscribers = [...engine.outputSubscribers];
    engine.outbox.push(() => {
      for (const subscriber of subscribers) subscriber.next(frame);
    });
  }
  endCrossfadeIfRendered(engine);
  if (engine.pausing) {
    engine.pausing = false;
    completeCrossfadeForPause(engine);
  }
}

/** The floor holder's audio ended `endOffset` samples into the frame: the floor is free from then. */
function releaseFloor(engine: EngineState, endOffset: number, now: number): number {
  engine.floor = undefined;
  engine.floorFreedAt = now + (endOffset * 1000) / engine.mixer.sampleRate;
  return endOffset;
}

/** Where in the frame (samples) a segment may start: its planned start, and after the floor's end. */
function padFor(engine: EngineState, segment: SegmentPlayback, due: number, floorOffset: number): number {
  // Rounded up (never early), with a tolerance for float noise on whole samples.
  const planned = Math.max(
    0,
    Math.ceil(((segment.plannedStart! - due) * engine.mixer.sampleRate) / 1000 - 1e-6),
  );
  return segment.role === 'primary' ? Math.max(planned, floorOffset) : planned;
}

function startSegment(engine: EngineState, segment: SegmentPlayback, pad: number, now: number): void {
  segment.started = true;
  segment.status = 'playing';
  if (segment.role === 'primary') engine.floor = segment;
  if (segment.track === undefined) {
    segment.track = engine.mixer.addTrack(`segment-track-${segment.seq}`, { gainDb: segment.gainDb });
    const level = engine.hooks.duckLevel();
    if (segment.role === 'primary' && level !== undefined) segment.track.duck(level, { rampMs: 0 });
  }
  emit(engine, segment, {
    type: 'start',
    segmentId: segment.id,
    speaker: segment.speaker,
    at: now,
    role: segment.role,
    plannedAt: segment.plannedStart!,
    actualAt: now + (pad * 1000) / engine.mixer.sampleRate,
  });
}

/**
 * Pushes `pad` samples of silence then `count` of the segment's audio to its track, and queues the
 * chunk event and the beats now due.
 */
function feed(
  engine: EngineState,
  segment: SegmentPlayback,
  pad: number,
  count: number,
  due: number,
  now: number,
): void {
  if (count === 0 || segment.track === undefined) return;
  const rate = engine.mixer.sampleRate;
  const channels = engine.mixer.channels;
  const samples = new Int16Array((pad + count) * channels);
  const position = segment.position;
  segment.takeInto(samples, pad, count);
  segment.track.push({ samples, sampleRate: rate, channels, timestamp: due });
  segment.recordRun(position, now + (pad * 1000) / rate, count, rate);
  emit(engine, segment, {
    type: 'chunk',
    segmentId: segment.id,
    speaker: segment.speaker,
    at: now,
    frameTimestamp: due,
    offsetMs: (position * 1000) / rate,
    durationMs: (count * 1000) / rate,
  });
  emitBeats(engine, segment, now, false);
}
