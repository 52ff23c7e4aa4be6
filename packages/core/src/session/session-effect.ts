import type { BargeInConfirmReason, BargeInResumeReason } from '../interrupt/barge-in-policy';

/** Pause the audio output at the exact sample (the controller's `pause()`). */
export interface PauseOutputEffect {
  /** Discriminator. */
  type: 'pause-output';
}

/** Resume the audio output from the exact sample where it paused (the controller's `resume()`). */
export interface ResumeOutputEffect {
  /** Discriminator. */
  type: 'resume-output';
}

/** The user's turn is committed: produce a reply for it (call the LLM, the TTS). */
export interface StartReplyEffect {
  /** Discriminator. */
  type: 'start-reply';
  /** The context version the reply must carry in its `reply-ready`. */
  contextVersion: number;
  /** What the user said in this turn. */
  transcript: string;
}

/** Play the reply (the controller's `play(segment)`); `audio-start` follows when audio goes out. */
export interface PlayReplyEffect {
  /** Discriminator. */
  type: 'play-reply';
  /** The reply's id. */
  replyId: string;
}

/**
 * Cancel the reply: stop producing it (unsubscribe the LLM/TTS) and cut its audio (playing or
 * queued); the controller then reports what was heard with `audio-cancel`.
 */
export interface CancelReplyEffect {
  /** Discriminator. */
  type: 'cancel-reply';
  /** The reply's id, or `undefined` while it was still being produced. */
  replyId: string | undefined;
  /** The context version it was made for. */
  contextVersion: number;
  /** Why: a confirmed barge-in, an app `interrupt` (or a typed `user-message`), or `stop`. */
  reason: 'barge-in' | 'interrupt' | 'stop';
}

/** Drop a ready reply without playing it. */
export interface DiscardReplyEffect {
  /** Discriminator. */
  type: 'discard-reply';
  /** The reply's id. */
  replyId: string;
  /** `stale`: made for an outdated context version; `busy`: another reply holds the turn or the user does. */
  reason: 'stale' | 'busy';
}

/** The user stopped speaking: ask the STT for its final transcript (finalize / commit its buffer). */
export interface RequestTranscriptEffect {
  /** Discriminator. */
  type: 'request-transcript';
}

/** Record the agent's turn in the conversation context: only what the user heard. */
export interface CommitAgentTurnEffect {
  /** Discriminator. */
  type: 'commit-agent-turn';
  /** The reply's id. */
  replyId: string;
  /** The text the user heard (the whole reply when it played to its end). */
  heardText: string;
  /** Whether the reply was cut before its end. */
  interrupted: boolean;
}

/** Call back at `at` with a `tick` event (replaces any earlier request). */
export interface ScheduleTickEffect {
  /** Discriminator. */
  type: 'schedule-tick';
  /** When, scheduler ms. */
  at: number;
}

/** The pending tick is no longer needed. */
export interface CancelTickEffect {
  /** Discriminator. */
  type: 'cancel-tick';
}

/** How one barge-in ended, as reported by the reducer (times in scheduler ms). */
export interface BargeInOutcome {
  /** The barge-in's id, `barge-in-N`. */
  bargeInId: string;
  /** The reply it interrupted, if it had been produced. */
  replyId: string | undefined;
  /** `confirmed` (the reply was cancelled) or `resumed` (a false interruption). */
  outcome: 'confirmed' | 'resumed';
  /** The rule that decided; `interrupt` for an app interrupt during the barge-in. */
  reason: BargeInConfirmReason | BargeInResumeReason | 'interrupt';
  /** The true onset of the user's speech. */
  onsetAt: number;
  /** When the VAD decided and the output was paused. */
  detectedAt: number;
  /** When the barge-in was confirmed or resumed. */
  resolvedAt: number;
  /** Whether it began before any audio of the reply went out. */
  beforeFirstAudio: boolean;
  /** The user's voiced speech during the barge-in, ms. */
  voicedMs: number;
  /** The transcript heard during the barge-in. */
  transcript: string;
}

/** Report a barge-in outcome (for metrics and logs). */
export interface EmitMetricsEffect {
  /** Discriminator. */
  type: 'emit-metrics';
  /** The outcome. */
  metrics: BargeInOutcome;
}

/**
 * What the voice session reducer asks its shell to do. Effects are data: the reducer performs
 * none of them; {@link VoiceSession} (or your own shell) executes them in order.
 *
 * @example
 * ```ts
 * function run(effect: SessionEffect): void {
 *   switch (effect.type) {
 *     case 'pause-output':
 *       controller.pause();
 *       break;
 *     case 'resume-output':
 *       controller.resume();
 *       break;
 *     case 'start-reply':
 *       agent.reply(effect.transcript, effect.contextVersion);
 *       break;
 *   }
 * }
 * ```
 */
export type SessionEffect =
  | PauseOutputEffect
  | ResumeOutputEffect
  | StartReplyEffect
  | PlayReplyEffect
  | CancelReplyEffect
  | DiscardReplyEffect
  | RequestTranscriptEffect
  | CommitAgentTurnEffect
  | ScheduleTickEffect
  | CancelTickEffect
  | EmitMetricsEffect;
