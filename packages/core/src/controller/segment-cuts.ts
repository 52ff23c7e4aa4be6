import type { SegmentBeat, SegmentOutcome, SegmentPlayback } from './segment-playback';

/**
 * Turns a segment's pending stop request or stop target into a cut point (exclusive end of its
 * audio) with its fade, when the next frame renders:
 * - a stop request cuts `fadeLength` samples from the current position (fewer if less is buffered);
 * - a stop target cuts where its beat starts, fading the samples before it; a beat that already
 *   started (or starts within the fade) resolves to the next word beat; the target waits while no
 *   such beat is known yet.
 * @internal
 */
export function placeCut(segment: SegmentPlayback, fadeLength: number): void {
  if (segment.stopRequest !== undefined) {
    const length = Math.min(fadeLength, segment.bufferedLength);
    const cut = segment.position + length;
    if (segment.cut === undefined || cut < segment.cut) {
      segment.cut = cut;
      segment.cutFadeLength = length;
      segment.cutReason = segment.stopRequest;
    }
    segment.stopRequest = undefined;
    segment.status = 'stopping';
    return;
  }
  const target = segment.stopTarget;
  if (target === undefined || segment.cut !== undefined) return;
  let beat: SegmentBeat | undefined;
  let kind: 'word' | 'sentence' = target === 'next-sentence' ? 'sentence' : 'word';
  if (typeof target === 'object') {
    beat = segment.beats.find((candidate) => candidate.index === target.beatIndex);
    if (beat === undefined) return;
    if (beat.offset < segment.position) {
      beat = undefined;
      kind = 'word';
    }
  }
  beat ??= segment.beats.find(
    (candidate) => candidate.kind === kind && candidate.offset >= segment.position + fadeLength,
  );
  if (beat === undefined) return;
  segment.stopTarget = undefined;
  segment.cut = beat.offset;
  segment.cutFadeLength = Math.min(fadeLength, beat.offset - segment.position);
  segment.cutReason = 'stop-at-beat';
  segment.status = 'stopping';
}

/**
 * How many samples of a segment the next frame carries after `pad` samples of silence: bounded by
 * the frame, a pause fade in progress, a cut, and the buffered audio; 0 once the pause fade is out.
 * @internal
 */
export function takeCount(
  segment: SegmentPlayback,
  frameLength: number,
  pad: number,
  silencedByPause: boolean,
): number {
  if (silencedByPause) return 0;
  let limit = frameLength - pad;
  if (segment.pauseFadeEnd !== undefined) limit = Math.min(limit, segment.pauseFadeEnd - segment.position);
  if (segment.cut !== undefined) limit = Math.min(limit, segment.cut - segment.position);
  return Math.max(0, Math.min(limit, segment.bufferedLength));
}

/**
 * How a drained segment leaves: cut at a stop point, or at the natural end of its audio (a
 * `stopAt` whose beat never came before the end is a natural end).
 * @internal
 */
export function outcomeOf(segment: SegmentPlayback): SegmentOutcome {
  const reason = segment.cutReason;
  if (reason === 'silent') return { type: 'silent' };
  if (segment.hasError) return { type: 'cancel', reason: 'error' };
  const naturalEnd = segment.sourceEnded && segment.bufferedLength === 0;
  if (reason === undefined || (reason === 'stop-at-beat' && naturalEnd)) return { type: 'end' };
  return { type: 'cancel', reason };
}

/**
 * The sample up to which a cancelled segment was heard: where its final fade began (a stop's or a
 * pause's), else its position. A `stop-at-beat` fade covers the gap before the beat, so the word
 * before it counts as heard up to the beat.
 * @internal
 */
export function heardLimit(segment: SegmentPlayback): number {
  if (!segment.started) return 0;
  if (segment.cut !== undefined && segment.cutReason !== 'stop-at-beat' && segment.position >= segment.cut) {
    return segment.cut - segment.cutFadeLength;
  }
  if (
    segment.pauseFadeEnd !== undefined &&
    segment.position >= segment.pauseFadeEnd - segment.pauseFadeLength
  ) {
    return Math.min(segment.position, segment.pauseFadeEnd - segment.pauseFadeLength);
  }
  return segment.position;
}
