export type {
  LlmCapabilities,
  LlmEndEvent,
  LlmEvent,
  LlmFinishReason,
  LlmMessage,
  LlmModel,
  LlmRequest,
  LlmTextDeltaEvent,
  LlmToolCall,
  LlmToolCallEvent,
  LlmToolDefinition,
  LlmUsage,
} from './llm-model';
export {
  AuthenticationError,
  BadRequestError,
  NetworkError,
  ProtocolError,
  ProviderError,
  type ProviderErrorInit,
  RateLimitError,
  type RateLimitErrorInit,
  ServerError,
  TimeoutError,
} from './provider-errors';
export {
  type CallOptions,
  type ModelIdentity,
  SPECIFICATION_VERSION,
  type SpecificationVersion,
} from './specification';
export type {
  SttCapabilities,
  SttEvent,
  SttFinalEvent,
  SttInput,
  SttModel,
  SttPartialEvent,
  SttRequest,
} from './stt-model';
export type {
  ProsodyHints,
  TextInput,
  TtsAudioEvent,
  TtsCapabilities,
  TtsEndEvent,
  TtsEvent,
  TtsMarkEvent,
  TtsModel,
  TtsRequest,
} from './tts-model';
export type { VadModel } from './vad-model';
