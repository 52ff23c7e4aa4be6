/**
 * Overrides a client may send in `conversation_initiation_client_data` (each one honoured only when
 * the server allows it).
 *
 * @example
 * ```ts
 * const overrides: ConversationOverrides = { prompt: 'You are terse.', firstMessage: 'Hi!', language: 'en', voiceId: 'ada' };
 * ```
 */
export interface ConversationOverrides {
  /** `agent.prompt.prompt`: the system prompt. */
  prompt?: string;
  /** `agent.first_message`: what the agent says first. */
  firstMessage?: string;
  /** `agent.language`: a BCP 47 language code. */
  language?: string;
  /** `tts.voice_id`: the voice. */
  voiceId?: string;
  /** `tts.speed`: a speaking-rate factor. */
  speed?: number;
  /** `conversation.text_only`: the client wants text only, no audio. */
  textOnly?: boolean;
}

/**
 * `conversation_initiation_client_data`: the client's first message.
 *
 * @example
 * ```ts
 * const message: InitiationClientDataMessage = { type: 'conversation_initiation_client_data', overrides: {}, dynamicVariables: {} };
 * ```
 */
export interface InitiationClientDataMessage {
  /** Discriminator (the wire type). */
  type: 'conversation_initiation_client_data';
  /** The requested overrides. */
  overrides: ConversationOverrides;
  /** `dynamic_variables`: values the prompt may refer to. */
  dynamicVariables: Record<string, string | number | boolean>;
  /** `custom_llm_extra_body`, passed through untouched. */
  customLlmExtraBody?: Record<string, unknown>;
  /** `user_id`, when the client sets one. */
  userId?: string;
}

/**
 * `user_audio_chunk`: a chunk of the user's microphone, decoded later with the conversation's input format.
 *
 * @example
 * ```ts
 * const message: UserAudioChunkMessage = { type: 'user_audio_chunk', audioBase64: 'AAA=' };
 * ```
 */
export interface UserAudioChunkMessage {
  /** Discriminator (the wire message has no `type`; this one is ours). */
  type: 'user_audio_chunk';
  /** The base64 payload. */
  audioBase64: string;
}

/**
 * `pong`: the answer to a `ping`.
 *
 * @example
 * ```ts
 * const message: PongMessage = { type: 'pong', eventId: 3 };
 * ```
 */
export interface PongMessage {
  /** Discriminator. */
  type: 'pong';
  /** The `event_id` of the ping it answers. */
  eventId: number;
}

/**
 * A text message: `user_message` (the user typed), or `contextual_update` (background information
 * that must not trigger an answer).
 *
 * @example
 * ```ts
 * const message: TextMessage = { type: 'user_message', text: 'Hi' };
 * ```
 */
export interface TextMessage {
  /** Discriminator. */
  type: 'user_message' | 'contextual_update';
  /** The text. */
  text: string;
}

/**
 * `user_activity`: the user is active (typing, clicking); the agent should hold back.
 *
 * @example
 * ```ts
 * const message: UserActivityMessage = { type: 'user_activity' };
 * ```
 */
export interface UserActivityMessage {
  /** Discriminator. */
  type: 'user_activity';
}

/**
 * `client_tool_result`: the result of a `client_tool_call` the client ran.
 *
 * @example
 * ```ts
 * const message: ClientToolResultMessage = { type: 'client_tool_result', toolCallId: 'tc_1', result: '42', isError: false };
 * ```
 */
export interface ClientToolResultMessage {
  /** Discriminator. */
  type: 'client_tool_result';
  /** The `tool_call_id` of the call. */
  toolCallId: string;
  /** The result as a string (JSON results are stringified by the client). */
  result: string;
  /** Whether the tool failed. */
  isError: boolean;
}

/**
 * `feedback`: a like/dislike for an agent response. Accepted and reported, not acted on.
 *
 * @example
 * ```ts
 * const message: FeedbackMessage = { type: 'feedback', score: 'like', eventId: 4 };
 * ```
 */
export interface FeedbackMessage {
  /** Discriminator. */
  type: 'feedback';
  /** `like`, `dislike`, or `null` to clear. */
  score: 'like' | 'dislike' | null;
  /** The agent response it rates. */
  eventId: number;
}

/**
 * A validated client → server message of the ElevenLabs Agents protocol, with camelCase fields.
 *
 * @example
 * ```ts
 * function handle(message: ClientMessage) {
 *   if (message.type === 'user_message') console.log(message.text);
 * }
 * ```
 */
export type ClientMessage =
  | InitiationClientDataMessage
  | UserAudioChunkMessage
  | PongMessage
  | TextMessage
  | UserActivityMessage
  | ClientToolResultMessage
  | FeedbackMessage;
