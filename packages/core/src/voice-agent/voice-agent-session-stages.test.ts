import { finalize, isObservable, map, merge, NEVER, Observable, of, take, throwError, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SttModel } from '../provider/stt-model';
import type { TtsModel } from '../provider/tts-model';
import type { ContextStore } from './context-store';
import {
  feed,
  scriptedStt,
  settle,
  startTestSession,
  toneTts,
  userAudio,
} from './fake-voice-models.test-support';
import { InMemoryContextStore } from './in-memory-context-store';
import type { VoiceAgent } from './voice-agent';
import type { VoiceAgentEvent } from './voice-agent-events';
import { VoiceAgentRegistry } from './voice-agent-registry';
import type { VoiceAgentRouter } from './voice-agent-router';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

const of_ = <T extends VoiceAgentEvent['type']>(events: VoiceAgentEvent[], type: T) =>
  events.filter((event): event is Extract<VoiceAgentEvent, { type: T }> => event.type === type);

const say = (name: string, text: string, onHandle?: () => void): VoiceAgent => ({
  name,
  description: name,
  handle: () => {
    onHandle?.();
    return of(text);
  },
});

/** An agent whose answer never comes; `onCancel` runs when its stream is unsubscribed. */
const neverAnswers = (name: string, onCancel: () => void): VoiceAgent => ({
  name,
  description: 'never answers',
  handle: () => NEVER.pipe(finalize(onCancel)),
});

/** The tone TTS reading the session's text through `read` (which may also watch it). */
const ttsReading = (read: (text: Observable<string>) => Observable<string>): TtsModel => {
  const base = toneTts();
  return {
    ...base,
    synthesize: (request, options) => {
      const text = request.text;
      if (!isObservable(text)) throw new Error('the session streams its text');
      return base.synthesize({ ...request, text: read(text) }, options);
    },
  };
};

const routeTo = (route: VoiceAgentRouter['route']): VoiceAgentRouter => ({ route });

/** Sends one typed message and returns the session's events once it settled. */
async function ask(options: Partial<VoiceAgentSessionOptions>) {
  const { clock, session, events } = startTestSession('conv-stages', [], options);
  session.start();
  session.sendUserMessage('hi');
  await settle();
  clock.advanceBy(3000);
  await settle();
  return { session, events };
}

describe('VoiceAgentSession reply stages', () => {
  const failingStore: ContextStore = Object.assign(new InMemoryContextStore(), {
    update: () => Promise.reject(new Error('store down')),
    appendTurn: () => Promise.reject(new Error('store down')),
  });
  const cases: [string, Partial<VoiceAgentSessionOptions>][] = [
    ['context', { contextStore: failingStore }],
    ['route', { router: routeTo(() => throwError(() => new Error('router down'))) }],
    [
      'route',
      {
        router: routeTo(() => {
          throw new Error('router threw');
        }),
      },
    ],
    ['agent', { router: routeTo(() => of({ agent: 'nobody', reason: 'typo' })) }],
    [
      'agent',
      {
        agents: {
          name: 'thrower',
          description: 'throws',
          handle: () => {
            throw new Error('agent threw');
          },
        },
      },
    ],
    [
      'tts',
      {
        tts: { ...toneTts(), synthesize: () => throwError(() => new Error('tts down')) } satisfies TtsModel,
      },
    ],
  ];
  it.each(cases)(
    'reports a failure of the %s stage as its error and keeps listening',
    async (stage, options) => {
      const { session, events } = await ask(options);
      // Every error is the stage's (a failing store also fails the session's own context writes).
      expect(new Set(of_(events, 'error').map((event) => event.stage))).toEqual(new Set([stage]));
      expect(of_(events, 'agent-audio')).toEqual([]);
      expect(session.state).toBe('listening');
    },
  );

  it.each([
    [
      'throws',
      () => {
        throw new Error('stt threw');
      },
    ],
    ['fails', () => throwError(() => new Error('stt down'))],
  ])('reports an STT that %s as an stt error and goes on listening', async (_, transcribe) => {
    const { clock, session, events } = startTestSession('conv-stt', [], {
      stt: { ...scriptedStt([]), transcribe } as SttModel,
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 400, false),
      ...userAudio(400, 600, true),
      ...userAudio(1000, 1500, false),
    ]);
    expect(of_(events, 'error').map((event) => event.stage)).toEqual(['stt']);
    expect(of_(events, 'agent-response')).toEqual([]);
    expect(session.state).toBe('listening');
  });

  it('runs the agent once for a TTS that reads the text twice', async () => {
    let handled = 0;
    const seen: string[] = [];
    const twice = ttsReading((text) => {
      merge(text.pipe(map((delta) => `a:${delta}`)), text.pipe(map((delta) => `b:${delta}`))).subscribe(
        (read) => seen.push(read),
      );
      return text;
    });
    const { session, events } = await ask({ tts: twice, agents: say('once', 'fine', () => handled++) });
    expect(handled).toBe(1);
    expect(seen).toEqual(['a:fine', 'b:fine']);
    expect(of_(events, 'agent-response').map((event) => event.text)).toEqual(['fine']);
    const context = await session.context();
    expect(context.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ['user', 'hi'],
      ['agent', 'fine'],
    ]);
  });

  it('cancels an agent that answered while subscribing once the TTS has read enough', async () => {
    let tornDown = false;
    const eager: VoiceAgent = {
      name: 'eager',
      description: 'answers at once and keeps its stream open',
      handle: () =>
        new Observable<string>((subscriber) => {
          subscriber.next('hello');
          return () => {
            tornDown = true;
          };
        }),
    };
    const firstDeltaOnly = ttsReading((text) => text.pipe(take(1)));
    const { events } = await ask({ agents: eager, tts: firstDeltaOnly });
    expect(tornDown).toBe(true);
    expect(of_(events, 'agent-audio').length).toBeGreaterThan(0);
    expect(of_(events, 'error')).toEqual([]);
  });

  it('switches to the agent of a later routing decision, cancelling the earlier one', async () => {
    let firstCancelled = false;
    const slow = neverAnswers('slow', () => (firstCancelled = true));
    const agents = new VoiceAgentRegistry([slow, say('quick', 'quick answer')]);
    const router = routeTo((_transcript, _context, _registry, options) =>
      merge(
        of({ agent: 'slow', reason: 'first guess' }),
        timer(100, options?.scheduler).pipe(map(() => ({ agent: 'quick', reason: 'second thought' }))),
      ),
    );
    const { clock, session, events } = startTestSession('conv-switch', [], { agents, router });
    session.start();
    session.sendUserMessage('hi');
    await settle();
    expect(firstCancelled).toBe(false);
    clock.advanceBy(3000);
    await settle();
    expect(firstCancelled).toBe(true);
    expect(of_(events, 'agent-response').map((event) => event.text)).toEqual(['quick answer']);
  });

  it('cancels the agent when the session closes before it answered', async () => {
    let cancelled = false;
    const { session } = await ask({ agents: neverAnswers('waiting', () => (cancelled = true)) });
    expect(cancelled).toBe(false);
    session.close();
    expect(cancelled).toBe(true);
  });
});
