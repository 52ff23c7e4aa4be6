/**
 * An OpenAI transcription model id. Known ids autocomplete; any other string is accepted.
 *
 * @example
 * ```ts
 * const id: OpenAISttModelId = 'gpt-4o-mini-transcribe';
 * ```
 */
export type OpenAISttModelId = 'gpt-4o-transcribe' | 'gpt-4o-mini-transcribe' | 'whisper-1' | (string & {});

/**
 * Model-level options of an {@link OpenAISttModel}.
 *
 * @example
 * ```ts
 * const stt = createOpenAI().transcription('whisper-1', { language: 'de', temperature: 0 });
 * ```
 */
export interface OpenAISttOptions {
  /**
   * Stream the transcript as it is produced (`stream: true`: `transcript-partial` events, then
   * the final one). Defaults to `true` for the `gpt-4o*-transcribe` models and `false` for
   * others (`whisper-1` does not stream).
   */
  stream?: boolean;
  /** The default language (ISO 639-1, e.g. `en`); a request's `language` overrides it. */
  language?: string;
  /** Sampling temperature, 0..1. */
  temperature?: number;
}
