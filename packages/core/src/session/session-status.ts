/**
 * The states of a voice session:
 * - `idle`: created, not started;
 * - `listening`: the user holds the turn (or nobody does); user speech is collected into a turn;
 * - `thinking`: the user's turn is committed and the agent prepares its reply — the reply may
 *   already be queued on the audio controller, but none of its audio has gone out;
 * - `speaking`: the agent's reply is audible (entered only on the controller's `start`);
 * - `barged-in`: the user spoke while the agent held the turn; the output is paused until the
 *   interruption is confirmed (→ `listening`) or judged false (→ back to `speaking`/`thinking`);
 * - `terminated`: stopped for good.
 *
 * @example
 * ```ts
 * const status: SessionStatus = 'barged-in';
 * ```
 */
export type SessionStatus = 'idle' | 'listening' | 'thinking' | 'speaking' | 'barged-in' | 'terminated';

/**
 * Every {@link SessionStatus}, in the order of a typical session.
 *
 * @example
 * ```ts
 * import { SESSION_STATUSES } from '@argentum/core';
 *
 * for (const status of SESSION_STATUSES) console.log(status);
 * ```
 */
export const SESSION_STATUSES: readonly SessionStatus[] = Object.freeze([
  'idle',
  'listening',
  'thinking',
  'speaking',
  'barged-in',
  'terminated',
]);
