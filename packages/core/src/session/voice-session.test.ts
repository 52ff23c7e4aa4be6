import { from, lastValueFrom, map, type Observable, Subject, tap, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import type { AudioSegment } from '../controller/audio-controller';
import { constantSamples, fakeTtsEvents, pendingActions } from '../controller/fake-tts.test-support';
import { SimAudioController } from '../controller/sim-audio-controller';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { SttEvent } from '../provider/stt-model';
import { generateSpeechLikeSignal } from '../testing/speech-like-signal';
import { detectUserSpeech, type UserSpeechActivityEvent } from './detect-user-speech';
import type { SessionEffect } from './session-effect';
import { type BargeInMetrics, type UserTurn, VoiceSession, type VoiceSessionOptions } from './voice-session';
import { VoiceSessionMachine } from './voice-session-machine';

const RATE = 8000;

function setup(options: Partial<VoiceSessionOptions> = {}) {
  const clock = createVirtualClock();
  const controller = new SimAudioController({ sampleRate: RATE, scheduler: clock.scheduler });
  const speech = new Subject<UserSpeechActivityEvent>();
  const transcripts = new Subject<SttEvent>();
  const session = new VoiceSession({
    controller,
    userSpeech: speech,
    transcripts,
    scheduler: clock.scheduler,
    ...options,
  });
  const effects: SessionEffect[] = [];
  const metrics: BargeInMetrics[] = [];
  const statuses: string[] = [];
  session.on('effect', (effect) => effects.push(effect));
  session.on('metrics', (measured) => metrics.push(measured));
  session.on('transition', ({ to }) => statuses.push(to));
  const userSays = (durationMs: number, text?: string) => {
    const onset = clock.now();
    speech.next({ type: 'user-speech-start', at: onset + 20, onsetAt: onset });
    clock.advanceBy(durationMs);
    speech.next({ type: 'user-speech-end', at: clock.now() });
    if (text !== undefined) transcripts.next({ type: 'transcript-final', at: clock.now(), text });
  };
  return { clock, controller, speech, transcripts, session, effects, metrics, statuses, userSays };
}

const commits = (effects: SessionEffect[]) => effects.filter((effect) => effect.type === 'commit-agent-turn');

describe('VoiceSession', () => {
  it('validates its options', () => {
    const clock = createVirtualClock();
    const controller = new SimAudioController({ sampleRate: RATE, scheduler: clock.scheduler });
    expect(() => new VoiceSession({} as VoiceSessionOptions)).toThrow(InvalidArgumentError);
    expect(() => new VoiceSession({ controller })).toThrow(/userAudio/);
    expect(
      () => new VoiceSession({ controller, userSpeech: new Subject(), bargeIn: { minWords: -1 } }),
    ).toThrow(/minWords/);
  });

  it('a confirmed barge-in cancels the TTS stream and commits only the words that were heard', () => {
    const counter = { active: 0, total: 0 };
    const t = setup();
    t.session.start();
    const words = ['one', 'two', 'three', 'four', 'five', 'six'];
    t.session.say({
      kind: 'tts',
      speaker: 'agent',
      text: words.join(' '),
      beats: 'marks',
      events: fakeTtsEvents({
        samples: constantSamples(RATE * 3, 2000),
        sampleRate: RATE,
        scheduler: t.clock.scheduler,
        pacing: 'realtime',
        marks: words.map((text, index) => ({
          kind: 'word' as const,
          text,
          offsetMs: index * 500,
          durationMs: 400,
        })),
        counter,
      }),
    });
    t.clock.advanceBy(1100); // "one" and "two" are out, "three" is playing
    expect(counter.active).toBe(1);
    t.userSays(600);
    expect(t.statuses).toEqual(['listening', 'thinking', 'speaking', 'barged-in', 'listening']);
    expect(counter.active).toBe(0);
    expect(commits(t.effects)).toEqual([
      { type: 'commit-agent-turn', replyId: 'reply-1', heardText: 'one two', interrupted: true },
    ]);
    expect(t.metrics).toHaveLength(1);
    expect(t.metrics[0]).toMatchObject({ outcome: 'confirmed', tailMs: 0, onsetAt: 1100 });
    expect(t.metrics[0]!.pausedAt - t.metrics[0]!.pauseRequestedAt).toBeLessThanOrEqual(30);
    t.session.stop();
    expect(t.session.activeResources).toBe(0);
  });

  it('a false interruption resumes from the paused sample: the whole reply is heard, nothing lost', () => {
    const t = setup();
    const frames: number[] = [];
    t.controller.output.subscribe((frame) =>
      frames.push(frame.samples.filter((sample) => sample !== 0).length),
    );
    t.session.start();
    t.session.say({
      kind: 'tts',
      speaker: 'agent',
      text: 'A short answer.',
      events: fakeTtsEvents({
        samples: constantSamples(RATE * 2, 3000),
        sampleRate: RATE,
        scheduler: t.clock.scheduler,
        pacing: 'realtime',
      }),
    });
    t.clock.advanceBy(700);
    t.userSays(200); // a cough: shorter than 500 ms, no transcript
    t.clock.advanceBy(1900);
    expect(t.statuses).toEqual(['listening', 'thinking', 'speaking', 'barged-in']);
    t.clock.advanceBy(200); // 2 s after the cough ended
    expect(t.statuses).toEqual(['listening', 'thinking', 'speaking', 'barged-in', 'speaking']);
    expect(t.metrics[0]).toMatchObject({ outcome: 'resumed', reason: 'timeout', tailMs: undefined });
    t.clock.advanceBy(3000);
    expect(t.statuses.at(-1)).toBe('listening');
    expect(commits(t.effects)).toEqual([
      { type: 'commit-agent-turn', replyId: 'reply-1', heardText: 'A short answer.', interrupted: false },
    ]);
    // every sample of the 2 s reply went out once (the pause and resume fades scale, never drop, samples)
    expect(frames.reduce((sum, count) => sum + count, 0)).toBe(RATE * 2);
  });

  it('answers a user turn through respond, and never plays a reply whose turn was interrupted', () => {
    const turns: UserTurn[] = [];
    let unsubscribed = 0;
    const respond = (turn: UserTurn): Observable<AudioSegment> => {
      turns.push(turn);
      return timer(turn.transcript === 'slow' ? 3000 : 100, t.clock.scheduler).pipe(
        map((): AudioSegment => ({ kind: 'text', speaker: 'agent', text: `About ${turn.transcript}.` })),
        tap({ unsubscribe: () => unsubscribed++ }),
      );
    };
    const t = setup({ respond });
    t.session.start();
    t.userSays(800, 'slow');
    expect(t.statuses).toEqual(['listening', 'thinking']);
    t.clock.advanceBy(200);
    t.userSays(700); // a confirmed barge-in while the slow reply is produced
    expect(t.statuses).toEqual(['listening', 'thinking', 'barged-in', 'listening']);
    expect(unsubscribed).toBe(1);
    t.transcripts.next({ type: 'transcript-final', at: t.clock.now(), text: 'weather' });
    t.clock.advanceBy(5000);
    expect(turns).toEqual([
      { contextVersion: 1, transcript: 'slow' },
      { contextVersion: 3, transcript: 'weather' },
    ]);
    expect(t.effects.filter((effect) => effect.type === 'play-reply')).toHaveLength(1);
    expect(commits(t.effects)).toEqual([
      { type: 'commit-agent-turn', replyId: 'reply-1', heardText: 'About weather.', interrupted: false },
    ]);
    t.session.stop();
    expect(pendingActions(t.clock.scheduler)).toBe(0);
  });

  it('detects the user from microphone frames (energy VAD) and stops cleanly', () => {
    const clock = createVirtualClock();
    const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
    const signal = generateSpeechLikeSignal({ seed: 3, utteranceCount: 1, minUtteranceMs: 900 });
    const audio = new Subject<ReturnType<typeof signal.frames>[number]>();
    const session = new VoiceSession({ controller, userAudio: audio, scheduler: clock.scheduler });
    const statuses: string[] = [];
    session.on('transition', ({ to }) => statuses.push(to));
    session.start();
    session.say({
      kind: 'text',
      speaker: 'agent',
      text: 'Some long sentence that keeps going on and on and on.',
    });
    for (const frame of signal.frames(20, 400)) {
      clock.advanceTo(frame.timestamp + 20);
      audio.next(frame);
    }
    expect(statuses).toEqual(['listening', 'thinking', 'speaking', 'barged-in', 'listening']);
    session.stop();
    clock.flush();
    expect(audio.observed).toBe(false);
    expect(session.activeResources).toBe(0);
  });
});

describe('detectUserSpeech', () => {
  it('emits start (with the true onset), pauses and resumes inside the segment, then its end', async () => {
    const signal = generateSpeechLikeSignal({ seed: 11, utteranceCount: 2, minUtteranceMs: 1500 });
    const events = await lastValueFrom(from(signal.frames()).pipe(detectUserSpeech(), toArray()));
    const starts = events.filter((event) => event.type === 'user-speech-start');
    expect(starts).toHaveLength(2);
    starts.forEach((event, index) => {
      expect(Math.abs(event.onsetAt - signal.utterances[index]!.startMs)).toBeLessThanOrEqual(30);
      expect(event.at - event.onsetAt).toBe(20); // decided on the onset frame itself
    });
    // pause/resume alternate inside each segment, and a segment ends on a pause
    let voiced = false;
    let open = false;
    for (const event of events) {
      if (event.type === 'user-speech-start') {
        expect(open).toBe(false);
        open = true;
        voiced = true;
      } else if (event.type === 'user-speech-pause') {
        expect(voiced).toBe(true);
        voiced = false;
      } else if (event.type === 'user-speech-resume') {
        expect(open && !voiced).toBe(true);
        voiced = true;
      } else {
        expect(open && !voiced).toBe(true);
        open = false;
      }
    }
    expect(open).toBe(false);
  });
});

describe('VoiceSessionMachine', () => {
  it('publishes states, transitions and effects in order to listeners and streams, queuing re-entrant dispatches', () => {
    const clock = createVirtualClock();
    const machine = new VoiceSessionMachine({ scheduler: clock.scheduler });
    const log: string[] = [];
    const states: string[] = [];
    machine.state$.subscribe((state) => states.push(state.status));
    machine.on('transition', ({ from, to }) => log.push(`${from}→${to}`));
    machine.on('effect', (effect) => {
      log.push(effect.type);
      // answer the reply request from inside the listener: queued behind the current step
      if (effect.type === 'start-reply') {
        machine.dispatch({
          type: 'reply-ready',
          at: clock.now(),
          replyId: 'r1',
          contextVersion: effect.contextVersion,
        });
      }
    });
    machine.dispatch({ type: 'start', at: 0 });
    machine.dispatch({ type: 'user-speech-start', at: 20, onsetAt: 0 });
    machine.dispatch({ type: 'user-speech-end', at: 600 });
    machine.dispatch({ type: 'transcript-final', at: 650, text: 'hi' });
    expect(log).toEqual([
      'idle→listening',
      'request-transcript',
      'listening→thinking',
      'start-reply',
      'play-reply',
    ]);
    expect(states).toEqual(['idle', 'listening', 'listening', 'listening', 'thinking', 'thinking']);
    machine.dispatch({ type: 'audio-start', at: 700, replyId: 'r1' });
    machine.dispatch({ type: 'user-speech-start', at: 1020, onsetAt: 1000 });
    expect(machine.tickPending).toBe(true);
    clock.advanceTo(1500);
    expect(machine.state.status).toBe('listening');
    expect(machine.tickPending).toBe(false);
    expect(() => machine.dispatch({ type: 'start', at: 1600 })).toThrow(/Invalid session transition/);
    machine.dispose();
    expect(pendingActions(clock.scheduler)).toBe(0);
  });
});
