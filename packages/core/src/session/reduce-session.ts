import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type {
  BargeInConfirmReason,
  BargeInProgress,
  BargeInResumeReason,
  BargeInSignal,
} from '../interrupt/barge-in-policy';
import { InvalidTransitionError } from './invalid-transition-error';
import type { SessionEffect } from './session-effect';
import type {
  AudioCancelEvent,
  AudioEndEvent,
  AudioStartEvent,
  ReplyReadyEvent,
  SessionEvent,
  SessionEventType,
  UserSpeechStartEvent,
} from './session-event';
import type { SessionState, SessionUser } from './session-state';
import type { SessionStatus } from './session-status';
import { SESSION_TRANSITIONS } from './session-transitions';

/** A change of state, as reported by {@link reduceSession}. */
export interface SessionTransition {
  /** The state before. */
  from: SessionStatus;
  /** The state after. */
  to: SessionStatus;
  /** The event that caused it. */
  event: SessionEventType;
  /**
   * Why, when the event alone does not say: the barge-in rule (`min-speech`, `min-words`,
   * `timeout`, `backchannel`, `too-few-words`, `no-words`, `interrupt`), `turn-committed`,
   * `reply-queued`, or `user-message`.
   */
  reason: string | undefined;
  /** The event's time, scheduler ms. */
  at: number;
}

/** What {@link reduceSession} returns: the next state, the effects to run in order, and the transition (if the state changed). */
export interface SessionStep {
  /** The next state. */
  state: SessionState;
  /** The effects to run, in order. */
  effects: readonly SessionEffect[];
  /** The change of state, or `undefined` when the status stayed the same. */
  transition: SessionTransition | undefined;
}

interface Draft {
  state: SessionState;
  effects: SessionEffect[];
  reason?: string;
  wakeAt?: number;
}

const IDLE_USER: SessionUser = Object.freeze({ speaking: false, echo: false, transcript: '', partial: '' });

/**
 * The voice session state machine as a pure reducer: `(state, event) → { state, effects }`.
 * It performs no I/O and reads no clock: times come from the events, and what must happen
 * (pause the output, start a reply, cancel it, schedule a check) comes back as
 * {@link SessionEffect} data. Every step is checked against {@link SESSION_TRANSITIONS}.
 *
 * The guards it enforces:
 * - a reply plays only if it carries the current context version — one made for an outdated
 *   user turn is discarded (`discard-reply`, reason `stale`), never played;
 * - `speaking` is entered only on `audio-start` from the controller, never on `reply-ready`;
 * - user speech before the reply's first audio frame is a barge-in too: the output is paused (the
 *   queued reply waits), and the reply is either resumed on a false interruption or explicitly
 *   cancelled (`cancel-reply`) when the interruption is confirmed — never dropped silently;
 * - barge-ins are judged by the state's {@link BargeInPolicy}; the reducer asks for `tick`s
 *   (`schedule-tick`) when the judgement can change with time alone.
 *
 * @param state - the current state ({@link createSessionState} for the first).
 * @param event - what happened.
 * @returns the next state, the effects and the transition.
 * @throws {@link InvalidTransitionError} when the state does not accept the event (e.g. `start`
 * twice, `audio-start` for a reply that was not queued); {@link InvalidArgumentError} for an
 * event whose `at` is not a finite number.
 * @example
 * ```ts
 * import { createSessionState, reduceSession, type SessionEvent } from '@argentum/core';
 *
 * let state = createSessionState();
 * const events: SessionEvent[] = [
 *   { type: 'start', at: 0 },
 *   { type: 'user-speech-start', at: 320, onsetAt: 300 },
 *   { type: 'user-speech-end', at: 1500 },
 *   { type: 'transcript-final', at: 1600, text: 'Tell me a joke.' },
 * ];
 * for (const event of events) {
 *   const step = reduceSession(state, event);
 *   state = step.state;
 *   for (const effect of step.effects) console.log(effect.type); // request-transcript, start-reply
 * }
 * console.log(state.status); // thinking
 * ```
 */
