import { Observable, type OperatorFunction } from 'rxjs';
import { type AudioFrame, assertSampleRate, type SampleRate } from './audio-frame';
import { assertResampleQuality, type ResampleQuality, StreamingResampler } from './resampler';

/**
 * Options of {@link resample}.
 *
 * @example
 * ```ts
 * const toRecognizer: ResampleOptions = { to: 16000 };
 * const toSpeaker: ResampleOptions = { to: 48000, quality: 'high' };
 * microphoneFrames.pipe(resample(toRecognizer)).subscribe(sendToRecognizer);
 * ```
 */
export interface ResampleOptions {
  /** The sample rate of every emitted frame, in Hz: one of {@link SUPPORTED_SAMPLE_RATES}. */
  to: SampleRate;
  /** Filter quality, `'fast'` (the default) or `'high'`; see {@link StreamingResampler}. */
  quality?: ResampleQuality;
}

/** The resampler of the current run of frames with one format, and where that run stands. */
interface Segment {
  readonly resampler: StreamingResampler;
  readonly inputRate: SampleRate;
  readonly channels: 1 | 2;
  /** Input samples per channel before the latest input frame of the run. */
  inputBefore: number;
  /** Input samples per channel in the latest input frame. */
  latestLength: number;
  /** Timestamp of the latest input frame, in ms. */
  latestTimestamp: number;
  /** Output samples per channel emitted so far in the run. */
  outputEmitted: number;
}

/**
 * Operator: {@link AudioFrame}s of any supported rate in, frames at `to` Hz out, with the same
 * channel count — a {@link StreamingResampler} applied to the stream, its state carried from frame
 * to frame so frame boundaries never click.
 *
 * - **Pass-through.** A frame already at `to` Hz is emitted as is (the same object, not copied).
 * - **Sizes.** An output frame holds the samples its input frame completes; because the filter
 *   looks a fraction of a millisecond ahead (see {@link StreamingResampler.latencyMs}) the first
 *   frame of a run is slightly short, and on completion the held-back tail is emitted as one last
 *   short frame, so no audio is lost: `n` input samples give `⌈n · to / rate⌉` output samples.
 *   A frame whose output would be empty (a few input samples) emits nothing.
 * - **Timestamps.** Each output frame carries its input frame's timestamp, corrected by the exact
 *   offset of its first sample from the input frame's first sample (a fraction of a millisecond
 *   early, 0 for the first frame of a run). Gaps in the input timestamps carry through.
 * - **Format changes.** When a frame's rate or channel count differs from the previous frame's,
 *   the tail of the old run is flushed as a frame first and a new resampler starts (there is no
 *   filtering across the change, which is a discontinuity anyway).
 *
 * Cold: each subscription has its own resampler. Unsubscribing unsubscribes from the source. A
 * source error is passed on without flushing; a malformed frame (a sample count that is not a
 * multiple of its channel count, an unsupported rate or channel count) errors the output with an
 * {@link AudioFormatError} or {@link UnsupportedSampleRateError}.
 *
 * @param options - the output rate and the filter quality.
 * @returns an operator from frames at any rate to frames at `to` Hz.
 * @throws {@link UnsupportedSampleRateError} at call time when `to` is not a supported rate;
 * {@link InvalidArgumentError} for an unknown quality.
 * @example
 * ```ts
 * import { from, toArray } from 'rxjs';
 * import { resample, silentFrame } from '@argentum/core';
 *
 * const frames = [0, 20, 40].map((timestamp) => silentFrame({ sampleRate: 48000, timestamp }));
 * from(frames)
 *   .pipe(resample({ to: 16000 }))
 *   .subscribe((frame) => console.log(frame.timestamp, frame.samples.length));
 * // 0 314, 19.625 320, 39.625 320, then the flushed tail: 59.625 6
 * ```
 */
export function resample(options: ResampleOptions): OperatorFunction<AudioFrame, AudioFrame> {
  const to = assertSampleRate(options.to);
  const quality = assertResampleQuality(options.quality ?? 'fast');
  return (source) =>
    new Observable<AudioFrame>((subscriber) => {
      let segment: Segment | undefined;

      const emit = (current: Segment, samples: Int16Array): void => {
        const frames = samples.length / current.channels;
        if (frames === 0) return;
        // Offset of the first output sample from the latest input frame's first sample, in ms:
        // (k / to − n / rate) · 1000, computed on integers so steady streams get exact stamps.
        const offsetMs =
          ((current.outputEmitted * current.inputRate - current.inputBefore * to) * 1000) /
          (current.inputRate * to);
        current.outputEmitted += frames;
        subscriber.next({
          samples,
          sampleRate: to,
          channels: current.channels,
          timestamp: current.latestTimestamp + offsetMs,
        });
      };

      const endSegment = (): void => {
        if (segment === undefined) return;
        const ended = segment;
        segment = undefined;
        emit(ended, ended.resampler.flush());
      };

      return source.subscribe({
        next: (frame) => {
          if (
            segment !== undefined &&
            (segment.inputRate !== frame.sampleRate || segment.channels !== frame.channels)
          ) {
            endSegment();
          }
          if (frame.sampleRate === to) {
            subscriber.next(frame);
            return;
          }
          let output: Int16Array;
          try {
            if (segment === undefined) {
              const resampler = new StreamingResampler({
                inputRate: frame.sampleRate,
                outputRate: to,
                channels: frame.channels,
                quality,
              });
              segment = {
                resampler,
                inputRate: resampler.inputRate,
                channels: resampler.channels,
                inputBefore: 0,
                latestLength: 0,
                latestTimestamp: frame.timestamp,
                outputEmitted: 0,
              };
            }
            output = segment.resampler.process(frame.samples);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          segment.inputBefore += segment.latestLength;
          segment.latestLength = frame.samples.length / segment.channels;
          segment.latestTimestamp = frame.timestamp;
          emit(segment, output);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          endSegment();
          subscriber.complete();
        },
      });
    });
}
