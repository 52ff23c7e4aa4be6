import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { assertNumber } from '../../internal/validate';
import type { VadModel } from '../../provider/vad-model';
import type { AudioFrame } from '../audio-frame';
import type { VadEvent } from './vad-event';

/** Options of {@link SpeechDetector} and {@link detectSpeech}. */
export interface SpeechDetectorOptions {
  /** Score at or above which speech may begin (and paused speech resumes); defaults to 0.5. */
  startThreshold?: number;
  /**
   * Score below which speech may end; must be below `startThreshold`. Defaults to
   * `startThreshold − 0.15` (0.35 with the default start), floored at 0.
   */
  stopThreshold?: number;
  /**
   * How long speech must last — from the first frame at the start threshold, staying at or above
   * the stop threshold — before `speech-start` is emitted, in ms; defaults to 50. Shorter blips
   * (a click, a cough) emit nothing.
   */
  minSpeechMs?: number;
  /**
   * How long the score must stay below the start threshold, after dropping below the stop
   * threshold, before `speech-end` is emitted, in ms; defaults to 300. Shorter pauses (between
   * words, between syllables) keep the segment open.
   */
  minSilenceMs?: number;
}

/** The validated options, defaults applied. @internal */
export interface ResolvedSpeechDetectorOptions {
  startThreshold: number;
  stopThreshold: number;
  minSpeechMs: number;
  minSilenceMs: number;
}

/**
 * Validates {@link SpeechDetectorOptions} and applies the defaults.
 * @internal
 */
export function resolveSpeechDetectorOptions(
  options: SpeechDetectorOptions = {},
): ResolvedSpeechDetectorOptions {
  const startThreshold = assertNumber('startThreshold', options.startThreshold ?? 0.5, { above: 0, max: 1 });
  const stopThreshold = assertNumber(
    'stopThreshold',
    options.stopThreshold ?? Math.max(0, startThreshold - 0.15),
    {
      min: 0,
      max: 1,
    },
  );
  if (stopThreshold >= startThreshold) {
    throw new InvalidArgumentError(
      'stopThreshold',
      `expected a value below startThreshold (${startThreshold}) so the two form a hysteresis band, got ${stopThreshold}.`,
    );
  }
  return {
    startThreshold,
    stopThreshold,
    minSpeechMs: assertNumber('minSpeechMs', options.minSpeechMs ?? 50, { min: 0 }),
    minSilenceMs: assertNumber('minSilenceMs', options.minSilenceMs ?? 300, { min: 0 }),
  };
}

type DetectorState = 'silence' | 'onset' | 'speech' | 'offset';

const NO_EVENTS: readonly VadEvent[] = Object.freeze([]);

/**
 * Turns per-frame voice-activity scores into `speech-start` / `speech-end` events, with
 * hysteresis and minimum durations. Synchronous and allocation-free on frames that change
 * nothing: the building block of {@link detectSpeech} and of the session machine.
 *
 * - Speech begins at the first frame scoring ≥ `startThreshold`; it is confirmed once the score
 *   has stayed ≥ `stopThreshold` for `minSpeechMs`. `speech-start` then carries `at` = that first
 *   frame's timestamp (the true onset) and `confirmedAt` = the end of the confirming frame.
 * - Speech pauses at the first frame scoring < `stopThreshold`; a frame ≥ `startThreshold`
 *   resumes it. After `minSilenceMs` without resuming, `speech-end` carries `at` = where the
 *   silence began.
 *
 * All times are audio time: frame timestamps plus frame durations, in ms.
 *
 * @example
 * ```ts
 * import { SpeechDetector, createEnergyVad } from '@argentum/core';
 *
 * const detector = new SpeechDetector(createEnergyVad(), { minSilenceMs: 400 });
 * for (const frame of frames) {
 *   for (const event of detector.process(frame)) console.log(event.type, event.at);
 * }
 * for (const event of detector.flush()) console.log(event.type, event.at); // closes an open segment
 * ```
 */
export class SpeechDetector {
  /** The model scoring each frame. */
  readonly model: VadModel;
  readonly #options: ResolvedSpeechDetectorOptions;
  #state: DetectorState = 'silence';
  #onsetAt = 0;
  #silenceAt = 0;
  /** End of the last scored frame; NaN before one (a number-only field keeps its double in place). */
  #lastEnd = Number.NaN;
  #lastScore = 0;

