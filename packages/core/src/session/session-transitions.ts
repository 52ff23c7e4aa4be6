import type { SessionEventType } from './session-event';
import type { SessionStatus } from './session-status';

/**
 * The valid-transition table of the voice session, written once: for each state, the events it
 * accepts and the states each may lead to (the reducer's guards pick one). An event missing from
 * a state's row is an {@link InvalidTransitionError}; so is a guard that would leave the row.
 *
 * @example
 * ```ts
 * import { SESSION_TRANSITIONS } from '@argentum/core';
 *
 * console.log(SESSION_TRANSITIONS.speaking['user-speech-start']); // ['speaking', 'barged-in']
 * ```
 */
export const SESSION_TRANSITIONS: Readonly<
  Record<SessionStatus, Readonly<Partial<Record<SessionEventType, readonly SessionStatus[]>>>>
> = deepFreeze({
  idle: {
    start: ['listening'],
    stop: ['terminated'],
  },
  listening: {
    'user-message': ['thinking'],
    'user-speech-start': ['listening'],
    'user-speech-pause': ['listening'],
    'user-speech-resume': ['listening'],
    'user-speech-end': ['listening', 'thinking'],
    'transcript-partial': ['listening'],
    'transcript-final': ['listening', 'thinking'],
    'reply-ready': ['listening', 'thinking'],
    'reply-failed': ['listening'],
    'audio-end': ['listening'],
    'audio-cancel': ['listening'],
    interrupt: ['listening'],
    tick: ['listening'],
    stop: ['terminated'],
  },
  thinking: {
    'user-message': ['thinking'],
    'user-speech-start': ['barged-in'],
    'user-speech-pause': ['thinking'],
    'user-speech-resume': ['thinking'],
    'user-speech-end': ['thinking'],
    'transcript-partial': ['thinking'],
    'transcript-final': ['thinking'],
    'reply-ready': ['thinking'],
    'reply-failed': ['thinking', 'listening'],
    'audio-start': ['speaking'],
    'audio-end': ['thinking', 'listening'],
    'audio-cancel': ['thinking', 'listening'],
    interrupt: ['listening'],
    tick: ['thinking'],
    stop: ['terminated'],
  },
  speaking: {
    'user-message': ['thinking'],
    'user-speech-start': ['speaking', 'barged-in'],
    'user-speech-pause': ['speaking'],
    'user-speech-resume': ['speaking'],
    'user-speech-end': ['speaking'],
    'transcript-partial': ['speaking'],
    'transcript-final': ['speaking'],
    'reply-ready': ['speaking'],
    'reply-failed': ['speaking'],
    'audio-end': ['speaking', 'listening'],
    'audio-cancel': ['speaking', 'listening'],
    interrupt: ['listening'],
    tick: ['speaking'],
    stop: ['terminated'],
  },
  'barged-in': {
    'user-message': ['thinking'],
    'user-speech-start': ['barged-in', 'listening'],
    'user-speech-pause': ['barged-in', 'listening'],
    'user-speech-resume': ['barged-in', 'listening'],
    'user-speech-end': ['barged-in', 'listening', 'thinking', 'speaking'],
    'transcript-partial': ['barged-in', 'listening', 'thinking', 'speaking'],
    'transcript-final': ['barged-in', 'listening', 'thinking', 'speaking'],
    'reply-ready': ['barged-in'],
    'reply-failed': ['barged-in'],
    'audio-start': ['barged-in'],
    'audio-end': ['barged-in'],
    'audio-cancel': ['barged-in'],
    interrupt: ['listening', 'thinking'],
    tick: ['barged-in', 'listening', 'thinking', 'speaking'],
    stop: ['terminated'],
  },
  terminated: {
    'audio-end': ['terminated'],
    'audio-cancel': ['terminated'],
    'reply-failed': ['terminated'],
    tick: ['terminated'],
  },
});

function deepFreeze<T extends object>(table: T): T {
  for (const row of Object.values(table)) {
    for (const targets of Object.values(row as object)) Object.freeze(targets);
    Object.freeze(row);
  }
  return Object.freeze(table);
}
