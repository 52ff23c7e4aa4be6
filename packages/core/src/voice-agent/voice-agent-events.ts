import type { SampleRate } from '../audio/audio-frame';
import type { SessionStatus } from '../session/session-status';
import type { TurnMetrics } from './turn-metrics';

/**
 * The states of a {@link VoiceAgentSession} — core's voice session states ({@link SessionStatus}),
 * produced by {@link reduceSession}:
 * `idle` (not started) → `listening` ⇄ `thinking` (a reply is being prepared) → `speaking` →
 * `barged-in` (the user spoke over the agent: output paused or held until confirmed or resumed) →
 * … → `terminated`.
 *
 * @example
 * ```ts
 * const state: VoiceAgentState = 'speaking';
 * ```
 */
export type VoiceAgentState = SessionStatus;

/** Fields every {@link VoiceAgentEvent} has. */
export interface VoiceAgentEventBase {
  /** When it happened, in scheduler ms. */
  at: number;
}

/** The session changed state. */
export interface VoiceAgentStateEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'state';
  /** The new state. */
  state: VoiceAgentState;
  /** The state before. */
  previous: VoiceAgentState;
}

/** The VAD's latest speech probability (every `vadScoreIntervalMs`, 250 ms by default). */
export interface VadScoreEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'vad-score';
  /** 0..1. */
  score: number;
}

/** The VAD heard the user start or stop speaking. */
export interface UserSpeechEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'user-speech-start' | 'user-speech-end';
  /** The true onset (start) or end of the speech, in audio time (scheduler ms). */
  speechAt: number;
}

/** The final transcript of a user turn. */
export interface UserTranscriptEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'user-transcript';
  /** The text. */
  text: string;
  /** The user turn number (from 1). */
  turn: number;
}

/** A partial transcript while the user speaks (streaming STT models only). */
export interface TentativeUserTranscriptEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'tentative-user-transcript';
  /** The text so far. */
  text: string;
  /** The user turn it belongs to. */
  turn: number;
}

/** An agent reply's whole text (sent once the agent finished writing it). */
export interface AgentResponseEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'agent-response';
  /** The reply's id (`response-N`). */
  responseId: string;
  /** The agent that wrote it. */
  agent: string;
  /** The text. */
  text: string;
}

/** Character timing of an audio chunk, relative to the chunk's first sample. */
export interface AudioAlignment {
  /** The characters. */
  chars: string[];
  /** Each character's start in ms from the chunk's start. */
  startTimesMs: number[];
  /** Each character's duration in ms. */
  durationsMs: number[];
}

/** A chunk of the agent's voice, paced to go out just ahead of real-time playback. */
export interface AgentAudioEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'agent-audio';
  /** The reply's id. */
  responseId: string;
  /** Which continuous run of the reply this is: 0, then +1 after each resume. */
  segment: number;
  /** Mono PCM16 samples: this chunk's own copy, yours to keep or change. */
  samples: Int16Array;
  /** Their rate. */
  sampleRate: SampleRate;
  /** Where the chunk starts in the reply's audio, in ms. */
  offsetMs: number;
  /** The chunk's length in ms. */
  durationMs: number;
  /** The characters spoken in the chunk, when the TTS gave word marks. */
  alignment?: AudioAlignment;
}

/** The user spoke over the agent: output stopped at `positionMs` (the client should stop playing now). */
export interface AgentPausedEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'agent-paused';
  /** The reply's id. */
  responseId: string;
  /** The playback position reached, in ms of the reply's audio. */
  positionMs: number;
}

/** A false interruption: the reply goes on from where it paused, as a new segment. */
export interface AgentResumedEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'agent-resumed';
  /** The reply's id. */
  responseId: string;
  /** The new segment number. */
  segment: number;
  /** Where playback resumes, in ms of the reply's audio. */
  positionMs: number;
}

/** A confirmed interruption: the reply is cancelled; `heardText` is what the user heard of it. */
export interface AgentInterruptedEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'agent-interrupted';
  /** The reply's id. */
  responseId: string;
  /** The agent. */
  agent: string;
  /** The reply's text as written (so far). */
  originalText: string;
  /** The words the user heard before the cut — what the context keeps. */
  heardText: string;
  /** How much audio played, in ms. */
  playedMs: number;
}

/** The reply played to its end. */
export interface AgentResponseEndEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'agent-response-end';
  /** The reply's id. */
  responseId: string;
  /** The agent. */
  agent: string;
  /** The whole text. */
  text: string;
  /** Its audio length in ms (0 in text-only sessions). */
  playedMs: number;
}

/** The agent asks the client to run a tool; answer with {@link VoiceAgentSession.resolveToolCall}. */
export interface ClientToolCallEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'client-tool-call';
  /** The reply that made the call. */
  responseId: string;
  /** The call's id. */
  toolCallId: string;
  /** The tool. */
  toolName: string;
  /** Its arguments. */
  parameters: Record<string, unknown>;
}

/** A turn's latencies, once its reply ended or was interrupted. */
export interface TurnMetricsEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'turn-metrics';
  /** The figures. */
  metrics: TurnMetrics;
}

/** A stage failed; the session goes back to listening. */
export interface VoiceAgentErrorEvent extends VoiceAgentEventBase {
  /** Discriminator. */
  type: 'error';
  /**
   * Where it failed; `'session'` is an event the session state machine does not accept in its
   * current state (an `InvalidTransitionError`, reported and skipped — the state is unchanged).
   */
  stage: 'stt' | 'route' | 'agent' | 'tts' | 'context' | 'tool' | 'session';
  /** The error (typed `ArgentumError`s carry a `code`). */
  error: unknown;
}

/**
 * Everything a {@link VoiceAgentSession} reports, discriminated on `type`.
 *
 * @example
 * ```ts
 * session.events.subscribe((event) => {
 *   if (event.type === 'user-transcript') console.log('user:', event.text);
 *   if (event.type === 'agent-interrupted') console.log('heard only:', event.heardText);
 * });
 * ```
 */
export type VoiceAgentEvent =
  | VoiceAgentStateEvent
  | VadScoreEvent
  | UserSpeechEvent
  | UserTranscriptEvent
  | TentativeUserTranscriptEvent
  | AgentResponseEvent
  | AgentAudioEvent
  | AgentPausedEvent
  | AgentResumedEvent
  | AgentInterruptedEvent
  | AgentResponseEndEvent
  | ClientToolCallEvent
  | TurnMetricsEvent
  | VoiceAgentErrorEvent;