  /**
   * @param model - scores frames; it is used as is (not reset).
   * @param options - thresholds and minimum durations; see {@link SpeechDetectorOptions}.
   * @throws {@link InvalidArgumentError} for thresholds outside 0..1, a stop threshold not below
   * the start threshold, or negative durations.
   */
  constructor(model: VadModel, options: SpeechDetectorOptions = {}) {
    this.model = model;
    this.#options = resolveSpeechDetectorOptions(options);
  }

  /** Whether a confirmed segment of speech is open (including a pause not yet long enough to end it). */
  get speaking(): boolean {
    return this.#state === 'speech' || this.#state === 'offset';
  }

  /** The score of the last processed frame, 0..1 (0 before the first). */
  get lastScore(): number {
    return this.#lastScore;
  }

  /**
   * Scores a frame and advances the detector.
   *
   * @param frame - the next frame of the stream, in time order.
   * @returns the events this frame caused, usually none (a shared, frozen empty array).
   * @example
   * ```ts
   * const [event] = detector.process(frame);
   * if (event?.type === 'speech-start') session.userStartedSpeaking(event.at);
   * ```
   */
  process(frame: AudioFrame): readonly VadEvent[] {
    const score = this.model.score(frame);
    const start = frame.timestamp;
    const end = start + (frame.samples.length * 1000) / (frame.channels * frame.sampleRate);
    const options = this.#options;
    this.#lastScore = score;
    this.#lastEnd = end;
    switch (this.#state) {
      case 'silence':
        if (score < options.startThreshold) return NO_EVENTS;
        this.#onsetAt = start;
        this.#state = 'onset';
        return this.#confirmOnset(end, score);
      case 'onset':
        if (score < options.stopThreshold) {
          this.#state = 'silence';
          return NO_EVENTS;
        }
        return this.#confirmOnset(end, score);
      case 'speech':
        if (score >= options.stopThreshold) return NO_EVENTS;
        this.#silenceAt = start;
        this.#state = 'offset';
        return this.#confirmSilence(end);
      case 'offset':
        if (score >= options.startThreshold) {
          this.#state = 'speech';
          return NO_EVENTS;
        }
        return this.#confirmSilence(end);
    }
  }

  /**
   * Ends the stream: closes an open segment with a `speech-end` (at the pending silence's start,
   * or at the end of the last frame), drops an unconfirmed onset, and returns to silence. The
   * model keeps its state.
   *
   * @returns a `speech-end` event, or nothing.
   * @example
   * ```ts
   * microphone.on('close', () => detector.flush().forEach(handle));
   * ```
   */
  flush(): readonly VadEvent[] {
    const state = this.#state;
    this.#state = 'silence';
    if ((state !== 'speech' && state !== 'offset') || Number.isNaN(this.#lastEnd)) return NO_EVENTS;
    const at = state === 'offset' ? this.#silenceAt : this.#lastEnd;
    return [
      {
        type: 'speech-end',
        at,
        confirmedAt: this.#lastEnd,
        startedAt: this.#onsetAt,
        speechDurationMs: at - this.#onsetAt,
      },
    ];
  }

  /**
   * Forgets everything — segment state and the model's state — as for a new stream.
   * @example
   * ```ts
   * detector.reset(); // a new call starts on this line
   * ```
   */
  reset(): void {
    this.#state = 'silence';
    this.#lastEnd = Number.NaN;
    this.#lastScore = 0;
    this.model.reset();
  }

  #confirmOnset(end: number, score: number): readonly VadEvent[] {
    if (end - this.#onsetAt < this.#options.minSpeechMs) return NO_EVENTS;
    this.#state = 'speech';
    return [{ type: 'speech-start', at: this.#onsetAt, confirmedAt: end, score }];
  }

  #confirmSilence(end: number): readonly VadEvent[] {
    if (end - this.#silenceAt < this.#options.minSilenceMs) return NO_EVENTS;
    this.#state = 'silence';
    const at = this.#silenceAt;
    return [
      {
        type: 'speech-end',
        at,
        confirmedAt: end,
        startedAt: this.#onsetAt,
        speechDurationMs: at - this.#onsetAt,
      },
    ];
  }
}
