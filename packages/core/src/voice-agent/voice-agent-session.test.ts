import { defer, type Observable, of, type SchedulerAction, type SchedulerLike, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../audio/audio-frame';
import { createVirtualClock } from '../clock/virtual-clock';
import { DEFAULT_BACKCHANNEL_WORDS } from '../interrupt/barge-in-words';
import type { SttModel } from '../provider/stt-model';
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
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

const setup = (script: string[], options: Partial<VoiceAgentSessionOptions> = {}) =>
  startTestSession('conv-test', script, options);

const of_ = <T extends VoiceAgentEvent['type']>(events: VoiceAgentEvent[], type: T) =>
  events.filter((event): event is Extract<VoiceAgentEvent, { type: T }> => event.type === type);

describe('VoiceAgentSession', () => {
  it('answers a spoken turn: transcript → agent → paced audio → end, and records both turns', async () => {
    const { clock, session, events } = setup(['hello there']);
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 400, false),
      ...userAudio(400, 600, true),
      ...userAudio(1000, 3000, false),
    ]);
    const transcripts = of_(events, 'user-transcript');
    expect(transcripts.map((event) => event.text)).toEqual(['hello there']);
    const response = of_(events, 'agent-response');
    expect(response.map((event) => event.text)).toEqual(['You said: hello there']);
    const audio = of_(events, 'agent-audio');
    const totalMs = audio.reduce((sum, event) => sum + event.durationMs, 0);
    expect(totalMs).toBeCloseTo(4 * 200, 5); // four words of 200 ms
    // Paced: no chunk goes out more than leadMs (300) ahead of its playback time.
    const start = audio[0]!.at;
    for (const event of audio) expect(event.offsetMs - (event.at - start)).toBeLessThanOrEqual(300 + 1e-6);
    expect(of_(events, 'agent-response-end')).toHaveLength(1);
    const metrics = of_(events, 'turn-metrics')[0]!.metrics;
    expect(metrics.interrupted).toBe(false);
    expect(metrics.endOfUtteranceDelayMs).toBeGreaterThanOrEqual(400);
    expect(metrics.endToEndMs).toBeGreaterThan(metrics.endOfUtteranceDelayMs!);
    expect(metrics.ttsTimeToFirstByteMs).toBe(30);
    await settle();
    const context = await session.context();
    expect(context.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ['user', 'hello there'],
      ['agent', 'You said: hello there'],
    ]);
    expect(session.state).toBe('listening');
  });

  /** A store with only the four required methods: the session falls back to `update` for turns. */
  const updateOnly = (): ContextStore => {
    const inner = new InMemoryContextStore();
    return {
      get: (id) => inner.get(id),
      set: (context) => inner.set(context),
      update: (id, updater) => inner.update(id, updater),
      delete: (id) => inner.delete(id),
    };
  };
  it.each([
    ['appends turns with appendTurn', () => new InMemoryContextStore()],
    ['appends turns through update, for a store without appendTurn', updateOnly],
  ])('%s; the agent gets the context with the user’s turn', async (_name, store) => {
    const seen: string[][] = [];
    const agent: VoiceAgent = {
      name: 'recorder',
      description: 'records the turns it is given',
      handle: (context) => {
        seen.push(context.turns.map((turn) => turn.text));
        return of('noted');
      },
    };
    const { clock, session } = setup(['first', 'second'], { agents: agent, contextStore: store() });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 400, false),
      ...userAudio(400, 600, true),
      ...userAudio(1000, 3000, false),
      ...userAudio(4000, 600, true),
      ...userAudio(4600, 3000, false),
    ]);
    await settle();
    expect(seen).toEqual([['first'], ['first', 'noted', 'second']]);
    const context = await session.context();
    expect(context.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ['user', 'first'],
      ['agent', 'noted'],
      ['user', 'second'],
      ['agent', 'noted'],
    ]);
  });

  it('gives the STT the pre-roll before the onset, then the utterance, as contiguous 20 ms frames', async () => {
    const base = scriptedStt(['hello there']);
    const received: AudioFrame[] = [];
    const stt: SttModel = {
      ...base,
      transcribe: (request, options) =>
        base.transcribe(
          {
            audio: (request.audio as Observable<AudioFrame>).pipe(
              tap((frame) => received.push({ ...frame, samples: frame.samples.slice() })),
            ),
          },
          options,
        ),
    };
    const { clock, session } = setup([], { stt });
    session.start();
    const fed = [
      ...userAudio(0, 1000, false),
      ...userAudio(1000, 600, true),
      ...userAudio(1600, 2000, false),
    ];
    await feed(clock, session, fed);
    const byTime = new Map(fed.map((frame) => [frame.timestamp, frame.samples]));
    expect(received.length).toBeGreaterThan(30);
    // The default pre-roll is 300 ms, counted back from the frame at which the VAD confirmed the
    // onset (a few frames after the true onset at 1000 ms): the STT hears the start of the speech.
    expect(received[0]!.timestamp).toBeGreaterThanOrEqual(1000 - 300);
    expect(received[0]!.timestamp).toBeLessThanOrEqual(1000 - 200);
    received.forEach((frame, index) => {
      if (index > 0) expect(frame.timestamp).toBeCloseTo(received[index - 1]!.timestamp + 20, 6);
      expect([...frame.samples]).toEqual([...byTime.get(frame.timestamp)!]);
    });
    expect(received.at(-1)!.timestamp).toBeGreaterThanOrEqual(1600);
  });

  it('pauses within a frame of the VAD decision, confirms a long barge-in and keeps only the heard words', async () => {
    const long = 'one two three four five six seven eight nine ten';
    const { clock, session, events } = setup(['tell me', 'stop please'], {
      agents: { name: 'talker', description: 'talks', handle: () => of(long) },
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 1000, false),
    ]);
    const started = of_(events, 'agent-audio')[0]!.at;
    const onset = 1700;
    expect(started).toBeLessThan(onset);
    await feed(clock, session, [...userAudio(1700, 900, true), ...userAudio(2600, 1500, false)]);
    const paused = of_(events, 'agent-paused')[0]!;
    expect(paused.at - onset).toBeLessThanOrEqual(80); // VAD onset confirmation (40 ms) + one frame
    const interrupted = of_(events, 'agent-interrupted')[0]!;
    expect(interrupted.at - onset).toBeGreaterThanOrEqual(500);
    expect(interrupted.at - onset).toBeLessThanOrEqual(540);
    // No agent audio between the pause and the confirmation.
    expect(
      of_(events, 'agent-audio').filter((event) => event.at > paused.at && event.at <= interrupted.at),
    ).toEqual([]);
    expect(long.startsWith(interrupted.heardText)).toBe(true);
    const heardWords = interrupted.heardText.split(' ').length;
    expect(heardWords).toBe(Math.floor(paused.positionMs / 200));
    const metrics = of_(events, 'turn-metrics')[0]!.metrics;
    expect(metrics.interrupted).toBe(true);
    expect(metrics.pauseLatencyMs).toBe(paused.at - onset);
    expect(metrics.tailMs).toBe(0);
    await settle();
    const context = await session.context();
    const agentTurn = context.turns.find((turn) => turn.role === 'agent')!;
    expect(agentTurn).toMatchObject({ text: interrupted.heardText, interrupted: true });
    expect(context.turns.at(-1)).toMatchObject({ role: 'user', text: 'stop please' });
  });

  it('resumes from the paused position after a false interruption (short noise, empty transcript)', async () => {
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
    const paused = of_(events, 'agent-paused')[0]!;
    const resumed = of_(events, 'agent-resumed')[0]!;
    expect(resumed.positionMs).toBe(paused.positionMs);
    expect(resumed.segment).toBe(1);
    expect(of_(events, 'agent-interrupted')).toEqual([]);
    const end = of_(events, 'agent-response-end')[0]!;
    expect(end.text).toBe('a b c d e f g h');
    // Audio after the resume starts at the paused position and carries the new segment.
    const after = of_(events, 'agent-audio').filter((event) => event.segment === 1);
    expect(after[0]!.offsetMs).toBeCloseTo(paused.positionMs, 5);
    expect(after.at(-1)!.offsetMs + after.at(-1)!.durationMs).toBeCloseTo(8 * 200, 5);
  });

  it('treats a backchannel as a false interruption (with a backchannel list)', async () => {
    const { clock, session, events } = setup(['go on', 'uh-huh'], {
      agents: { name: 'talker', description: 'talks', handle: () => of('a b c d e f g h') },
      bargeIn: { backchannelWords: DEFAULT_BACKCHANNEL_WORDS },
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 1000, false),
    ]);
    await feed(clock, session, [...userAudio(1700, 300, true), ...userAudio(2000, 3000, false)]);
    expect(of_(events, 'agent-resumed')).toHaveLength(1);
    expect(of_(events, 'user-transcript').map((event) => event.text)).toEqual(['go on']);
    expect(of_(events, 'agent-response-end')).toHaveLength(1);
  });

  it('holds a reply when the user speaks before its first audio, and plays it after a false interruption', async () => {
    const { clock, session, events } = setup(['question', ''], {
      tts: toneTts({ msPerWord: 200, firstByteMs: 400 }),
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 500, true),
      ...userAudio(700, 500, false),
    ]);
    // Turn committed at ≈ 700 + 400 + 50; the user coughs before the TTS's first byte.
    await feed(clock, session, [...userAudio(1200, 100, true), ...userAudio(1300, 3000, false)]);
    const states = of_(events, 'state').map((event) => event.state);
    expect(states).toContain('barged-in');
    expect(of_(events, 'agent-paused')).toEqual([]);
    expect(of_(events, 'agent-response-end').map((event) => event.text)).toEqual(['You said: question']);
  });

  it('never plays a reply made for an outdated turn', async () => {
    let calls = 0;
    const slow: VoiceAgent = {
      name: 'slow',
      description: 'slow',
      handle: (_context, transcript) => defer(() => of(`reply ${++calls} to ${transcript}`)),
    };
    const { clock, session, events } = setup(['first', 'second part'], {
      agents: slow,
      tts: toneTts({ msPerWord: 100, firstByteMs: 600 }),
      bargeIn: { minSpeechDurationMs: 200 },
    });
    session.start();
    await feed(clock, session, [
      ...userAudio(0, 200, false),
      ...userAudio(200, 400, true),
      ...userAudio(600, 500, false),
    ]);
    await feed(clock, session, [...userAudio(1100, 500, true), ...userAudio(1600, 3000, false)]);
    const texts = of_(events, 'agent-response-end').map((event) => event.text);
    expect(texts).toEqual(['reply 2 to second part']);
    expect(of_(events, 'agent-audio').every((event) => event.responseId === 'response-2')).toBe(true);
  });

  it('speaks the first message, answers typed messages and keeps contextual updates out of the turns', async () => {
    const seen: string[][] = [];
    const recorder: VoiceAgent = {
      name: 'recorder',
      description: 'records',
      handle: (context, transcript) => {
        seen.push(context.contextualUpdates);
        return of(`ok ${transcript}`);
      },
    };
    const { clock, session, events } = setup([], { agents: recorder, firstMessage: 'Hello!' });
    session.start();
    clock.advanceBy(1000);
    await settle();
    expect(of_(events, 'agent-response-end').map((event) => event.text)).toEqual(['Hello!']);
    session.addContextualUpdate('User is on the pricing page');
    session.sendUserMessage('price?');
    await settle();
    clock.advanceBy(2000);
    await settle();
    expect(of_(events, 'agent-response-end').map((event) => event.text)).toEqual(['Hello!', 'ok price?']);
    expect(seen).toEqual([['User is on the pricing page']]);
  });

  it('runs a client tool call round trip and asks the agent again with the result', async () => {
    let round = 0;
    const tooling: VoiceAgent = {
      name: 'tooling',
      description: 'uses tools',
      handle: (context) => {
        round++;
        if (round === 1)
          return of({
            type: 'tool-call' as const,
            toolCallId: 'call-1',
            toolName: 'lookup',
            parameters: { q: 1 },
          });
        const result = context.turns.find((turn) => turn.role === 'tool')?.text;
        return of(`result is ${result}`);
      },
    };
    const { clock, session, events } = setup([], { agents: tooling, tts: undefined });
    session.start();
    session.sendUserMessage('look it up');
    await settle();
    const call = of_(events, 'client-tool-call')[0]!;
    expect(call).toMatchObject({ toolName: 'lookup', parameters: { q: 1 } });
    expect(session.resolveToolCall('call-1', '42', false)).toBe(true);
    expect(session.resolveToolCall('call-1', '42', false)).toBe(false);
    await settle();
    clock.advanceBy(10);
    await settle();
    expect(of_(events, 'agent-response-end').map((event) => event.text)).toEqual(['result is 42']);
  });

  it('reports provider failures as error events and keeps listening', async () => {
    const failing: VoiceAgent = {
      name: 'failing',
      description: 'fails',
      handle: () => defer(() => Promise.reject(new Error('llm down'))),
    };
    const { session, events } = setup([], { agents: failing });
    session.start();
    session.sendUserMessage('hi');
    await settle();
    const error = of_(events, 'error')[0]!;
    expect(error.stage).toBe('agent');
    expect(session.state).toBe('listening');
  });

  it('resamples 48 kHz stereo input to the VAD rate (16 kHz) for the VAD and the STT', async () => {
    const stt = scriptedStt(['in stereo'], 50);
    const { clock, session, events } = setup([], { stt });
    session.start();
    const stereo = (frames: AudioFrame[]) =>
      frames.map((frame) => {
        const up = new Int16Array(frame.samples.length * 3 * 2);
        for (let index = 0; index < frame.samples.length * 3; index++) {
          const value = frame.samples[Math.floor(index / 3)]!;
          up[2 * index] = value;
          up[2 * index + 1] = value;
        }
        return { samples: up, sampleRate: 48000 as const, channels: 2 as const, timestamp: frame.timestamp };
      });
    await feed(
      clock,
      session,
      stereo([...userAudio(0, 200, false), ...userAudio(200, 600, true), ...userAudio(800, 1000, false)]),
    );
    expect(of_(events, 'user-transcript').map((event) => event.text)).toEqual(['in stereo']);
    expect(stt.rates.length).toBeGreaterThan(0);
    expect(new Set(stt.rates)).toEqual(new Set([16000]));
  });

  it('keeps its output ticks on their grid when each runs late (no drift behind the playback clock)', async () => {
    const clock = createVirtualClock();
    // Every timed action runs 3 ms after it was due, as on a busy event loop.
    const late: SchedulerLike = {
      now: () => clock.scheduler.now(),
      schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T) {
        return clock.scheduler.schedule(work, delay + 3, state);
      },
    };
    const { session, events } = setup([], { scheduler: late });
    session.start();
    session.sendUserMessage('one two three four five six seven eight');
    await settle();
    for (let elapsed = 0; elapsed < 4000; elapsed += 10) {
      clock.advanceBy(10);
      await settle();
    }
    const audio = of_(events, 'agent-audio');
    expect(audio.length).toBeGreaterThan(15);
    const first = audio[0]!.at;
    // Tick k runs at k periods after the first, plus that one tick's lateness — not k of them.
    for (const [index, event] of audio.entries()) {
      expect(event.at - first - index * 100).toBeLessThanOrEqual(3);
    }
  });

  it('closes cleanly: events complete and late input is ignored', () => {
    const { session } = setup([]);
    let completed = false;
    session.events.subscribe({ complete: () => (completed = true) });
    session.start();
    session.close();
    expect(completed).toBe(true);
    expect(session.state).toBe('terminated');
    session.pushAudio(userAudio(0, 20, true)[0]!);
    session.sendUserMessage('ignored');
  });
});
