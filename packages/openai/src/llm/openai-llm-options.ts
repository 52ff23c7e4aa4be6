/**
 * An OpenAI chat model id. Known ids autocomplete; any other string is accepted (new or
 * fine-tuned models).
 *
 * @example
 * ```ts
 * const id: OpenAILlmModelId = 'gpt-4o-mini';
 * const tuned: OpenAILlmModelId = 'ft:gpt-4o-mini:acme::abc123';
 * ```
 */
export type OpenAILlmModelId =
  | 'gpt-4o'
  | 'gpt-4o-mini'
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'gpt-4.1-nano'
  | 'gpt-5'
  | 'gpt-5-mini'
  | 'gpt-5-nano'
  | 'o4-mini'
  | (string & {});

/**
 * Model-level options of an {@link OpenAILlmModel}, sent with every request it makes.
 *
 * @example
 * ```ts
 * const llm = createOpenAI().languageModel('o4-mini', { reasoningEffort: 'low', topP: 0.9 });
 * ```
 */
export interface OpenAILlmOptions {
  /** Nucleus sampling probability mass, 0..1. */
  topP?: number;
  /** Penalty for tokens already used, -2..2. */
  frequencyPenalty?: number;
  /** Penalty for tokens already present at all, -2..2. */
  presencePenalty?: number;
  /** Reasoning effort for reasoning models (`o*`, `gpt-5*`). */
  reasoningEffort?: 'none' | 'minimal' | 'low' | 'medium' | 'high';
  /** Whether the model may call several tools in one turn (when tools are given). */
  parallelToolCalls?: boolean;
  /** A stable, hashed id of the end user, for abuse monitoring (`safety_identifier`). */
  safetyIdentifier?: string;
}
