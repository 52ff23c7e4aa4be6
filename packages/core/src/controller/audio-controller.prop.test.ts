import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import type { AudioSegment, DuckLease, PlaybackEvent } from './audio-controller';
import { constantSamples, fakeTtsEvents, pendingActions } from './fake-tts.test-support';
import { SimAudioController } from './sim-audio-controller';

const RATE = 8000;

type Action =
  | {
      type: 'play';
      role: 'primary' | 'overlay';
      source: 'text' | 'tts';
      words: number;
      delayMs: number;
      realtime: boolean;
      fail: boolean;
      startInMs: number | undefined;
    }
  | { type: 'duck'; gainDb: number; refuse: boolean }
  | { type: 'release'; pick: number }
  | { type: 'crossfade'; pick: number; durationMs: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop-at'; target: 'next-word' | 'next-sentence' | { pick: number; beatIndex: number } }
  | { type: 'stop-now' }
  | { type: 'advance'; ms: number }
  | { type: 'unsubscribe'; pick: number };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      type: fc.constant('play' as const),
      role: fc.constantFrom('primary' as const, 'overlay' as const),
      source: fc.constantFrom('text' as const, 'tts' as const),
      words: fc.integer({ min: 0, max: 6 }),
      delayMs: fc.constantFrom(0, 0, 30, 170),
      realtime: fc.boolean(),
      fail: fc.integer({ min: 0, max: 9 }).map((value) => value < 2),
      startInMs: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('duck' as const),
      gainDb: fc.constantFrom(-6, -12, -Infinity),
      refuse: fc.boolean(),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constant('release' as const), pick: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      type: fc.constant('crossfade' as const),
      pick: fc.nat(),
      durationMs: fc.constantFrom(0, 5, 40, 150),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ type: 'pause' as const }), weight: 1 },
  { arbitrary: fc.constant({ type: 'resume' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      type: fc.constant('stop-at' as const),
      target: fc.oneof(
        fc.constantFrom('next-word' as const, 'next-sentence' as const),
        fc.record({ pick: fc.nat(), beatIndex: fc.integer({ min: 0, max: 8 }) }),
      ),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ type: 'stop-now' as const }), weight: 1 },
  {
    arbitrary: fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 250 }) }),
    weight: 6,
  },
  { arbitrary: fc.record({ type: fc.constant('unsubscribe' as const), pick: fc.nat() }), weight: 1 },
);

interface Played {
  id: string;
  events: PlaybackEvent[];
  terminal: number;
  closed: boolean;
  unsubscribed: boolean;
  subscription: Subscription;
}

const WORD_LIST = ['alpha', 'beta.', 'gamma', 'delta', 'epsilon!', 'zeta'];

