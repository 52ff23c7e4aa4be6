import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { InvalidTransitionError } from './invalid-transition-error';
import { reduceSession, type SessionStep } from './reduce-session';
import type { SessionEffect } from './session-effect';
import type { SessionEvent } from './session-event';
import { createSessionState, type SessionState, type SessionStateOptions } from './session-state';
import { SESSION_TRANSITIONS } from './session-transitions';

function run(events: SessionEvent[], options: SessionStateOptions = {}, from?: SessionState) {
  let state = from ?? createSessionState(options);
  const steps: SessionStep[] = [];
  for (const event of events) {
    const step = reduceSession(state, event);
    steps.push(step);
    state = step.state;
  }
  return { state, steps, effects: steps.flatMap((step) => step.effects) };
}

const types = (effects: readonly SessionEffect[]) => effects.map((effect) => effect.type);

/** A session whose agent is speaking reply `r1` (made for version 1) since t = 2000. */
function speaking(options: SessionStateOptions = {}) {
  return run(
    [
      { type: 'start', at: 0 },
      { type: 'user-speech-start', at: 120, onsetAt: 100 },
      { type: 'user-speech-end', at: 1300 },
      { type: 'transcript-final', at: 1400, text: 'What is the weather?' },
      { type: 'reply-ready', at: 1800, replyId: 'r1', contextVersion: 1 },
      { type: 'audio-start', at: 2000, replyId: 'r1' },
    ],
    options,
  );
}

