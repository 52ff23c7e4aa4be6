import { Observable, type OperatorFunction } from 'rxjs';
import type { VadModel } from '../../provider/vad-model';
import type { AudioFrame } from '../audio-frame';
import { resolveSpeechDetectorOptions, SpeechDetector, type SpeechDetectorOptions } from './speech-detector';
import type { VadEvent } from './vad-event';

/**
 * Operator: audio frames in, `speech-start` / `speech-end` events out, decided by a
 * {@link SpeechDetector} (hysteresis between two score thresholds, minimum speech and silence
 * durations) over the scores of `model`. Event times (`at`, `confirmedAt`) are audio time, from
 * the frames' timestamps.
 *
 * Cold: each subscription resets `model` and runs its own detector, so one model must not serve
 * two subscriptions at once. When the source completes, an open segment is closed with a
 * `speech-end`, then the output completes; errors pass through. Unsubscribing unsubscribes from
 * the source.
 *
 * @param model - scores frames, e.g. {@link createEnergyVad}; frames must be at a rate it accepts.
 * @param options - thresholds and minimum durations; see {@link SpeechDetectorOptions}.
 * @returns an operator from frames to {@link VadEvent}s.
 * @throws {@link InvalidArgumentError} at call time for invalid options.
 * @example
 * ```ts
 * import { createEnergyVad, detectSpeech, frameAudio } from '@argentum/core';
 *
 * microphoneBytes$
 *   .pipe(frameAudio({ sampleRate: 16000 }), detectSpeech(createEnergyVad(), { minSilenceMs: 400 }))
 *   .subscribe((event) => console.log(event.type, event.at)); // speech-start 1240, speech-end 2980, …
 * ```
 */
export function detectSpeech(
  model: VadModel,
  options: SpeechDetectorOptions = {},
): OperatorFunction<AudioFrame, VadEvent> {
  resolveSpeechDetectorOptions(options); // validate at call time, not at subscription
  return (source) =>
    new Observable<VadEvent>((subscriber) => {
      const detector = new SpeechDetector(model, options);
      detector.reset();
      return source.subscribe({
        next: (frame) => {
          let events: readonly VadEvent[];
          try {
            events = detector.process(frame);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const event of events) subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          for (const event of detector.flush()) subscriber.next(event);
          subscriber.complete();
        },
      });
    });
}
