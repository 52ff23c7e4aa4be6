import type { ClientMessage, ConversationOverrides } from './client-messages';
import { ProtocolMessageError } from './protocol-message-error';

/** Limits applied while parsing. */
export interface ParseLimits {
  /** Longest accepted text field (`user_message`, `contextual_update`, tool results), in characters. Default 16 384. */
  maxTextLength?: number;
  /** Longest accepted `user_audio_chunk` payload, in base64 characters. Default 262 144 (≈ 6 s of 16 kHz PCM). */
  maxAudioBase64Length?: number;
}

/**
 * The outcome of {@link parseClientMessage}: the message, or why it was refused.
 *
 * @example
 * ```ts
 * const result: ParseResult = parseClientMessage('{"type":"user_activity"}');
 * ```
 */
export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: ProtocolMessageError };

const DEFAULT_MAX_TEXT = 16_384;
const DEFAULT_MAX_AUDIO = 262_144;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first defined of the two spellings (snake_case first, camelCase accepted). */
function field(object: Json, snake: string, camel: string): unknown {
  const value = object[snake];
  return value === undefined ? object[camel] : value;
}

function fail(errorType: ProtocolMessageError['errorType'], message: string): never {
  throw new ProtocolMessageError(errorType, message);
}

function text(object: Json, snake: string, camel: string, type: string, maxLength: number): string {
  const value = field(object, snake, camel);
  if (typeof value !== 'string') fail('invalid_message', `${type} needs a string "${snake}".`);
  if (value.length > maxLength) {
    fail('message_too_large', `${type}.${snake} has ${value.length} characters; the limit is ${maxLength}.`);
  }
  return value;
}

function optionalString(object: Json, snake: string, camel: string, where: string, maxLength: number) {
  const value = field(object, snake, camel);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail('invalid_message', `${where}.${snake} must be a string.`);
  if (value.length > maxLength) {
    fail('message_too_large', `${where}.${snake} has ${value.length} characters; the limit is ${maxLength}.`);
  }
  return value;
}

function parseOverrides(value: unknown, maxLength: number): ConversationOverrides {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) fail('invalid_message', 'conversation_config_override must be an object.');
  const overrides: ConversationOverrides = {};
  const agent = value.agent;
  if (agent !== undefined && agent !== null) {
    if (!isObject(agent)) fail('invalid_message', 'conversation_config_override.agent must be an object.');
    const prompt = agent.prompt;
    if (isObject(prompt)) {
      const promptText = optionalString(prompt, 'prompt', 'prompt', 'agent.prompt', maxLength);
      if (promptText !== undefined) overrides.prompt = promptText;
    } else if (prompt !== undefined && prompt !== null) {
      fail('invalid_message', 'conversation_config_override.agent.prompt must be an object {"prompt": "…"}.');
    }
    const firstMessage = optionalString(agent, 'first_message', 'firstMessage', 'agent', maxLength);
    if (firstMessage !== undefined) overrides.firstMessage = firstMessage;
    const language = optionalString(agent, 'language', 'language', 'agent', 64);
    if (language !== undefined) overrides.language = language;
  }
  const tts = value.tts;
  if (tts !== undefined && tts !== null) {
    if (!isObject(tts)) fail('invalid_message', 'conversation_config_override.tts must be an object.');
    const voiceId = optionalString(tts, 'voice_id', 'voiceId', 'tts', 256);
    if (voiceId !== undefined) overrides.voiceId = voiceId;
    const speed = tts.speed;
    if (speed !== undefined && speed !== null) {
      if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
        fail('invalid_message', 'conversation_config_override.tts.speed must be a positive number.');
      }
      overrides.speed = speed;
    }
  }
  const conversation = value.conversation;
  if (isObject(conversation)) {
    const textOnly = field(conversation, 'text_only', 'textOnly');
    if (textOnly !== undefined && textOnly !== null) {
      if (typeof textOnly !== 'boolean') fail('invalid_message', 'conversation.text_only must be a boolean.');
      overrides.textOnly = textOnly;
    }
  }
  return overrides;
}

function parseDynamicVariables(value: unknown, maxLength: number): Record<string, string | number | boolean> {
  if (value === undefined || value === null) return {};
  if (!isObject(value))
    fail('invalid_message', 'dynamic_variables must be an object of strings, numbers or booleans.');
  const variables: Record<string, string | number | boolean> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry === 'string') {
      if (entry.length > maxLength)
        fail('message_too_large', `dynamic_variables.${name.slice(0, 40)} is too long.`);
      variables[name] = entry;
    } else if ((typeof entry === 'number' && Number.isFinite(entry)) || typeof entry === 'boolean') {
      variables[name] = entry;
    } else {
      fail('invalid_message', `dynamic_variables.${name.slice(0, 40)} must be a string, number or boolean.`);
    }
  }
  return variables;
}

