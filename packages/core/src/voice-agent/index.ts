export type { AppendTurnOptions, ContextStore } from './context-store';
export { type ConversationAgentOptions, createConversationAgent } from './conversation-agent';
export {
  createDialogueContext,
  type DialogueContext,
  type DialogueTurn,
  fillVariables,
} from './dialogue-context';
export { createEchoAgent, type EchoAgentOptions } from './echo-agent';
export { InMemoryContextStore, type InMemoryContextStoreOptions } from './in-memory-context-store';
export { createSummarizationAgent, type SummarizationAgentOptions } from './summarization-agent';
export type { TurnMetrics } from './turn-metrics';
export type { AgentCallOptions, AgentOutput, AgentToolCall, VoiceAgent } from './voice-agent';
export type {
  AgentAudioEvent,
  AgentInterruptedEvent,
  AgentPausedEvent,
  AgentResponseEndEvent,
  AgentResponseEvent,
  AgentResumedEvent,
  AudioAlignment,
  ClientToolCallEvent,
  TentativeUserTranscriptEvent,
  TurnMetricsEvent,
  UserSpeechEvent,
  UserTranscriptEvent,
  VadScoreEvent,
  VoiceAgentErrorEvent,
  VoiceAgentEvent,
  VoiceAgentEventBase,
  VoiceAgentState,
  VoiceAgentStateEvent,
} from './voice-agent-events';
export { VoiceAgentRegistry } from './voice-agent-registry';
export {
  createKeywordRouter,
  createLlmIntentRouter,
  type KeywordRouterOptions,
  type KeywordRule,
  type LlmIntentRouterOptions,
  type RouteDecision,
  type VoiceAgentRouter,
} from './voice-agent-router';
export { VoiceAgentSession } from './voice-agent-session';
export type {
  AgentOutputOptions,
  BargeInOptions,
  EndpointingOptions,
  VoiceAgentSessionOptions,
} from './voice-agent-session-options';
