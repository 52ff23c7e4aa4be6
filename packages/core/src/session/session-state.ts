import type { BargeInPolicyOptions } from '../interrupt/barge-in-options';
import { BargeInPolicy, type BargeInProgress } from '../interrupt/barge-in-policy';
import type { SessionStatus } from './session-status';

/**
 * The reply the agent is working on:
 * - `requested`: `start-reply` was issued, no `reply-ready` yet (`id` undefined);
 * - `queued`: `play-reply` was issued, no audio has gone out;
 * - `playing`: its audio started;
 * - `finished`: it ended or was cancelled during a barge-in (a false interruption then returns to `listening`).
 */
export interface SessionReply {
  /** Its id, once ready. */
  readonly id: string | undefined;
  /** The context version it is made for. */
  readonly contextVersion: number;
  /** Where it is. */
  readonly phase: 'requested' | 'queued' | 'playing' | 'finished';
  /** When its audio started, scheduler ms. */
  readonly audioStartedAt: number | undefined;
}

/** The user's side of the turn. */
export interface SessionUser {
  /** Whether a VAD segment of user speech is open. */
  readonly speaking: boolean;
  /** Whether that segment is ignored as echo of the agent (see {@link BargeInPolicyOptions.echoWarmupMs}). */
  readonly echo: boolean;
  /** Final transcripts of the user's turn in progress, joined. */
  readonly transcript: string;
  /** The latest partial transcript after them. */
  readonly partial: string;
}

/**
 * The voice session's state: a plain immutable record that {@link reduceSession} maps to the
 * next one. Create it with {@link createSessionState}.
 *
 * @example
 * ```ts
 * const state = createSessionState();
 * console.log(state.status, state.contextVersion); // idle 0
 * ```
 */
export interface SessionState {
  /** The current state. */
  readonly status: SessionStatus;
  /**
   * The context version: raised when a user turn is committed (`start-reply`) and when the agent
   * is interrupted. A reply plays only if it carries the current version.
   */
  readonly contextVersion: number;
  /** The user's speech and transcript. */
  readonly user: SessionUser;
  /** The agent's reply in progress, if any. */
  readonly reply: SessionReply | undefined;
  /** The barge-in in progress (status `barged-in`), if any. */
  readonly bargeIn: BargeInProgress | undefined;
  /** How many barge-ins have begun (numbers the ids). */
  readonly bargeInCount: number;
  /** When the reducer wants a `tick`, if at all. */
  readonly wakeAt: number | undefined;
  /** The barge-in rules. */
  readonly policy: BargeInPolicy;
}

/** Options of {@link createSessionState}. */
export interface SessionStateOptions {
  /** The barge-in rules: options, or a ready {@link BargeInPolicy}. */
  bargeIn?: BargeInPolicyOptions | BargeInPolicy;
}

/**
 * The initial state of a voice session: `idle`, context version 0.
 *
 * @param options - the barge-in rules.
 * @returns the state.
 * @throws {@link InvalidArgumentError} for invalid barge-in options.
 * @example
 * ```ts
 * import { createSessionState, reduceSession } from '@argentum/core';
 *
 * const { state } = reduceSession(createSessionState({ bargeIn: { minSpeechDurationMs: 300 } }), {
 *   type: 'start',
 *   at: 0,
 * });
 * console.log(state.status); // listening
 * ```
 */
export function createSessionState(options: SessionStateOptions = {}): SessionState {
  const bargeIn = options.bargeIn;
  const policy = bargeIn instanceof BargeInPolicy ? bargeIn : new BargeInPolicy(bargeIn);
  return {
    status: 'idle',
    contextVersion: 0,
    user: { speaking: false, echo: false, transcript: '', partial: '' },
    reply: undefined,
    bargeIn: undefined,
    bargeInCount: 0,
    wakeAt: undefined,
    policy,
  };
}
