export type {
  Agent,
  AgentBid,
  BidContext,
  ConversationContext,
  InterjectionType,
  ListenContext,
  ListenerReaction,
  Persona,
  RespondContext,
  TranscriptEntry,
} from './agent';
export { AuctionConversation } from './auction-conversation';
export type { AuctionConversationOptions, ConversationStopOptions } from './auction-conversation-options';
export type {
  AuctionEvent,
  BidRecord,
  BidStatus,
  ConversationAgentInfo,
  ConversationBeatEvent,
  ConversationEndEvent,
  ConversationEvent,
  ConversationEventBase,
  ConversationStartEvent,
  FaultEvent,
  InterjectionEvent,
  InterruptDecisionEvent,
  InterruptEvent,
  PacingEvent,
  ProvisionalInterruptEvent,
  SegmentEndEvent,
  SegmentStartEvent,
  TurnEndEvent,
  TurnStartEvent,
} from './conversation-events';
export {
  type ConversationPreset,
  type ConversationPresetId,
  DEFAULT_CONVERSATION_PACING,
  DEFAULT_MIN_HEARD_WORDS,
  presets,
  resolveConversationPreset,
} from './conversation-preset';
export type {
  AgentSummary,
  ConversationSummary,
  DurationStats,
  TranscriptLine,
  TurnSummary,
} from './conversation-summary';
export {
  DEFAULT_BALANCE_PENALTY,
  DEFAULT_LAST_LISTENER_PENALTY,
  DEFAULT_REPEAT_GUARD_LINES,
  type InterjectionPlan,
  InterjectionPlanner,
  type InterjectionPlannerOptions,
  type InterjectionProposal,
} from './interjection-planner';
export { LlmAgent, type LlmAgentOptions } from './llm-agent';
export { OfflineDebateAgent, type OfflineDebateAgentOptions } from './offline-debate-agent';
export { sanitizeInterjectionText } from './sanitize-interjection-text';
export { SimulatedTtsModel, type SimulatedTtsModelOptions } from './simulated-tts-model';
export { summarizeConversation } from './summarize-conversation';
