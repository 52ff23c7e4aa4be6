import type { Observable } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import type { CallOptions, ModelIdentity } from './specification';

/** Audio to transcribe: a finished clip (frames of one format) or a live stream of frames. */
export type SttInput = readonly AudioFrame[] | Observable<AudioFrame>;

/** What an STT model can do. */
export interface SttCapabilities {
  /** Transcribes a live stream of frames (rather than only finished clips). */
  readonly streaming: boolean;
  /** Emits partial (tentative) transcripts before the final one. */
  readonly partials: boolean;
}

/** One transcription request's settings. */
export interface SttRequest {
  /** The audio. */
  audio: SttInput;
  /** Expected language (BCP 47), when known. */
  language?: string;
  /** Text that biases recognition (names, jargon). */
  prompt?: string;
}

/** A tentative transcript that may still change. */
export interface SttPartialEvent {
  /** Discriminator. */
  type: 'transcript-partial';
  /** The transcript so far. */
  text: string;
  /** Arrival time, scheduler ms. */
  at: number;
}

/** The final transcript of an utterance. */
export interface SttFinalEvent {
  /** Discriminator. */
  type: 'transcript-final';
  /** The transcript. */
  text: string;
  /** Detected language, when reported. */
  language?: string;
  /** Confidence in 0..1, when reported. */
  confidence?: number;
  /** Arrival time, scheduler ms. */
  at: number;
}

/** The events of a transcription stream. */
export type SttEvent = SttPartialEvent | SttFinalEvent;

/**
 * A speech-to-text model. `transcribe()` is cold: each subscription transcribes once, emitting
 * partials (if supported) and at least one `transcript-final`, then completes; unsubscribing
 * aborts the work.
 *
 * @example
 * ```ts
 * stt.transcribe({ audio: clipFrames }).subscribe((e) => {
 *   if (e.type === 'transcript-final') console.log('user said', e.text);
 * });
 * ```
 */
export interface SttModel extends ModelIdentity {
  /** What the model can do. */
  readonly capabilities: SttCapabilities;
  /**
   * Transcribes audio.
   * @param request - audio and hints.
   * @param options - scheduler and headers.
   */
  transcribe(request: SttRequest, options?: CallOptions): Observable<SttEvent>;
}
