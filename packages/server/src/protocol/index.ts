export {
  AGENT_AUDIO_FORMATS,
  type AgentAudioFormat,
  audioFormatSampleRate,
  decodeUserAudio,
  encodeAgentAudio,
  isAgentAudioFormat,
} from './audio-format';
export type {
  ClientMessage,
  ClientToolResultMessage,
  ConversationOverrides,
  FeedbackMessage,
  InitiationClientDataMessage,
  PongMessage,
  TextMessage,
  UserActivityMessage,
  UserAudioChunkMessage,
} from './client-messages';
export { type ParseLimits, type ParseResult, parseClientMessage } from './parse-client-message';
export { type ProtocolErrorType, ProtocolMessageError } from './protocol-message-error';
export {
  DROPPABLE_MESSAGE_TYPES,
  type ServerMessage,
  type ServerMessageType,
  type WireAlignment,
} from './server-messages';
