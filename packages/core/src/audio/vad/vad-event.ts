/**
 * Speech was confirmed: the score stayed above the stop threshold for `minSpeechMs` after first
 * reaching the start threshold.
 *
 * @example
 * ```ts
 * if (event.type === 'speech-start') {
 *   console.log(`speech from ${event.at} ms, known at ${event.confirmedAt} ms`);
 * }
 * ```
 */
export interface SpeechStartEvent {
  /** Discriminant. */
  type: 'speech-start';
  /** The true onset in audio time (ms, from frame timestamps): the start of the first frame that reached the start threshold. */
  at: number;
  /** When the onset was confirmed: the end of the frame that completed `minSpeechMs`. */
  confirmedAt: number;
  /** The score of that confirming frame, 0..1. */
  score: number;
}

/**
 * Speech ended: the score stayed below the start threshold for `minSilenceMs` after falling below
 * the stop threshold — or the stream ended mid-speech.
 *
 * @example
 * ```ts
 * if (event.type === 'speech-end') {
 *   console.log(`${event.speechDurationMs} ms of speech, silence since ${event.at} ms`);
 * }
 * ```
 */
export interface SpeechEndEvent {
  /** Discriminant. */
  type: 'speech-end';
  /**
   * Where the silence began in audio time (ms): the start of the first frame below the stop
   * threshold; for a stream that ended mid-speech, the end of its last frame.
   */
  at: number;
  /** When the end was confirmed: the end of the frame that completed `minSilenceMs` (or of the last frame). */
  confirmedAt: number;
  /** The `at` of the matching {@link SpeechStartEvent}. */
  startedAt: number;
  /** `at − startedAt`: how long the speech lasted, in ms. */
  speechDurationMs: number;
}

/**
 * What {@link detectSpeech} and {@link SpeechDetector} emit: a `speech-start` / `speech-end`
 * pair per segment of speech, always in that order.
 *
 * @example
 * ```ts
 * function describe(event: VadEvent): string {
 *   return event.type === 'speech-start' ? `start @${event.at}` : `end @${event.at} (${event.speechDurationMs} ms)`;
 * }
 * ```
 */
export type VadEvent = SpeechStartEvent | SpeechEndEvent;
