import { Observable, type OperatorFunction } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import { createEnergyVad } from '../audio/vad/energy-vad';
import {
  resolveSpeechDetectorOptions,
  SpeechDetector,
  type SpeechDetectorOptions,
} from '../audio/vad/speech-detector';
import type { VadModel } from '../provider/vad-model';
import type {
  UserSpeechEndEvent,
  UserSpeechPauseEvent,
  UserSpeechResumeEvent,
  UserSpeechStartEvent,
} from './session-event';

/**
 * The user-speech events a voice session takes from its VAD: a segment's start (with its true
 * onset), the gaps and returns of the voice inside it, and its end.
 *
 * @example
 * ```ts
 * const event: UserSpeechActivityEvent = { type: 'user-speech-start', at: 1020, onsetAt: 1000 };
 * ```
 */
export type UserSpeechActivityEvent =
  | UserSpeechStartEvent
  | UserSpeechPauseEvent
  | UserSpeechResumeEvent
  | UserSpeechEndEvent;

/**
 * The speech-detector settings a voice session uses by default: speech is taken as started on
 * the first frame (of 10 ms or more) that reaches the start threshold (`minSpeechMs: 10`), so that
 * barge-in pauses the agent within one frame; a segment ends after 300 ms below the thresholds.
 * Short blips are then sorted out by the barge-in rules (minimum speech, false-interruption
 * resume), not by the VAD. Smaller capture frames (10 ms rather than 20 ms) shorten the pause
 * latency by the difference.
 *
 * @example
 * ```ts
 * import { USER_SPEECH_DETECTOR_DEFAULTS, detectUserSpeech, createEnergyVad } from '@argentum/core';
 *
 * frames$.pipe(detectUserSpeech(createEnergyVad(), { ...USER_SPEECH_DETECTOR_DEFAULTS, minSilenceMs: 500 }));
 * ```
 */
export const USER_SPEECH_DETECTOR_DEFAULTS: Readonly<SpeechDetectorOptions> = Object.freeze({
  minSpeechMs: 10,
  minSilenceMs: 300,
});

/**
 * Operator: the user's microphone frames in, {@link UserSpeechActivityEvent}s out — a
 * {@link SpeechDetector} (hysteresis, minimum durations) whose open segments are also split into
 * voiced stretches: `user-speech-pause` when the score falls below the stop threshold (a gap
 * between words), `user-speech-resume` when it reaches the start threshold again. Only voiced
 * time counts toward the barge-in minimum duration.
 *
 * Times are audio time from the frames' timestamps: `user-speech-start` has `onsetAt` = the first
 * frame at the start threshold and `at` = the end of the frame that confirmed it; pause and resume
 * are at the start of their frame; `user-speech-end` is at the end of the frame that confirmed it.
 * Stamp microphone frames on the session's scheduler clock so the two agree.
 *
 * Cold: each subscription runs its own detector on a model that is reset first (one model must not
 * serve two subscriptions at once; without `model` each subscription creates an energy VAD). An
 * open segment is closed when the source completes; errors pass through.
 *
 * @param model - the VAD model; defaults to a fresh {@link createEnergyVad} per subscription.
 * @param options - detector settings; defaults to {@link USER_SPEECH_DETECTOR_DEFAULTS}.
 * @returns the operator.
 * @throws {@link InvalidArgumentError} at call time for invalid detector options.
 * @example
 * ```ts
 * import { detectUserSpeech } from '@argentum/core';
 *
 * microphoneFrames$.pipe(detectUserSpeech()).subscribe((event) => console.log(event.type, event.at));
 * // user-speech-start 1020, user-speech-pause 1340, user-speech-resume 1420, user-speech-end 2160
 * ```
 */
export function detectUserSpeech(
  model?: VadModel,
  options: SpeechDetectorOptions = USER_SPEECH_DETECTOR_DEFAULTS,
): OperatorFunction<AudioFrame, UserSpeechActivityEvent> {
  const resolved = resolveSpeechDetectorOptions(options);
  return (source) =>
    new Observable<UserSpeechActivityEvent>((subscriber) => {
      const vad = model ?? createEnergyVad();
      vad.reset();
      const detector = new SpeechDetector(vad, resolved);
      let voiced = false;
      return source.subscribe({
        next: (frame) => {
          let events: ReturnType<SpeechDetector['process']>;
          try {
            events = detector.process(frame);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const event of events) {
            if (event.type === 'speech-start') {
              voiced = true;
              subscriber.next({ type: 'user-speech-start', at: event.confirmedAt, onsetAt: event.at });
            } else {
              if (voiced) subscriber.next({ type: 'user-speech-pause', at: event.at });
              voiced = false;
              subscriber.next({ type: 'user-speech-end', at: event.confirmedAt });
            }
          }
          if (events.length > 0 || !detector.speaking) return;
          const score = detector.lastScore;
          if (voiced && score < resolved.stopThreshold) {
            voiced = false;
            subscriber.next({ type: 'user-speech-pause', at: frame.timestamp });
          } else if (!voiced && score >= resolved.startThreshold) {
            voiced = true;
            subscriber.next({ type: 'user-speech-resume', at: frame.timestamp });
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          for (const event of detector.flush()) {
            if (event.type !== 'speech-end') continue;
            if (voiced) subscriber.next({ type: 'user-speech-pause', at: event.at });
            voiced = false;
            subscriber.next({ type: 'user-speech-end', at: event.confirmedAt });
          }
          subscriber.complete();
        },
      });
    });
}