function parseObject(object: Json, limits: Required<ParseLimits>): ClientMessage {
  const audio = field(object, 'user_audio_chunk', 'userAudioChunk');
  if (audio !== undefined) {
    if (typeof audio !== 'string') fail('invalid_message', 'user_audio_chunk must be a base64 string.');
    if (audio.length > limits.maxAudioBase64Length) {
      fail(
        'message_too_large',
        `user_audio_chunk has ${audio.length} base64 characters; send chunks of at most ${limits.maxAudioBase64Length}.`,
      );
    }
    return { type: 'user_audio_chunk', audioBase64: audio };
  }
  const type = object.type;
  if (typeof type !== 'string') {
    fail('invalid_message', 'A message needs a string "type" (or a "user_audio_chunk" field).');
  }
  switch (type) {
    case 'conversation_initiation_client_data': {
      const message: ClientMessage = {
        type,
        overrides: parseOverrides(
          field(object, 'conversation_config_override', 'conversationConfigOverride'),
          limits.maxTextLength,
        ),
        dynamicVariables: parseDynamicVariables(
          field(object, 'dynamic_variables', 'dynamicVariables'),
          limits.maxTextLength,
        ),
      };
      const extra = field(object, 'custom_llm_extra_body', 'customLlmExtraBody');
      if (extra !== undefined && extra !== null) {
        if (!isObject(extra)) fail('invalid_message', 'custom_llm_extra_body must be an object.');
        message.customLlmExtraBody = extra;
      }
      const userId = optionalString(object, 'user_id', 'userId', type, 256);
      if (userId !== undefined) message.userId = userId;
      return message;
    }
    case 'pong': {
      const eventId = field(object, 'event_id', 'eventId');
      if (typeof eventId !== 'number' || !Number.isSafeInteger(eventId)) {
        fail('invalid_message', 'pong needs the integer "event_id" of the ping it answers.');
      }
      return { type, eventId };
    }
    case 'user_message':
    case 'contextual_update':
      return { type, text: text(object, 'text', 'text', type, limits.maxTextLength) };
    case 'user_activity':
      return { type };
    case 'client_tool_result': {
      const toolCallId = text(object, 'tool_call_id', 'toolCallId', type, 256);
      const raw = object.result;
      const result =
        typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
      if (result.length > limits.maxTextLength) {
        fail(
          'message_too_large',
          `client_tool_result.result is longer than ${limits.maxTextLength} characters.`,
        );
      }
      const isError = field(object, 'is_error', 'isError');
      if (isError !== undefined && typeof isError !== 'boolean') {
        fail('invalid_message', 'client_tool_result.is_error must be a boolean.');
      }
      return { type, toolCallId, result, isError: isError === true };
    }
    case 'feedback': {
      const score = object.score;
      if (score !== 'like' && score !== 'dislike' && score !== null) {
        fail('invalid_message', 'feedback.score must be "like", "dislike" or null.');
      }
      const eventId = field(object, 'event_id', 'eventId');
      if (typeof eventId !== 'number' || !Number.isSafeInteger(eventId)) {
        fail('invalid_message', 'feedback needs the integer "event_id" of the response it rates.');
      }
      return { type, score, eventId };
    }
    default:
      return fail(
        'unknown_message_type',
        `Unknown message type "${type.slice(0, 64)}"; see the ElevenLabs Agents WebSocket protocol for the accepted types.`,
      );
  }
}

/**
 * Parses and validates one client → server text frame of the ElevenLabs Agents protocol. Accepts
 * both spellings of each field (`tool_call_id` and `toolCallId`, …). Never throws: a refused
 * message comes back as `{ ok: false, error }` with the wire `error_type` and a message saying what
 * to send instead.
 *
 * @param data - the frame's text (or bytes, decoded as UTF-8).
 * @param limits - size limits.
 * @returns the validated message or the reason it was refused.
 * @example
 * ```ts
 * const result = parseClientMessage('{"type":"user_message","text":"Hi"}');
 * if (result.ok && result.message.type === 'user_message') console.log(result.message.text); // 'Hi'
 * ```
 */
export function parseClientMessage(data: string | Uint8Array, limits: ParseLimits = {}): ParseResult {
  const resolved = {
    maxTextLength: limits.maxTextLength ?? DEFAULT_MAX_TEXT,
    maxAudioBase64Length: limits.maxAudioBase64Length ?? DEFAULT_MAX_AUDIO,
  };
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
  } catch {
    return {
      ok: false,
      error: new ProtocolMessageError(
        'invalid_json',
        'The message is not valid JSON; send one JSON object per frame.',
      ),
    };
  }
  if (!isObject(value)) {
    return {
      ok: false,
      error: new ProtocolMessageError(
        'invalid_json',
        'The message must be a JSON object, not an array or a scalar.',
      ),
    };
  }
  try {
    return { ok: true, message: parseObject(value, resolved) };
  } catch (error) {
    if (ProtocolMessageError.isInstance(error)) return { ok: false, error };
    throw error;
  }
}
