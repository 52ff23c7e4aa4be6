/** Fields every {@link SessionEvent} carries. */
export interface SessionEventBase {
  /** When it happened (or became known), in scheduler ms. */
  at: number;
}

/** Starts the session: `idle` → `listening`. */
export interface SessionStartEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'start';
}

/** The VAD opened a segment of user speech. */
export interface UserSpeechStartEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'user-speech-start';
  /** The true onset of the speech (the VAD's onset, before its decision at `at`), scheduler ms. */
  onsetAt: number;
}

/** Inside a segment of user speech, the voice stopped (a gap between words); `at` is where. */
export interface UserSpeechPauseEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'user-speech-pause';
}

/** Inside a segment of user speech, the voice came back after a gap; `at` is where. */
export interface UserSpeechResumeEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'user-speech-resume';
}

/** The VAD closed the segment of user speech; `at` is when that was known. */
export interface UserSpeechEndEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'user-speech-end';
}

/** A tentative transcript of the user's speech (replaces the previous partial). */
export interface TranscriptPartialEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'transcript-partial';
  /** The text so far, since the last final. */
  text: string;
}

/** A final transcript of (part of) the user's speech; finals of one turn are joined. */
export interface TranscriptFinalEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'transcript-final';
  /** The text. */
  text: string;
}

/**
 * A reply is ready to play. It plays only if it was made for the current context: its
 * `contextVersion` is the session's (from the `start-reply` effect it answers, or the state's for
 * an unprompted reply such as a greeting) — otherwise it is discarded (`discard-reply`).
 */
export interface ReplyReadyEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'reply-ready';
  /** The reply's id; also the id of its audio segment. */
  replyId: string;
  /** The context version the reply was made for. */
  contextVersion: number;
}

/** Producing the requested reply failed (the LLM or TTS errored before audio was queued). */
export interface ReplyFailedEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'reply-failed';
  /** The context version of the failed request. */
  contextVersion: number;
}

/** The controller started playing the reply: its first sample went out. */
export interface AudioStartEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'audio-start';
  /** The reply's id (its segment id). */
  replyId: string;
}

/** The reply played to its end. */
export interface AudioEndEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'audio-end';
  /** The reply's id. */
  replyId: string;
  /** What the user heard: the whole text. */
  heardText: string;
}

/** The reply was cancelled by the controller (after `cancel-reply`, or a TTS error). */
export interface AudioCancelEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'audio-cancel';
  /** The reply's id. */
  replyId: string;
  /** What the user heard: the words that went out before the cut. */
  heardText: string;
}

/** The app interrupts the agent (a stop button, a hot word): like a confirmed barge-in. */
export interface SessionInterruptEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'interrupt';
}

/**
 * The user typed a message (or the app injected one): it takes the turn at once — a reply in
 * progress is cancelled (as for `interrupt`) and a reply to `text` is started (`start-reply`).
 */
export interface UserMessageEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'user-message';
  /** What the user typed (non-empty after trimming). */
  text: string;
}

/** A timer asked for by a `schedule-tick` effect fired. Stale ticks change nothing. */
export interface TickEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'tick';
}

/** Ends the session for good: any state → `terminated`. */
export interface SessionStopEvent extends SessionEventBase {
  /** Discriminator. */
  type: 'stop';
}

/**
 * What drives the voice session reducer ({@link reduceSession}): VAD edges, STT transcripts,
 * reply readiness, the audio controller's playback, timer ticks and app commands.
 *
 * @example
 * ```ts
 * const events: SessionEvent[] = [
 *   { type: 'start', at: 0 },
 *   { type: 'user-speech-start', at: 520, onsetAt: 500 },
 *   { type: 'user-speech-end', at: 1900 },
 *   { type: 'transcript-final', at: 2000, text: 'What time is it?' },
 * ];
 * ```
 */
export type SessionEvent =
  | SessionStartEvent
  | UserSpeechStartEvent
  | UserSpeechPauseEvent
  | UserSpeechResumeEvent
  | UserSpeechEndEvent
  | TranscriptPartialEvent
  | TranscriptFinalEvent
  | ReplyReadyEvent
  | ReplyFailedEvent
  | AudioStartEvent
  | AudioEndEvent
  | AudioCancelEvent
  | SessionInterruptEvent
  | UserMessageEvent
  | TickEvent
  | SessionStopEvent;

/**
 * The `type` of a {@link SessionEvent}.
 *
 * @example
 * ```ts
 * const type: SessionEventType = 'user-speech-start';
 * ```
 */
export type SessionEventType = SessionEvent['type'];
