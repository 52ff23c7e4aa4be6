/**
 * An OpenAI speech model id. Known ids autocomplete; any other string is accepted.
 *
 * @example
 * ```ts
 * const id: OpenAITtsModelId = 'gpt-4o-mini-tts';
 * ```
 */
export type OpenAITtsModelId = 'gpt-4o-mini-tts' | 'tts-1' | 'tts-1-hd' | (string & {});

/**
 * A built-in OpenAI voice. Custom voice ids are accepted as plain strings.
 *
 * @example
 * ```ts
 * const voice: OpenAIVoice = 'coral';
 * ```
 */
export type OpenAIVoice =
  | 'alloy'
  | 'ash'
  | 'ballad'
  | 'coral'
  | 'echo'
  | 'fable'
  | 'nova'
  | 'onyx'
  | 'sage'
  | 'shimmer'
  | 'verse'
  | 'marin'
  | 'cedar'
  | (string & {});

/**
 * Model-level options of an {@link OpenAITtsModel}; a request's `voice` and `prosody.rate`
 * override them.
 *
 * @example
 * ```ts
 * const tts = createOpenAI().speech('gpt-4o-mini-tts', { voice: 'sage', speed: 1.1, instructions: 'Calm.' });
 * ```
 */
export interface OpenAITtsOptions {
  /** The default voice; default `alloy`. */
  voice?: OpenAIVoice;
  /** The default speaking rate, 0.25..4 (1 = normal). A request's `prosody.rate` overrides it. */
  speed?: number;
  /**
   * How to speak (tone, accent, emotion), for models that take instructions (`gpt-4o-mini-tts`;
   * not `tts-1`).
   */
  instructions?: string;
  /** Length of the emitted frames, in ms; default 20. */
  frameDurationMs?: number;
}
