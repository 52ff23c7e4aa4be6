export {
  detectUserSpeech,
  USER_SPEECH_DETECTOR_DEFAULTS,
  type UserSpeechActivityEvent,
} from './detect-user-speech';
export { InvalidTransitionError } from './invalid-transition-error';
export { reduceSession, type SessionStep, type SessionTransition } from './reduce-session';
export type {
  BargeInOutcome,
  CancelReplyEffect,
  CancelTickEffect,
  CommitAgentTurnEffect,
  DiscardReplyEffect,
  EmitMetricsEffect,
  PauseOutputEffect,
  PlayReplyEffect,
  RequestTranscriptEffect,
  ResumeOutputEffect,
  ScheduleTickEffect,
  SessionEffect,
  StartReplyEffect,
} from './session-effect';
export type {
  AudioCancelEvent,
  AudioEndEvent,
  AudioStartEvent,
  ReplyFailedEvent,
  ReplyReadyEvent,
  SessionEvent,
  SessionEventBase,
  SessionEventType,
  SessionInterruptEvent,
  SessionStartEvent,
  SessionStopEvent,
  TickEvent,
  TranscriptFinalEvent,
  TranscriptPartialEvent,
  UserMessageEvent,
  UserSpeechEndEvent,
  UserSpeechPauseEvent,
  UserSpeechResumeEvent,
  UserSpeechStartEvent,
} from './session-event';
export {
  createSessionState,
  type SessionReply,
  type SessionState,
  type SessionStateOptions,
  type SessionUser,
} from './session-state';
export { SESSION_STATUSES, type SessionStatus } from './session-status';
export { sessionSteps } from './session-steps';
export { SESSION_TRANSITIONS } from './session-transitions';
export {
  type BargeInMetrics,
  type UserTurn,
  VoiceSession,
  type VoiceSessionEvents,
  type VoiceSessionOptions,
} from './voice-session';
export {
  type SessionStepRecord,
  VoiceSessionMachine,
  type VoiceSessionMachineEvents,
  type VoiceSessionMachineOptions,
} from './voice-session-machine';
