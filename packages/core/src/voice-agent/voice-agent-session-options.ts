import type { Tracer } from '@opentelemetry/api';
import type { SchedulerLike } from 'rxjs';
import type { SampleRate } from '../audio/audio-frame';
import type { SpeechDetectorOptions } from '../audio/vad/speech-detector';
import type { BargeInPolicyOptions } from '../interrupt/barge-in-options';
import type { SttModel } from '../provider/stt-model';
import type { TtsModel } from '../provider/tts-model';
import type { VadModel } from '../provider/vad-model';
import type { ContextStore } from './context-store';
import type { VoiceAgent } from './voice-agent';
import type { VoiceAgentRegistry } from './voice-agent-registry';
import type { VoiceAgentRouter } from './voice-agent-router';

/** When a user turn ends. */
export interface EndpointingOptions {
  /** Silence that ends the user's turn, in ms. Default 400 (the 300–500 ms of natural turn-taking). */
  minSilenceMs?: number;
  /** The longest single utterance; the turn is cut there even if the user keeps talking. Default 30 000. */
  maxUtteranceMs?: number;
  /** Audio kept from before the VAD confirmed speech, so the first syllable reaches the STT. Default 300. */
  preRollMs?: number;
}

/**
 * How the user may cut the agent off: core's {@link BargeInPolicy} rules (minimum voiced speech
 * `minSpeechDurationMs` = 500, `minWords` = 1, `falseInterruptionTimeoutMs` = 2000, echo warm-up
 * `echoWarmupMs` = 300, optional `backchannelWords`), plus a switch.
 */
export interface BargeInOptions extends BargeInPolicyOptions {
  /** Whether the user can interrupt at all; `false` ignores speech while the agent holds the turn. Default `true`. */
  enabled?: boolean;
}

/** How agent audio is released to the transport. */
export interface AgentOutputOptions {
  /** The rate of the agent's audio. Default: the TTS model's rate. */
  sampleRate?: SampleRate;
  /** How often a chunk goes out, in ms. Default 100. */
  chunkMs?: number;
  /** How far ahead of the playback clock audio is released, in ms. Default 300. */
  leadMs?: number;
}

/** Options of {@link VoiceAgentSession}. */
export interface VoiceAgentSessionOptions {
  /** The conversation's id (the context store key). */
  conversationId: string;
  /** The agents: one agent, or a registry to route between. */
  agents: VoiceAgent | VoiceAgentRegistry;
  /** Picks the agent per turn. Default: the registry's default agent. */
  router?: VoiceAgentRouter;
  /** Transcribes the user's utterances. */
  stt: SttModel;
  /** Speaks the agent's replies; omit for a text-only session. */
  tts?: TtsModel;
  /** The speech detector's model. Default: core's energy VAD. */
  vad?: VadModel;
  /** Speech detector thresholds (its `minSilenceMs` comes from `endpointing`). */
  vadOptions?: Omit<SpeechDetectorOptions, 'minSilenceMs'>;
  /** Where the conversation's context lives. Default: a fresh {@link InMemoryContextStore}. */
  contextStore?: ContextStore;
  /** Overrides the agents' system prompt for this conversation. */
  systemPrompt?: string;
  /** What the agent says when the session starts. */
  firstMessage?: string;
  /** The conversation's language (BCP 47), passed to STT, TTS and the context. */
  language?: string;
  /** The TTS voice. */
  voice?: string;
  /** Values for `{{name}}` slots in prompts. */
  variables?: Record<string, string | number | boolean>;
  /** End-of-turn detection. */
  endpointing?: EndpointingOptions;
  /** Barge-in rules. */
  bargeIn?: BargeInOptions;
  /** Agent audio pacing. */
  output?: AgentOutputOptions;
  /** How often a `vad-score` event is emitted, in ms (0: never). Default 250. */
  vadScoreIntervalMs?: number;
  /** The most turns (and background updates) the context keeps; older ones are dropped. Default 100. */
  maxContextTurns?: number;
  /** How long to wait for a client tool's result, in ms. Default 15 000. */
  toolTimeoutMs?: number;
  /** The clock. Default: the real-time scheduler. */
  scheduler?: SchedulerLike;
  /**
   * The OpenTelemetry tracer of the session's turn spans (`argentum.turn` with `vad-end`, `stt`,
   * `llm`, `tts` and `playout` children). Default: the global tracer provider's `@argentum/core`
   * tracer — a no-op unless the app installs an OpenTelemetry SDK.
   */
  tracer?: Tracer;
  /**
   * The id carried on every span (`argentum.correlation_id`) and every provider call (the
   * `x-correlation-id` header), to find one conversation across logs, traces and vendor request
   * logs. Default: `conversationId`.
   */
  correlationId?: string;
}
