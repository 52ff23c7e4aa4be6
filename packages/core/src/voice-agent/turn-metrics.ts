/**
 * Latencies of one turn of a voice agent, in ms on the session's scheduler. A field is absent when
 * its stage did not happen (a text message has no STT; an interrupted reply may have no audio).
 *
 * @example
 * ```ts
 * const metrics: TurnMetrics = { turn: 3, interrupted: false, endToEndMs: 640, llmTimeToFirstTokenMs: 210 };
 * ```
 */
export interface TurnMetrics {
  /** The user turn this reply answered (1, 2, …; 0 for the first message). */
  turn: number;
  /** The reply's id (`response-N`). */
  responseId: string;
  /** The agent that answered. */
  agent?: string;
  /** The user stopped speaking → the turn was committed (VAD silence + transcription). */
  endOfUtteranceDelayMs?: number;
  /** The VAD confirmed the end of speech → the final transcript arrived. */
  sttFinalLatencyMs?: number;
  /** The agent was asked → its first text delta (routing and LLM time to first token). */
  llmTimeToFirstTokenMs?: number;
  /** The first text delta → the first synthesized audio (TTS time to first byte). */
  ttsTimeToFirstByteMs?: number;
  /** The user stopped speaking → the agent's first audio went out (voice-to-voice). */
  endToEndMs?: number;
  /** Whether the user cut the reply off. */
  interrupted: boolean;
  /** Barge-in: the user's true speech onset → agent output paused. */
  pauseLatencyMs?: number;
  /** Barge-in: interruption confirmed → last agent audio sent (0 when nothing went out after). */
  tailMs?: number;
  /** How much of the reply's audio the user heard, in ms. */
  playedMs?: number;
}