export function reduceSession(state: SessionState, event: SessionEvent): SessionStep {
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.at !== 'number' ||
    !Number.isFinite(event.at)
  ) {
    throw new InvalidArgumentError('event.at', 'expected an event with a finite `at` in scheduler ms.');
  }
  const from = state.status;
  const row = SESSION_TRANSITIONS[from];
  const allowed = row[event.type];
  if (allowed === undefined) {
    throw new InvalidTransitionError(
      from,
      undefined,
      event,
      `'${from}' accepts only ${Object.keys(row)
        .map((type) => `'${type}'`)
        .join(', ')}.`,
    );
  }
  const draft = handle(state, event);
  const to = draft.state.status;
  if (!allowed.includes(to)) {
    throw new InvalidTransitionError(
      from,
      to,
      event,
      `'${event.type}' may lead only to ${allowed.join(', ')}.`,
    );
  }
  const wakeAt = to === 'barged-in' ? draft.wakeAt : undefined;
  const effects = draft.effects;
  if (wakeAt !== state.wakeAt) {
    effects.push(wakeAt === undefined ? { type: 'cancel-tick' } : { type: 'schedule-tick', at: wakeAt });
  }
  return {
    state: wakeAt === draft.state.wakeAt ? draft.state : { ...draft.state, wakeAt },
    effects,
    transition: to === from ? undefined : { from, to, event: event.type, reason: draft.reason, at: event.at },
  };
}

function handle(state: SessionState, event: SessionEvent): Draft {
  switch (event.type) {
    case 'start':
      return { state: { ...state, status: 'listening' }, effects: [] };
    case 'stop':
      return stop(state);
    case 'user-speech-start':
      return onSpeechStart(state, event);
    case 'user-speech-pause':
    case 'user-speech-resume':
      if (state.status === 'barged-in') {
        return judge(
          state,
          { type: event.type === 'user-speech-pause' ? 'speech-pause' : 'speech-resume', at: event.at },
          event.at,
        );
      }
      return same(state);
    case 'user-speech-end':
      return onSpeechEnd(state, event.at);
    case 'transcript-partial':
    case 'transcript-final':
      return onTranscript(state, event.text, event.type === 'transcript-final', event.at);
    case 'reply-ready':
      return onReplyReady(state, event);
    case 'reply-failed': {
      const reply = state.reply;
      if (reply?.phase !== 'requested' || reply.contextVersion !== event.contextVersion) return same(state);
      if (state.status === 'thinking')
        return { state: { ...state, status: 'listening', reply: undefined }, effects: [] };
      if (state.status === 'barged-in')
        return keepJudging({ ...state, reply: { ...reply, phase: 'finished' } }, event.at);
      return same(state);
    }
    case 'audio-start':
      return onAudioStart(state, event);
    case 'audio-end':
    case 'audio-cancel':
      return onAudioFinished(state, event);
    case 'interrupt':
      return onInterrupt(state, event.at);
    case 'user-message':
      return onUserMessage(state, event.text, event.at);
    case 'tick':
      if (state.status === 'barged-in') return keepJudging(state, event.at);
      return same(state);
  }
}

function same(state: SessionState): Draft {
  return { state, effects: [] };
}

function stop(state: SessionState): Draft {
  const effects: SessionEffect[] = [];
  const reply = state.reply;
  if (reply !== undefined && reply.phase !== 'finished') {
    effects.push({
      type: 'cancel-reply',
      replyId: reply.id,
      contextVersion: reply.contextVersion,
      reason: 'stop',
    });
  }
  return {
    state: { ...state, status: 'terminated', reply: undefined, bargeIn: undefined, user: IDLE_USER },
    effects,
  };
}

function onSpeechStart(state: SessionState, event: UserSpeechStartEvent): Draft {
  const user = { ...state.user, speaking: true, echo: false };
  switch (state.status) {
    case 'thinking':
      return beginBargeIn({ ...state, user }, event);
    case 'speaking':
      if (state.policy.isEcho(event.onsetAt, state.reply?.audioStartedAt)) {
        return { state: { ...state, user: { ...user, echo: true } }, effects: [], reason: 'echo' };
      }
      return beginBargeIn({ ...state, user }, event);
    case 'barged-in':
      return judge(
        { ...state, user },
        { type: 'speech-start', at: event.at, onsetAt: event.onsetAt },
        event.at,
      );
    default:
      return { state: { ...state, user }, effects: [] };
  }
}

function onSpeechEnd(state: SessionState, at: number): Draft {
  const echo = state.user.echo;
  const user = { ...state.user, speaking: false, echo: false };
  const next = { ...state, user };
  if (state.status === 'barged-in') return judge(next, { type: 'speech-end', at }, at);
  if (state.status !== 'listening') return same(next);
  if (user.transcript !== '' && user.partial === '') return commitTurn(next);
  return { state: next, effects: echo ? [] : [{ type: 'request-transcript' }] };
}

