import type { Observable, SchedulerLike } from 'rxjs';
import type { TtsEvent } from '../provider/tts-model';
import type { EstimatedBeat } from './estimate-beats';

/**
 * Options shared by every {@link AudioControllerBase} subclass.
 *
 * @example
 * ```ts
 * const options: AudioControllerOptions = { sampleRate: 24000, channels: 1, duckPolicy: 'refuse' };
 * ```
 */
export interface AudioControllerOptions {
  /** The output sample rate; every segment's audio must have it. */
  sampleRate: number;
  /** The output channel count, 1 (default) or 2; mono audio is spread to stereo and vice versa. */
  channels?: number;
  /** The clock that paces the output; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
  /** The output frame duration, ms; defaults to 20. Must be a whole number of samples. */
  frameDurationMs?: number;
  /** What a `duck` does while another lease is active: `queue` (default) or `refuse`. */
  duckPolicy?: 'queue' | 'refuse';
  /** A beat whose `|driftMs|` exceeds this is reported `missed`, ms ≥ 0; defaults to 250. */
  beatToleranceMs?: number;
  /** The length of every fade and gain ramp (pause, resume, stop, duck), ms in (0, 10]; defaults to 10. */
  rampMs?: number;
  /**
   * How far behind its schedule the real-time output may fall (a stalled event loop) before it
   * re-anchors instead of rendering every missed frame at once, ms; defaults to 200.
   */
  maxCatchUpMs?: number;
}

/**
 * What an {@link AudioControllerBase} subclass turns a segment into: a TTS event stream, plus
 * estimated beats when the stream's marks are not to be used.
 *
 * @example
 * ```ts
 * const source: SegmentSource = { events: tts.synthesize({ text: 'Hi.' }) };
 * ```
 */
export interface SegmentSource {
  /** The audio (and marks) of the segment; subscribed once, unsubscribed when the segment ends. */
  events: Observable<TtsEvent>;
  /**
   * Beats to use instead of the stream's marks (reported `aligned: false`); they are rescaled to
   * the real duration when the stream's `end` arrives. Omit to use the stream's marks.
   */
  estimatedBeats?: readonly EstimatedBeat[];
  /** The duration the estimate assumed, ms (needed for the rescale). */
  estimatedDurationMs?: number;
  /**
   * With `estimatedBeats`: `ignore` (default) the stream's marks, or `prefer` them — the estimate
   * is a fallback, dropped (beats not yet played) as soon as the first mark arrives.
   */
  providerMarks?: 'ignore' | 'prefer';
}
