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

/** How far (characters) each segment's text has been matched by its word marks. */
const textCursors = new WeakMap<SegmentPlayback, number>();
/** How many tokens past the cursor a mark's word may be found (skipping words the TTS did not mark). */
const MATCH_LOOKAHEAD_TOKENS = 4;

/** A word's spoken core for matching: letters and digits, case-folded. */
function spokenCore(word: string): string {
  return word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * A word mark's text as the segment's original text wrote it: providers that mark words without
 * their punctuation (`tomorrow` for `tomorrow.`) would make the heard text lose it. The mark is
 * matched, in order, against the whitespace-separated tokens of the segment's text after the
 * previous match (a few tokens of look-ahead); on a match the beat's text becomes the original
 * text from the end of the previous match through the matched token — its punctuation, and any
 * punctuation-only tokens before it (`— at`). A mark that matches nothing keeps its own text.
 * @internal
 */
export function originalWordText(segment: SegmentPlayback, word: string): string {
  const text = segment.text;
  const core = spokenCore(word);
  if (text === undefined || core.length === 0) return word;
  const cursor = textCursors.get(segment) ?? 0;
  const tokens = /\S+/gu;
  tokens.lastIndex = cursor;
  for (let skipped = 0; skipped <= MATCH_LOOKAHEAD_TOKENS; ) {
    const token = tokens.exec(text);
    if (token === null) return word;
    const tokenCore = spokenCore(token[0]);
    if (tokenCore === core) {
      const end = token.index + token[0].length;
      textCursors.set(segment, end);
      const before = text.slice(cursor, token.index).trim();
      // Punctuation-only tokens in between (dashes, ellipses) belong to the heard text; skipped
      // words do not (the provider marks them itself, or did not speak them).
      return spokenCore(before).length === 0 && before.length > 0 ? `${before} ${token[0]}` : token[0];
    }
    if (tokenCore.length > 0) skipped++;
  }
  return word;
}

/**
 * Inserts a beat in offset order (after beats with the same offset); a beat that lands before the
 * next one to emit moves the emission cursor back, so it is reported as soon as its audio is out.
 * A word beat's text is restored to the segment's original spelling with its punctuation
 * ({@link originalWordText}), so that the heard text keeps it.
 * @internal
 */
export function insertBeat(segment: SegmentPlayback, beat: SegmentBeat): void {
  if (beat.kind === 'word') beat.text = originalWordText(segment, beat.text);
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