function onTranscript(state: SessionState, text: string, final: boolean, at: number): Draft {
  if (typeof text !== 'string')
    throw new InvalidArgumentError('text', 'expected the transcript as a string.');
  if (state.status === 'barged-in') return judge(state, { type: 'transcript', at, text, final }, at);
  if (state.status !== 'listening') return same(state);
  const trimmed = text.trim();
  const user: SessionUser = final
    ? { ...state.user, transcript: joinText(state.user.transcript, trimmed), partial: '' }
    : { ...state.user, partial: trimmed };
  const next = { ...state, user };
  if (final && !user.speaking && user.transcript !== '') return commitTurn(next);
  return same(next);
}

function onReplyReady(state: SessionState, event: ReplyReadyEvent): Draft {
  if (event.contextVersion !== state.contextVersion) {
    return { state, effects: [{ type: 'discard-reply', replyId: event.replyId, reason: 'stale' }] };
  }
  const reply = state.reply;
  const queued = {
    id: event.replyId,
    contextVersion: event.contextVersion,
    phase: 'queued' as const,
    audioStartedAt: undefined,
  };
  const play: SessionEffect = { type: 'play-reply', replyId: event.replyId };
  if (state.status === 'listening') {
    const userIdle = !state.user.speaking && state.user.transcript === '' && state.user.partial === '';
    if (reply === undefined && userIdle) {
      return {
        state: { ...state, status: 'thinking', reply: queued },
        effects: [play],
        reason: 'reply-queued',
      };
    }
  } else if ((state.status === 'thinking' || state.status === 'barged-in') && reply?.phase === 'requested') {
    return { state: { ...state, reply: queued }, effects: [play], wakeAt: state.wakeAt };
  }
  return {
    state,
    effects: [{ type: 'discard-reply', replyId: event.replyId, reason: 'busy' }],
    wakeAt: state.wakeAt,
  };
}

function onAudioStart(state: SessionState, event: AudioStartEvent): Draft {
  const reply = state.reply;
  if (reply?.id !== event.replyId || reply.phase !== 'queued') {
    throw new InvalidTransitionError(
      state.status,
      'speaking',
      event,
      `reply '${event.replyId}' is not the queued reply (${reply?.id === undefined ? 'none is queued' : `'${reply.id}' is ${reply.phase}`}): only a reply played by the session can start.`,
    );
  }
  const playing = { ...reply, phase: 'playing' as const, audioStartedAt: event.at };
  if (state.status === 'barged-in')
    return { state: { ...state, reply: playing }, effects: [], wakeAt: state.wakeAt };
  return { state: { ...state, status: 'speaking', reply: playing }, effects: [] };
}

function onAudioFinished(state: SessionState, event: AudioEndEvent | AudioCancelEvent): Draft {
  const interrupted = event.type === 'audio-cancel';
  const effects: SessionEffect[] = [
    { type: 'commit-agent-turn', replyId: event.replyId, heardText: event.heardText, interrupted },
  ];
  const reply = state.reply;
  const current = reply?.id === event.replyId && (reply.phase === 'queued' || reply.phase === 'playing');
  if (!current) return { state, effects, wakeAt: state.wakeAt };
  if (state.status === 'barged-in') {
    return { state: { ...state, reply: { ...reply, phase: 'finished' } }, effects, wakeAt: state.wakeAt };
  }
  return { state: { ...state, status: 'listening', reply: undefined }, effects };
}

function onInterrupt(state: SessionState, at: number): Draft {
  if (state.status === 'barged-in' && state.bargeIn !== undefined)
    return confirm(state, state.bargeIn, 'interrupt', at);
  const reply = state.reply;
  if (reply === undefined) return same(state);
  return {
    state: { ...state, status: 'listening', reply: undefined, contextVersion: state.contextVersion + 1 },
    effects: [
      { type: 'cancel-reply', replyId: reply.id, contextVersion: reply.contextVersion, reason: 'interrupt' },
    ],
    reason: 'interrupt',
  };
}

function onUserMessage(state: SessionState, text: string, at: number): Draft {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidArgumentError('text', 'expected the typed message as a non-empty string.');
  }
  // The agent's turn (if any) ends as for an app interrupt; then the message is the user's turn.
  const interrupted =
    state.status === 'barged-in' && state.bargeIn !== undefined
      ? confirm(state, state.bargeIn, 'interrupt', at, false)
      : onInterrupt(state, at);
  const committed = commitTurn({
    ...interrupted.state,
    user: { ...interrupted.state.user, transcript: text.trim(), partial: '' },
  });
  return {
    state: committed.state,
    effects: [...interrupted.effects, ...committed.effects],
    reason: 'user-message',
  };
}

