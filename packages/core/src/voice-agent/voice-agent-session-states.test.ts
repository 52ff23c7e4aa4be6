import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { SESSION_TRANSITIONS } from '../session/session-transitions';
import { feed, settle, startTestSession, toneTts, userAudio } from './fake-voice-models.test-support';
import type { VoiceAgentEvent, VoiceAgentStateEvent } from './voice-agent-events';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

const setup = (script: string[], options: Partial<VoiceAgentSessionOptions> = {}) =>
  startTestSession('conv-states', script, options);

const stateEvents = (events: VoiceAgentEvent[]) =>
  events.filter((event): event is VoiceAgentStateEvent => event.type === 'state');

/** Every reported change of state is one the core reducer's table allows (for some event). */
function expectInTable(events: VoiceAgentEvent[]): void {
  for (const { previous, state } of stateEvents(events)) {
    const targets = Object.values(SESSION_TRANSITIONS[previous]).flat();
    expect(targets, `${previous} → ${state}`).toContain(state);
  }
}

const long = 'one two three four five six seven eight nine ten';

describe('VoiceAgentSession states come from the core session reducer', () => {
  it('a normal turn: idle → listening → thinking → speaking → listening', async () => {
    const { clock, session, events } = setup(['hello there']);
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 400, false),
      ...userAudio(400, 600, true),
      ...userAudio(1000, 3000, false),
    ]);
    expect(stateEvents(events).map((event) => [event.previous, event.state])).toEqual([
      ['idle', 'listening'],
      ['listening', 'thinking'],
      ['thinking', 'speaking'],
      ['speaking', 'listening'],
    ]);
    expectInTable(events);
    session.close();
    expect(stateEvents(events).at(-1)).toMatchObject({ previous: 'listening', state: 'terminated' });
  });

  it('a confirmed barge-in: speaking → barged-in → listening, then the new turn', async () => {
    const { clock, session, events } = setup(['tell me', 'stop please'], {
      agents: { name: 'talker', description: 'talks', handle: (_context, text) => of(`${long} ${text}`) },
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 1000, false),
    ]);
    await feed(clock, session, [...userAudio(1700, 900, true), ...userAudio(2600, 6000, false)]);
    expect(stateEvents(events).map((event) => event.state)).toEqual([
      'listening',
      'thinking',
      'speaking',
      'barged-in',
      'listening', // confirmed: the reply is cancelled (`cancel-reply`)
      'thinking', // 'stop please' committed
      'speaking',
      'listening',
    ]);
    expect(events.filter((event) => event.type === 'agent-interrupted')).toHaveLength(1);
    expectInTable(events);
  });

  it('a false interruption: speaking → barged-in → speaking (resumed) → listening', async () => {
    const { clock, session, events } = setup(['say something long', ''], {
      agents: { name: 'talker', description: 'talks', handle: () => of('a b c d e f g h') },
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 1000, false),
    ]);
    await feed(clock, session, [...userAudio(1700, 200, true), ...userAudio(1900, 3000, false)]);
    expect(stateEvents(events).map((event) => event.state)).toEqual([
      'listening',
      'thinking',
      'speaking',
      'barged-in',
      'speaking',
      'listening',
    ]);
    expect(events.filter((event) => event.type === 'agent-resumed')).toHaveLength(1);
    expectInTable(events);
  });

  it('a stale reply (a greeting still in synthesis when the user takes the turn) never plays', async () => {
    const { clock, session, events } = setup(['what time is it'], {
      tts: toneTts({ msPerWord: 200, firstByteMs: 1500 }),
      firstMessage: 'Welcome to the shop!',
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 6000, false),
    ]);
    // The greeting (response-1) was made for context version 0; the user's turn raised it to 1
    // before the greeting's first audio: the reducer discarded it (`discard-reply`, stale).
    expect(stateEvents(events).map((event) => event.state)).toEqual([
      'listening',
      'thinking',
      'speaking',
      'listening',
    ]);
    const audio = events.filter((event) => event.type === 'agent-audio');
    expect(audio.length).toBeGreaterThan(0);
    expect(audio.every((event) => event.responseId === 'response-2')).toBe(true);
    expect(events.filter((event) => event.type === 'agent-response-end').map((event) => event.text)).toEqual([
      'You said: what time is it',
    ]);
    await settle();
    const { turns } = await session.context();
    expect(turns.map((turn) => turn.text)).toEqual(['what time is it', 'You said: what time is it']);
    expectInTable(events);
  });

  it('a typed message while the agent speaks takes the turn through the reducer (speaking → thinking)', async () => {
    const { clock, session, events } = setup([], {
      agents: { name: 'talker', description: 'talks', handle: (_context, text) => of(`${long} ${text}`) },
    });
    session.start();
    session.sendUserMessage('first');
    await settle();
    clock.advanceBy(500);
    await settle();
    expect(session.state).toBe('speaking');
    session.sendUserMessage('second');
    await settle();
    clock.advanceBy(6000);
    await settle();
    expect(stateEvents(events).map((event) => event.state)).toEqual([
      'listening',
      'thinking',
      'speaking',
      'thinking',
      'speaking',
      'listening',
    ]);
    expect(events.filter((event) => event.type === 'agent-interrupted')).toHaveLength(1);
    expectInTable(events);
  });
});