function runScenario(actions: Action[]): void {
  const clock = createVirtualClock();
  const controller = new SimAudioController({
    sampleRate: RATE,
    scheduler: clock.scheduler,
    voiceProfile: { wordsPerSecond: 4, wordBreakMs: 40, sentenceBreakMs: 120 },
  });
  const counter = { active: 0, total: 0 };
  const played: Played[] = [];
  const leases: DuckLease[] = [];
  const frameTimes: number[] = [];
  controller.output.subscribe((frame) => frameTimes.push(frame.timestamp));
  let paused = false;
  let framesWhenPaused = 0;
  let segmentCount = 0;

  const active = () => played.filter((entry) => !entry.closed && !entry.unsubscribed);
  const pick = <T>(list: T[], index: number): T | undefined =>
    list.length === 0 ? undefined : list[index % list.length];

  const checkInvariants = (): void => {
    const state = controller.state;
    // never two primary speakers audible at once outside a crossfade window (two inside one)
    const audiblePrimaries = state.segments.filter(
      (segment) => segment.role === 'primary' && segment.gain > 0,
    );
    if (state.crossfade === undefined) expect(audiblePrimaries.length).toBeLessThanOrEqual(1);
    else
      expect(audiblePrimaries.filter((segment) => segment.status !== 'stopping').length).toBeLessThanOrEqual(
        2,
      );
    expect(
      state.segments.filter((segment) => segment.role === 'primary' && segment.status === 'playing').length,
    ).toBeLessThanOrEqual(1);
    // at most one duck lease, and the state agrees with it
    const activeLeases = leases.filter((lease) => lease.status === 'active');
    expect(activeLeases.length).toBeLessThanOrEqual(1);
    expect(state.lease?.id).toBe(activeLeases[0]?.id);
    expect(state.pendingLeaseCount).toBe(leases.filter((lease) => lease.status === 'pending').length);
    // no frame while paused, but the one that carries the 10 ms pause fade
    if (paused) {
      expect(frameTimes.length - framesWhenPaused).toBeLessThanOrEqual(1);
      // once the fade frame is out, everything is silent
      if (frameTimes.length > framesWhenPaused)
        expect(state.segments.every((segment) => segment.gain === 0)).toBe(true);
    }
    // every segment: at most one start, at most one end/cancel, nothing after it
    for (const entry of played) {
      const starts = entry.events.filter((event) => event.type === 'start').length;
      expect(starts).toBeLessThanOrEqual(1);
      expect(entry.terminal).toBeLessThanOrEqual(1);
      const last = entry.events.findIndex((event) => event.type === 'end' || event.type === 'cancel');
      if (last >= 0) expect(last).toBe(entry.events.length - 1);
      const firstChunk = entry.events.findIndex((event) => event.type === 'chunk' || event.type === 'beat');
      if (firstChunk >= 0) expect(starts).toBe(1);
    }
  };

  for (const action of actions) {
    switch (action.type) {
      case 'play': {
        segmentCount++;
        const id = `s${segmentCount}`;
        const words = WORD_LIST.slice(0, action.words);
        const base = {
          id,
          speaker: id,
          role: action.role,
          startAt: action.startInMs === undefined ? undefined : clock.now() + action.startInMs,
        };
        const segment: AudioSegment =
          action.source === 'text'
            ? { ...base, kind: 'text', text: words.join(' ') }
            : {
                ...base,
                kind: 'tts',
                events: fakeTtsEvents({
                  samples: constantSamples(action.words * 2000, 1000 + segmentCount),
                  sampleRate: RATE,
                  scheduler: clock.scheduler,
                  firstChunkDelayMs: action.delayMs,
                  pacing: action.realtime ? 'realtime' : 'burst',
                  chunkMs: 40,
                  marks: words.map((text, index) => ({
                    kind: 'word' as const,
                    text,
                    offsetMs: index * 250,
                    durationMs: 200,
                  })),
                  error: action.fail ? new Error('tts failed') : undefined,
                  failAfterChunks: 3,
                  counter,
                }),
              };
        const entry: Played = {
          id,
          events: [],
          terminal: 0,
          closed: false,
          unsubscribed: false,
          subscription: undefined as never,
        };
        played.push(entry);
        entry.subscription = controller.play(segment).subscribe({
          next: (event) => {
            entry.events.push(event);
            if (event.type === 'end' || event.type === 'cancel') entry.terminal++;
            if (event.type === 'chunk' && paused) {
              // a chunk while paused can only be part of the fade frame
              expect(frameTimes.length - framesWhenPaused).toBeLessThanOrEqual(1);
            }
          },
          complete: () => {
            entry.closed = true;
          },
          error: () => {
            entry.closed = true;
          },
        });
        break;
      }
      case 'duck':
        try {
          leases.push(controller.duck(action.gainDb, { whenBusy: action.refuse ? 'refuse' : 'queue' }));
        } catch (error) {
          expect(action.refuse).toBe(true);
          expect((error as { code?: string }).code).toBe('duck-lease-busy');
        }
        break;
      case 'release':
        pick(leases, action.pick)?.release();
        break;
      case 'crossfade': {
        const candidates = controller.state.segments.filter(
          (segment) =>
            segment.segmentId !== controller.state.primarySegmentId &&
            segment.status !== 'stopping' &&
            segment.status !== 'outgoing',
        );
        const target = pick(candidates, action.pick);
        if (target !== undefined) {
          controller.crossfade(target.segmentId, action.durationMs);
          expect(controller.state.primarySegmentId).toBe(target.segmentId);
          expect(leases.every((lease) => lease.status === 'released' || lease.status === 'revoked')).toBe(
            true,
          );
        }
        break;
      }
      case 'pause':
        if (!paused) framesWhenPaused = frameTimes.length;
        paused = true;
        controller.pause();
        break;
      case 'resume':
        paused = false;
        controller.resume();
        break;
      case 'stop-at': {
        const target = action.target;
        if (typeof target === 'string') controller.stopAt(target);
        else {
          const entry = pick(active(), target.pick);
          if (entry !== undefined) controller.stopAt({ segmentId: entry.id, beatIndex: target.beatIndex });
        }
        break;
      }
      case 'stop-now':
        controller.stopNow();
        expect(controller.state.segments.every((segment) => segment.status === 'stopping')).toBe(true);
        break;
      case 'advance':
        clock.advanceBy(action.ms);
        break;
      case 'unsubscribe': {
        const entry = pick(active(), action.pick);
        if (entry !== undefined) {
          entry.unsubscribed = true;
          entry.subscription.unsubscribe();
        }
        break;
      }
    }
    checkInvariants();
  }

  // Let everything finish: resume, play out, and check that every segment ended exactly once.
  paused = false;
  controller.resume();
  clock.flush();
  checkInvariants();
  for (const entry of played) {
    if (entry.unsubscribed) continue;
    expect(entry.terminal).toBe(1);
    expect(entry.closed).toBe(true);
  }
  expect(controller.state.segments).toEqual([]);
  // no leaks: no scheduled action, every TTS stream unsubscribed
  expect(pendingActions(clock.scheduler)).toBe(0);
  expect(counter.active).toBe(0);
  // frames are stamped on a 20 ms cadence, strictly increasing
  for (let i = 1; i < frameTimes.length; i++)
    expect(frameTimes[i]! - frameTimes[i - 1]!).toBeGreaterThanOrEqual(20);
  controller.dispose();
}

describe('AudioController model-based', () => {
  // numRuns 1000, sequences of 1–60 actions (play/duck/release/crossfade/pause/resume/stopAt/stopNow/
  // advance 0–250 ms/unsubscribe); segments of 0–6 words, TTS first-chunk delays 0–170 ms, burst or
  // real-time pacing, some failing after 3 chunks. Invariants are checked after every action.
  it('holds the floor, lease, pause and lifecycle invariants under random action sequences', () => {
    fc.assert(
      fc.property(fc.array(actionArbitrary, { minLength: 1, maxLength: 60 }), (actions) =>
        runScenario(actions),
      ),
      { numRuns: 1000 },
    );
  });
});