function commitTurn(state: SessionState): Draft {
  const contextVersion = state.contextVersion + 1;
  return {
    state: {
      ...state,
      status: 'thinking',
      contextVersion,
      user: { ...state.user, transcript: '', partial: '' },
      reply: { id: undefined, contextVersion, phase: 'requested', audioStartedAt: undefined },
    },
    effects: [{ type: 'start-reply', contextVersion, transcript: state.user.transcript }],
    reason: 'turn-committed',
  };
}

function beginBargeIn(state: SessionState, event: UserSpeechStartEvent): Draft {
  const count = state.bargeInCount + 1;
  const progress = state.policy.start(`barge-in-${count}`, { onsetAt: event.onsetAt, at: event.at });
  const verdict = state.policy.decide(progress, event.at);
  // A barge-in never resolves on the event that begins it: the output pauses first, the verdict
  // comes with the next tick (at once when the rules are already met).
  const wakeAt = verdict.type === 'wait' ? verdict.wakeAt : event.at;
  return {
    state: { ...state, status: 'barged-in', bargeIn: progress, bargeInCount: count },
    effects: [{ type: 'pause-output' }],
    reason: state.reply?.phase === 'playing' ? 'user-speech' : 'before-first-audio',
    wakeAt,
  };
}

function judge(state: SessionState, signal: BargeInSignal, at: number): Draft {
  const progress = state.bargeIn;
  if (progress === undefined) return same(state);
  return keepJudging({ ...state, bargeIn: state.policy.update(progress, signal) }, at);
}

function keepJudging(state: SessionState, at: number): Draft {
  const progress = state.bargeIn;
  if (progress === undefined) return same(state);
  const verdict = state.policy.decide(progress, at);
  if (verdict.type === 'confirm') return confirm(state, progress, verdict.reason, at);
  if (verdict.type === 'resume') return resume(state, progress, verdict.reason, at);
  return { state, effects: [], wakeAt: verdict.wakeAt };
}

function outcome(
  state: SessionState,
  progress: BargeInProgress,
  kind: 'confirmed' | 'resumed',
  reason: BargeInConfirmReason | BargeInResumeReason | 'interrupt',
  at: number,
): SessionEffect {
  return {
    type: 'emit-metrics',
    metrics: {
      bargeInId: progress.id,
      replyId: state.reply?.id,
      outcome: kind,
      reason,
      onsetAt: progress.onsetAt,
      detectedAt: progress.startedAt,
      resolvedAt: at,
      beforeFirstAudio: state.reply?.audioStartedAt === undefined,
      voicedMs: state.policy.voicedMs(progress, at),
      transcript: joinText(progress.finalText, progress.partialText),
    },
  };
}

function confirm(
  state: SessionState,
  progress: BargeInProgress,
  reason: BargeInConfirmReason | 'interrupt',
  at: number,
  commitPending = true,
): Draft {
  const effects: SessionEffect[] = [];
  const reply = state.reply;
  if (reply !== undefined && reply.phase !== 'finished') {
    effects.push({
      type: 'cancel-reply',
      replyId: reply.id,
      contextVersion: reply.contextVersion,
      reason: 'barge-in',
    });
  }
  // The paused output is emptied by the cancel, then un-paused for the next reply.
  effects.push({ type: 'resume-output' }, outcome(state, progress, 'confirmed', reason, at));
  const next: SessionState = {
    ...state,
    status: 'listening',
    contextVersion: state.contextVersion + 1,
    reply: undefined,
    bargeIn: undefined,
    user: {
      speaking: progress.userSpeaking,
      echo: false,
      transcript: progress.finalText,
      partial: progress.partialText,
    },
  };
  if (
    commitPending &&
    !progress.userSpeaking &&
    progress.finalText !== '' &&
    progress.partialText === '' &&
    progress.finalReceived
  ) {
    const committed = commitTurn(next);
    return { state: committed.state, effects: [...effects, ...committed.effects], reason };
  }
  return { state: next, effects, reason };
}

function resume(
  state: SessionState,
  progress: BargeInProgress,
  reason: BargeInResumeReason,
  at: number,
): Draft {
  const reply = state.reply;
  let status: SessionStatus = 'listening';
  if (reply?.phase === 'playing') status = 'speaking';
  else if (reply?.phase === 'queued' || reply?.phase === 'requested') status = 'thinking';
  return {
    state: {
      ...state,
      status,
      reply: reply?.phase === 'finished' ? undefined : reply,
      bargeIn: undefined,
      user: IDLE_USER,
    },
    effects: [{ type: 'resume-output' }, outcome(state, progress, 'resumed', reason, at)],
    reason,
  };
}

function joinText(left: string, right: string): string {
  if (left === '') return right;
  if (right === '') return left;
  return `${left} ${right}`;
}