describe('reduceSession', () => {
  it('runs a turn: listening → thinking on the final transcript → speaking only on audio-start → listening', () => {
    const { state, steps, effects } = speaking();
    expect(steps.map((step) => step.state.status)).toEqual([
      'listening',
      'listening',
      'listening',
      'thinking',
      'thinking',
      'speaking',
    ]);
    expect(effects).toEqual([
      { type: 'request-transcript' },
      { type: 'start-reply', contextVersion: 1, transcript: 'What is the weather?' },
      { type: 'play-reply', replyId: 'r1' },
    ]);
    expect(steps[3]?.transition).toMatchObject({
      from: 'listening',
      to: 'thinking',
      reason: 'turn-committed',
    });
    const end = reduceSession(state, { type: 'audio-end', at: 5000, replyId: 'r1', heardText: 'Sunny.' });
    expect(end.state.status).toBe('listening');
    expect(end.effects).toEqual([
      { type: 'commit-agent-turn', replyId: 'r1', heardText: 'Sunny.', interrupted: false },
    ]);
  });

  it('never says speaking before audio goes out, and rejects audio-start for a reply it did not queue', () => {
    const ready = run([
      { type: 'start', at: 0 },
      { type: 'reply-ready', at: 10, replyId: 'greeting', contextVersion: 0 },
    ]);
    expect(ready.state.status).toBe('thinking');
    expect(ready.effects).toEqual([{ type: 'play-reply', replyId: 'greeting' }]);
    const rogue = { type: 'audio-start', at: 20, replyId: 'other' } as const;
    expect(() => reduceSession(ready.state, rogue)).toThrow(InvalidTransitionError);
    try {
      reduceSession(ready.state, rogue);
    } catch (error) {
      expect(InvalidTransitionError.isInstance(error)).toBe(true);
      const transition = error as InvalidTransitionError;
      expect([transition.from, transition.to, transition.event]).toEqual(['thinking', 'speaking', rogue]);
    }
  });

  it('discards a reply made for an outdated user turn: it never plays', () => {
    const first = run([
      { type: 'start', at: 0 },
      { type: 'user-speech-start', at: 20, onsetAt: 0 },
      { type: 'user-speech-end', at: 900 },
      { type: 'transcript-final', at: 1000, text: 'Book a table.' },
      // the user adds something before the reply is ready: a confirmed barge-in
      { type: 'user-speech-start', at: 1220, onsetAt: 1200 },
      { type: 'tick', at: 1700 },
    ]);
    expect(first.state.status).toBe('listening');
    expect(first.state.contextVersion).toBe(2);
    expect(types(first.effects)).toContain('cancel-reply');
    const late = reduceSession(first.state, {
      type: 'reply-ready',
      at: 1800,
      replyId: 'r1',
      contextVersion: 1,
    });
    expect(late.effects).toEqual([{ type: 'discard-reply', replyId: 'r1', reason: 'stale' }]);
    expect(late.state).toBe(first.state);
  });

  it('pauses on user speech over the agent, then confirms after 500 ms of voiced speech', () => {
    const { state } = speaking();
    const { steps, effects } = run(
      [
        { type: 'user-speech-start', at: 3020, onsetAt: 3000 },
        { type: 'tick', at: 3500 },
      ],
      {},
      state,
    );
    expect(steps[0]?.state.status).toBe('barged-in');
    expect(steps[0]?.effects).toEqual([{ type: 'pause-output' }, { type: 'schedule-tick', at: 3500 }]);
    expect(steps[1]?.transition).toMatchObject({ from: 'barged-in', to: 'listening', reason: 'min-speech' });
    expect(types(effects)).toEqual([
      'pause-output',
      'schedule-tick',
      'cancel-reply',
      'resume-output',
      'emit-metrics',
      'cancel-tick',
    ]);
    expect(effects[2]).toEqual({
      type: 'cancel-reply',
      replyId: 'r1',
      contextVersion: 1,
      reason: 'barge-in',
    });
    expect(effects[4]).toMatchObject({
      metrics: {
        outcome: 'confirmed',
        onsetAt: 3000,
        detectedAt: 3020,
        resolvedAt: 3500,
        beforeFirstAudio: false,
      },
    });
    expect(steps[1]?.state.user.speaking).toBe(true);
  });

  it('a false interruption resumes the agent from where it paused', () => {
    const { state } = speaking();
    const { steps, state: after } = run(
      [
        { type: 'user-speech-start', at: 3020, onsetAt: 3000 },
        { type: 'user-speech-pause', at: 3200 },
        { type: 'user-speech-end', at: 3500 },
        { type: 'tick', at: 5500 },
      ],
      {},
      state,
    );
    expect(steps.map((step) => step.state.status)).toEqual([
      'barged-in',
      'barged-in',
      'barged-in',
      'speaking',
    ]);
    expect(steps[2]?.effects).toEqual([{ type: 'schedule-tick', at: 5500 }]);
    expect(types(steps[3]!.effects)).toEqual(['resume-output', 'emit-metrics', 'cancel-tick']);
    expect(steps[3]?.transition?.reason).toBe('timeout');
    expect(after.reply).toMatchObject({ id: 'r1', phase: 'playing' });
  });

  it('ignores speech that starts within the echo warm-up after the agent starts', () => {
    const { state } = speaking({ bargeIn: { echoWarmupMs: 300 } });
    const echo = reduceSession(state, { type: 'user-speech-start', at: 2120, onsetAt: 2100 });
    expect(echo.state.status).toBe('speaking');
    expect(echo.effects).toEqual([]);
    expect(echo.state.user.echo).toBe(true);
    const later = reduceSession(state, { type: 'user-speech-start', at: 2320, onsetAt: 2300 });
    expect(later.state.status).toBe('barged-in');
  });

  it('an interruption before the first audio frame keeps the reply and resumes it when false', () => {
    const thinking = run([
      { type: 'start', at: 0 },
      { type: 'user-speech-start', at: 20, onsetAt: 0 },
      { type: 'user-speech-end', at: 900 },
      { type: 'transcript-final', at: 1000, text: 'Hello?' },
      { type: 'reply-ready', at: 1100, replyId: 'r1', contextVersion: 1 },
    ]);
    const { steps, state } = run(
      [
        { type: 'user-speech-start', at: 1120, onsetAt: 1100 },
        { type: 'user-speech-end', at: 1300 },
        { type: 'transcript-final', at: 1350, text: '' },
        { type: 'audio-start', at: 1400, replyId: 'r1' },
      ],
      {},
      thinking.state,
    );
    expect(steps[0]?.effects[0]).toEqual({ type: 'pause-output' });
    expect(steps[0]?.transition?.reason).toBe('before-first-audio');
    expect(steps.map((step) => step.state.status)).toEqual([
      'barged-in',
      'barged-in',
      'thinking',
      'speaking',
    ]);
    expect(steps[2]?.transition?.reason).toBe('no-words');
    expect(steps[2]?.effects[1]).toMatchObject({ metrics: { outcome: 'resumed', beforeFirstAudio: true } });
    expect(state.reply?.id).toBe('r1');
  });

  it('an interruption before the first audio frame, when confirmed, cancels the reply explicitly', () => {
    const thinking = run([
      { type: 'start', at: 0 },
      { type: 'user-speech-start', at: 20, onsetAt: 0 },
      { type: 'user-speech-end', at: 900 },
      { type: 'transcript-final', at: 1000, text: 'Hello?' },
    ]);
    // the reply is still being produced when the user speaks again
    const { effects, state } = run(
      [
        { type: 'user-speech-start', at: 1120, onsetAt: 1100 },
        { type: 'transcript-partial', at: 1250, text: 'actually' },
      ],
      {},
      thinking.state,
    );
    expect(state.status).toBe('listening');
    expect(effects).toContainEqual({
      type: 'cancel-reply',
      replyId: undefined,
      contextVersion: 1,
      reason: 'barge-in',
    });
    expect(state.user.partial).toBe('actually');
  });

  it('a reply that arrives during a barge-in is kept (queued behind the paused output)', () => {
    const thinking = run([
      { type: 'start', at: 0 },
      { type: 'user-speech-start', at: 20, onsetAt: 0 },
      { type: 'user-speech-end', at: 900 },
      { type: 'transcript-final', at: 1000, text: 'Hello?' },
      { type: 'user-speech-start', at: 1120, onsetAt: 1100 },
    ]);
    const ready = reduceSession(thinking.state, {
      type: 'reply-ready',
      at: 1150,
      replyId: 'r1',
      contextVersion: 1,
    });
    expect(ready.effects).toEqual([{ type: 'play-reply', replyId: 'r1' }]);
    expect(ready.state.status).toBe('barged-in');
  });

  it('confirming by words after the user stopped commits the interrupting words as the next turn', () => {
    const { state } = speaking();
    const { state: after, effects } = run(
      [
        { type: 'user-speech-start', at: 3020, onsetAt: 3000 },
        { type: 'user-speech-pause', at: 3300 },
        { type: 'user-speech-end', at: 3600 },
        { type: 'transcript-final', at: 3650, text: 'Stop.' },
      ],
      {},
      state,
    );
    expect(after.status).toBe('thinking');
    expect(after.contextVersion).toBe(3);
    expect(effects).toContainEqual({ type: 'start-reply', contextVersion: 3, transcript: 'Stop.' });
  });

  it('backchannels never interrupt: a final "uh-huh" resumes at once', () => {
    const { state } = speaking({ bargeIn: { backchannelWords: ['uh-huh', 'yeah'] } });
    const { steps } = run(
      [
        { type: 'user-speech-start', at: 3020, onsetAt: 3000 },
        { type: 'transcript-partial', at: 3300, text: 'uh' },
        { type: 'tick', at: 3500 },
        { type: 'user-speech-end', at: 3900 },
        { type: 'transcript-final', at: 3950, text: 'Uh-huh.' },
      ],
      {},
      state,
    );
    expect(steps.map((step) => step.state.status)).toEqual([
      'barged-in',
      'barged-in',
      'barged-in',
      'barged-in',
      'speaking',
    ]);
    expect(steps[4]?.transition?.reason).toBe('backchannel');
  });

  it('an app interrupt cuts the agent and outdates the reply; stop terminates from any state', () => {
    const { state } = speaking();
    const interrupted = reduceSession(state, { type: 'interrupt', at: 3000 });
    expect(interrupted.state.status).toBe('listening');
    expect(interrupted.effects).toEqual([
      { type: 'cancel-reply', replyId: 'r1', contextVersion: 1, reason: 'interrupt' },
    ]);
    expect(interrupted.state.contextVersion).toBe(2);
    const stopped = reduceSession(state, { type: 'stop', at: 3000 });
    expect(stopped.state.status).toBe('terminated');
    expect(types(stopped.effects)).toEqual(['cancel-reply']);
    // late playback reports are accepted; anything else is an invalid transition
    const late = reduceSession(stopped.state, {
      type: 'audio-cancel',
      at: 3001,
      replyId: 'r1',
      heardText: 'It is',
    });
    expect(late.effects).toEqual([
      { type: 'commit-agent-turn', replyId: 'r1', heardText: 'It is', interrupted: true },
    ]);
    expect(() => reduceSession(stopped.state, { type: 'start', at: 3002 })).toThrow(InvalidTransitionError);
  });

  it('a typed user message takes the turn from any live state: the reply is cancelled, a new one requested', () => {
    const listening = run([{ type: 'start', at: 0 }]).state;
    const typed = reduceSession(listening, { type: 'user-message', at: 10, text: '  Opening hours? ' });
    expect(typed.transition).toMatchObject({ from: 'listening', to: 'thinking', reason: 'user-message' });
    expect(typed.effects).toEqual([{ type: 'start-reply', contextVersion: 1, transcript: 'Opening hours?' }]);

    const { state } = speaking();
    const over = reduceSession(state, { type: 'user-message', at: 2500, text: 'Stop, new question' });
    expect(over.transition).toMatchObject({ from: 'speaking', to: 'thinking', reason: 'user-message' });
    expect(over.effects).toEqual([
      { type: 'cancel-reply', replyId: 'r1', contextVersion: 1, reason: 'interrupt' },
      { type: 'start-reply', contextVersion: 3, transcript: 'Stop, new question' },
    ]);
    // the cancelled reply's late report is still committed (what was heard), without leaving `thinking`
    const late = reduceSession(over.state, {
      type: 'audio-cancel',
      at: 2510,
      replyId: 'r1',
      heardText: 'It',
    });
    expect(late.state.status).toBe('thinking');
    expect(types(late.effects)).toEqual(['commit-agent-turn']);

    const bargedIn = reduceSession(state, { type: 'user-speech-start', at: 3020, onsetAt: 3000 }).state;
    const during = reduceSession(bargedIn, { type: 'user-message', at: 3100, text: 'Never mind' });
    expect(during.transition).toMatchObject({ from: 'barged-in', to: 'thinking' });
    expect(types(during.effects)).toEqual([
      'cancel-reply',
      'resume-output',
      'emit-metrics',
      'start-reply',
      'cancel-tick',
    ]);
    expect(during.state.bargeIn).toBeUndefined();
    expect(() => reduceSession(listening, { type: 'user-message', at: 20, text: '  ' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => reduceSession(createSessionState(), { type: 'user-message', at: 0, text: 'hi' })).toThrow(
      InvalidTransitionError,
    );
  });

  it('rejects start twice and speech before start with typed errors', () => {
    const idle = createSessionState();
    expect(() => reduceSession(idle, { type: 'user-speech-start', at: 0, onsetAt: 0 })).toThrow(
      /Invalid session transition on 'user-speech-start' in state 'idle'/,
    );
    const listening = reduceSession(idle, { type: 'start', at: 0 }).state;
    try {
      reduceSession(listening, { type: 'start', at: 1 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTransitionError);
      expect((error as InvalidTransitionError).from).toBe('listening');
      expect((error as InvalidTransitionError).to).toBeUndefined();
    }
    expect(() => reduceSession(listening, { type: 'tick', at: Number.NaN })).toThrow(InvalidArgumentError);
  });

  it('the table lists every state and only known states as targets', () => {
    const statuses = Object.keys(SESSION_TRANSITIONS);
    expect(statuses).toEqual(['idle', 'listening', 'thinking', 'speaking', 'barged-in', 'terminated']);
    for (const row of Object.values(SESSION_TRANSITIONS)) {
      for (const targets of Object.values(row)) {
        for (const target of targets ?? []) expect(statuses).toContain(target);
      }
    }
    expect(Object.isFrozen(SESSION_TRANSITIONS.speaking)).toBe(true);
  });
});
