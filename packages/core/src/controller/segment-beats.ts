import type { PlaybackBeatEvent } from './audio-controller';
import type { EstimatedBeat } from './estimate-beats';
import type { SegmentBeat, SegmentPlayback } from './segment-playback';

/**
 * Loads estimated beats (ms) into a segment (samples at `sampleRate`), remembering the duration the
 * estimate assumed so {@link rescaleEstimatedBeats} can stretch them to the real audio.
 * @internal
 */
export function loadEstimatedBeats(
  segment: SegmentPlayback,
  beats: readonly EstimatedBeat[],
  estimatedDurationMs: number,
  sampleRate: number,
): void {
  beats.forEach((beat, index) => {
    segment.beats.push({
      index,
      kind: beat.kind,
      text: beat.text,
      offset: Math.round((beat.offsetMs * sampleRate) / 1000),
      length: Math.round((beat.durationMs * sampleRate) / 1000),
      aligned: false,
      emitted: false,
    });
  });
  segment.estimatedDurationSamples = Math.round((estimatedDurationMs * sampleRate) / 1000);
}

/**
 * The provider sent its first mark: drops the estimated beats that have not played yet (the
 * provider aligns its own) and stops any rescale of the estimate.
 * @internal
 */
export function dropUnplayedEstimate(segment: SegmentPlayback): void {
  const played = segment.beats.filter((beat) => beat.emitted);
  segment.beats.length = 0;
  segment.beats.push(...played);
  segment.nextBeatIndex = played.length;
  segment.estimatedDurationSamples = undefined;
}

/**
 * Inserts a beat in offset order (after beats with the same offset); a beat that lands before the
 * next one to emit moves the emission cursor back, so it is reported as soon as its audio is out.
 * @internal
 */
export function insertBeat(segment: SegmentPlayback, beat: SegmentBeat): void {
  const beats = segment.beats;
  let at = beats.length;
  while (at > 0 && beats[at - 1]!.offset > beat.offset) at--;
  beats.splice(at, 0, beat);
  if (at < segment.nextBeatIndex) segment.nextBeatIndex = at;
}

/**
 * The stream ended with `receivedLength` samples: stretches the estimated beats not yet played
 * from the estimate's duration to the real one.
 * @internal
 */
export function rescaleEstimatedBeats(segment: SegmentPlayback): void {
  const estimated = segment.estimatedDurationSamples;
  const real = segment.receivedLength;
  if (estimated === undefined || estimated <= 0 || real <= 0) return;
  const scale = real / estimated;
  for (const beat of segment.beats) {
    if (beat.emitted) continue;
    beat.offset = Math.round(beat.offset * scale);
    beat.length = Math.round(beat.length * scale);
  }
  segment.beats.sort((a, b) => a.offset - b.offset || a.index - b.index);
  segment.nextBeatIndex = 0;
}

/** What {@link takeDueBeats} needs to time a beat. @internal */
export interface BeatTiming {
  /** The scheduler time of the report. */
  now: number;
  /** The controller's sample rate. */
  sampleRate: number;
  /** `|driftMs|` above which a beat is missed. */
  toleranceMs: number;
  /** Report every remaining beat (the segment ended), not only those whose first sample went out. */
  all: boolean;
}

/**
 * Marks as emitted, and returns as events, the beats whose first sample has gone out (every
 * remaining one when `all`): planned at the segment's planned start + offset + the pause shift
 * then, actual when that sample went out (or the end of the audio for a beat past it).
 * @internal
 */
export function takeDueBeats(segment: SegmentPlayback, timing: BeatTiming): PlaybackBeatEvent[] {
  const { now, sampleRate, toleranceMs, all } = timing;
  const beats = segment.beats;
  const events: PlaybackBeatEvent[] = [];
  while (segment.nextBeatIndex < beats.length) {
    const beat = beats[segment.nextBeatIndex]!;
    if (!beat.emitted) {
      if (!all && beat.offset >= segment.position) break;
      const when = segment.timeOf(beat.offset, sampleRate) ?? segment.endTime(sampleRate);
      if (when === undefined) break;
      beat.emitted = true;
      const plannedAt = segment.plannedStart! + (beat.offset * 1000) / sampleRate + when.shiftMs;
      const driftMs = when.time - plannedAt;
      events.push({
        type: 'beat',
        segmentId: segment.id,
        speaker: segment.speaker,
        at: now,
        index: beat.index,
        kind: beat.kind,
        text: beat.text,
        offsetMs: (beat.offset * 1000) / sampleRate,
        durationMs: (beat.length * 1000) / sampleRate,
        aligned: beat.aligned,
        plannedAt,
        actualAt: when.time,
        driftMs,
        missed: Math.abs(driftMs) > toleranceMs,
      });
    }
    segment.nextBeatIndex++;
  }
  return events;
}
