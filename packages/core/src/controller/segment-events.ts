import { monoToStereo, stereoToMono } from '../audio/pcm16';
import { AudioFormatError } from '../errors/audio-errors';
import type { TtsEvent } from '../provider/tts-model';
import type { PlaybackCancelEvent, PlaybackEndEvent } from './audio-controller';
import { dropUnplayedEstimate, insertBeat, rescaleEstimatedBeats } from './segment-beats';
import { heardLimit } from './segment-cuts';
import type { SegmentOutcome, SegmentPlayback } from './segment-playback';

/**
 * How a segment treats its stream's marks: `use` them, `ignore` them (estimated beats rule), or
 * `prefer` them over an estimate that is dropped at the first mark.
 * @internal
 */
export type MarkPolicy = 'use' | 'ignore' | 'prefer';

/** What {@link receiveSourceEvent} needs to know about the controller. @internal */
export interface SourceEventContext {
  /** The controller's sample rate. */
  sampleRate: number;
  /** The controller's channel count. */
  channels: number;
  /** What to do with marks. */
  marks: MarkPolicy;
  /** The scheduler time the event arrived. */
  now: number;
}

/**
 * What a source event did besides updating the segment: nothing, a first audio chunk (with the
 * time since the stream was subscribed), or audio the controller cannot play.
 * @internal
 */
export type SourceEventEffect =
  | { type: 'none' }
  | { type: 'first-audio'; latencyMs: number }
  | { type: 'error'; error: AudioFormatError };

/**
 * Applies one event of a segment's TTS stream: audio is queued (mono/stereo adapted to the
 * controller), marks become beats (per the mark policy), `end` marks the stream ended and
 * rescales estimated beats to the real duration.
 * @internal
 */
export function receiveSourceEvent(
  segment: SegmentPlayback,
  event: TtsEvent,
  context: SourceEventContext,
): SourceEventEffect {
  const rate = context.sampleRate;
  if (event.type === 'audio') {
    let frame = event.frame;
    if (frame.sampleRate !== rate) {
      return {
        type: 'error',
        error: new AudioFormatError(
          `Segment '${segment.id}' sent ${frame.sampleRate} Hz audio, but the controller plays ${rate} Hz: request the TTS at ${rate} Hz (TtsRequest.sampleRate) or resample first.`,
        ),
      };
    }
    if (frame.channels !== context.channels) {
      frame = frame.channels === 1 ? monoToStereo(frame) : stereoToMono(frame);
    }
    segment.append(frame.samples);
    if (segment.firstAudioAt !== undefined) return { type: 'none' };
    segment.firstAudioAt = context.now;
    return { type: 'first-audio', latencyMs: context.now - segment.subscribedAt };
  }
  if (event.type === 'mark') {
    if (context.marks === 'ignore') return { type: 'none' };
    if (context.marks === 'prefer' && !segment.marksSeen) dropUnplayedEstimate(segment);
    segment.marksSeen = true;
    insertBeat(segment, {
      index: segment.beats.length,
      kind: event.kind,
      text: event.text,
      offset: Math.round((event.offsetMs * rate) / 1000),
      length: Math.round((event.durationMs * rate) / 1000),
      aligned: event.aligned,
      emitted: false,
    });
    return { type: 'none' };
  }
  segment.sourceEnded = true;
  rescaleEstimatedBeats(segment);
  return { type: 'none' };
}

/**
 * The final event of a segment leaving with `outcome` (none when its subscriber left): `end` with
 * the whole text heard, or `cancel` with the text heard before its final fade.
 * @internal
 */
export function terminalEvent(
  segment: SegmentPlayback,
  outcome: SegmentOutcome,
  now: number,
  sampleRate: number,
): PlaybackEndEvent | PlaybackCancelEvent | undefined {
  if (outcome.type === 'silent') return undefined;
  const base = {
    segmentId: segment.id,
    speaker: segment.speaker,
    at: now,
    playedMs: (segment.position * 1000) / sampleRate,
  };
  if (outcome.type === 'end') {
    return { type: 'end', ...base, heardText: segment.heardText(segment.position, segment.position) };
  }
  const audioEnd = segment.sourceEnded ? segment.receivedLength : Number.POSITIVE_INFINITY;
  return {
    type: 'cancel',
    ...base,
    reason: outcome.reason ?? 'stop',
    heardText: segment.heardText(heardLimit(segment), audioEnd),
  };
}
