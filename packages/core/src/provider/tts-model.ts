import type { Observable } from 'rxjs';
import type { AudioFrame, SampleRate } from '../audio/audio-frame';
import type { CallOptions, ModelIdentity } from './specification';

/** Text for a TTS model: a whole string, or a stream of pieces (e.g. LLM text deltas). */
export type TextInput = string | Iterable<string> | AsyncIterable<string> | Observable<string>;

/** What a TTS model can do; core adapts its behaviour to these flags. */
export interface TtsCapabilities {
  /** Accepts text incrementally (a stream of deltas) rather than only whole strings. */
  readonly streamingInput: boolean;
  /** Emits audio as it is generated rather than all at the end. */
  readonly streamingOutput: boolean;
  /** Emits `mark` events aligned to the generated audio (vendor timestamps), not estimates. */
  readonly alignedMarks: boolean;
  /** Can cancel one utterance while keeping its connection for the next (multi-context). */
  readonly multiContextCancel: boolean;
}

/** Prosody hints a TTS model maps onto its own settings where it can. */
export interface ProsodyHints {
  /** Speaking-rate multiplier, 1 = normal. */
  rate?: number;
  /** Voice stability in 0..1 (lower = more expressive). */
  stability?: number;
  /** Pitch shift in semitones. */
  pitchSemitones?: number;
}

/** One synthesis request. */
export interface TtsRequest {
  /** The text to speak, whole or streamed. */
  text: TextInput;
  /** The voice id or name; each model documents its voices. Defaults to the model's default voice. */
  voice?: string;
  /** Output rate wanted; the model resamples when its native rate differs. */
  sampleRate?: SampleRate;
  /** Prosody hints. */
  prosody?: ProsodyHints;
  /** Language code (BCP 47), when the model needs one. */
  language?: string;
}

/** A chunk of synthesized audio. */
export interface TtsAudioEvent {
  /** Discriminator. */
  type: 'audio';
  /** The audio; `frame.timestamp` is its offset from the start of the utterance, in ms. */
  frame: AudioFrame;
  /** When the chunk arrived, in scheduler ms. */
  at: number;
}

/** A word or sentence boundary in the synthesized audio. */
export interface TtsMarkEvent {
  /** Discriminator. */
  type: 'mark';
  /** Boundary kind. */
  kind: 'word' | 'sentence';
  /** The word or sentence text. */
  text: string;
  /** Start of the word/sentence in the utterance's audio, in ms from its first sample. */
  offsetMs: number;
  /** Its length in ms (0 when unknown). */
  durationMs: number;
  /** Whether the time is vendor-aligned (`true`) or estimated from text and duration (`false`). */
  aligned: boolean;
  /** When the mark arrived, in scheduler ms. */
  at: number;
}

/** The utterance is complete: every chunk and mark has been emitted. */
export interface TtsEndEvent {
  /** Discriminator. */
  type: 'end';
  /** Total duration of the synthesized audio in ms. */
  durationMs: number;
  /** When synthesis finished, in scheduler ms. */
  at: number;
}

/** The events of a synthesis stream. */
export type TtsEvent = TtsAudioEvent | TtsMarkEvent | TtsEndEvent;

/**
 * A text-to-speech model. Implemented by provider packages; core decides when to call it and what
 * to do with its events.
 *
 * `synthesize()` returns a cold Observable: each subscription starts one synthesis; it emits
 * `audio` and `mark` events in playback order and one `end`, then completes; it errors with a
 * typed {@link ProviderError}. Unsubscribing cancels the synthesis underneath (aborts the request,
 * closes the WebSocket context) and leaves no timers or sockets behind.
 *
 * @example
 * ```ts
 * const model: TtsModel = createSimulatedTts();
 * model.synthesize({ text: 'Hello there.' }).subscribe((event) => {
 *   if (event.type === 'audio') speaker.write(event.frame);
 * });
 * ```
 */
export interface TtsModel extends ModelIdentity {
  /** What the model can do. */
  readonly capabilities: TtsCapabilities;
  /** The rate of the audio it emits unless a request asks for another. */
  readonly sampleRate: SampleRate;
  /**
   * Synthesizes speech.
   * @param request - text, voice and format.
   * @param options - scheduler and headers.
   */
  synthesize(request: TtsRequest, options?: CallOptions): Observable<TtsEvent>;
}
