import { ArgentumError, hasBrand } from '../errors/argentum-error';
import type { SessionEvent } from './session-event';
import type { SessionStatus } from './session-status';

/**
 * The voice session received an event its current state does not accept (see
 * {@link SESSION_TRANSITIONS}): e.g. `start` twice, `audio-start` for a reply that was never
 * queued, or anything but late playback reports after `stop`. The state is unchanged.
 *
 * @example
 * ```ts
 * try {
 *   reduceSession(state, { type: 'start', at: 10 });
 * } catch (error) {
 *   if (InvalidTransitionError.isInstance(error)) console.error(error.from, error.event.type, error.to);
 * }
 * ```
 */
export class InvalidTransitionError extends ArgentumError {
  /** The state the session was in. */
  readonly from: SessionStatus;
  /** The state the event would have led to, when it names one (`undefined` when the state does not accept the event at all). */
  readonly to: SessionStatus | undefined;
  /** The rejected event. */
  readonly event: SessionEvent;

  /**
   * @param from - the current state.
   * @param to - the target the event would have led to, if any.
   * @param event - the rejected event.
   * @param detail - what was wrong, for the message.
   */
  constructor(from: SessionStatus, to: SessionStatus | undefined, event: SessionEvent, detail: string) {
    super(
      'invalid-transition',
      `Invalid session transition on '${event.type}' in state '${from}'${to === undefined ? '' : ` to '${to}'`}: ${detail}`,
    );
    this.from = from;
    this.to = to;
    this.event = event;
    this.brand('InvalidTransitionError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link InvalidTransitionError}.
   * @example
   * ```ts
   * if (InvalidTransitionError.isInstance(error)) console.error(error.from, error.to);
   * ```
   */
  static override isInstance(error: unknown): error is InvalidTransitionError {
    return hasBrand(error, 'InvalidTransitionError');
  }
}
