import type { SchedulerLike } from 'rxjs';
import type { SampleRate } from '../audio/audio-frame';
import type { SessionEvent } from '../session/session-event';
import type { SessionState } from '../session/session-state';
import type { VoiceAgentErrorEvent, VoiceAgentEvent } from './voice-agent-events';

/**
 * What the internal parts of a `VoiceAgentSession` share: its clock, its event output and
 * its reducer. The session builds one and hands it to each part.
 * @internal
 */
export interface SessionRuntime {
  /** The session's scheduler. */
  readonly scheduler: SchedulerLike;
  /** The rate of the agent's audio. */
  readonly outputSampleRate: SampleRate;
  /** Reports an event (dropped once `events` completed). */
  emit(event: VoiceAgentEvent): void;
  /** Reports an `error` event for `stage`. */
  emitError(stage: VoiceAgentErrorEvent['stage'], error: unknown): void;
  /** Runs an event through the session reducer (queued while effects run). */
  dispatch(event: SessionEvent): void;
  /** The reducer's current state. */
  machine(): SessionState;
  /** Whether the session is started and not closed. */
  live(): boolean;
}
