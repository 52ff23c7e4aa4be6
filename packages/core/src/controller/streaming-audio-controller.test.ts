import { Observable, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { seededRandom } from '../latency/seeded-distributions.test-support';
import type { TtsEvent, TtsModel, TtsRequest } from '../provider/tts-model';
import type { AudioSegment, PlaybackBeatEvent, PlaybackEvent } from './audio-controller';
import { estimateBeats } from './estimate-beats';
import { constantSamples, type FakeMark, fakeTtsEvents, pendingActions } from './fake-tts.test-support';
import {
  DEFAULT_TTS_GUARD_BAND,
  StreamingAudioController,
  TTS_FIRST_CHUNK_STAGE,
} from './streaming-audio-controller';

const RATE = 16000;

function setup(options: { tts?: TtsModel } = {}) {
  const clock = createVirtualClock();
  const controller = new StreamingAudioController({
    sampleRate: RATE,
    scheduler: clock.scheduler,
    ...options,
  });
  const record = (segment: AudioSegment) => {
    const events: PlaybackEvent[] = [];
    const result = { events, completed: false, error: undefined as unknown };
    controller.play(segment).subscribe({
      next: (event) => events.push(event),
      complete: () => {
        result.completed = true;
      },
      error: (error: unknown) => {
        result.error = error;
      },
    });
    return result;
  };
  return { clock, controller, record };
}

const beatsOf = (events: PlaybackEvent[]) =>
  events.filter((event): event is PlaybackBeatEvent => event.type === 'beat');

const WORDS: FakeMark[] = [
  { kind: 'sentence', text: 'One two three.', offsetMs: 0 },
  { kind: 'word', text: 'One', offsetMs: 0, durationMs: 150 },
  { kind: 'word', text: 'two', offsetMs: 200, durationMs: 150 },
  { kind: 'word', text: 'three.', offsetMs: 400, durationMs: 150 },
];

/** A TTS model for tests: audio of `durationMs` per request, with or without marks. */
function fakeModel(scheduler: SchedulerLike, options: { marks: boolean; firstChunkDelayMs?: number }) {
  const requests: TtsRequest[] = [];
  const model: TtsModel = {
    specificationVersion: 'v1',
    provider: 'fake',
    modelId: 'fake-tts',
    sampleRate: RATE,
    capabilities: {
      streamingInput: false,
      streamingOutput: true,
      alignedMarks: options.marks,
      multiContextCancel: false,
    },
    synthesize: (request) => {
      requests.push(request);
      return fakeTtsEvents({
        samples: constantSamples(RATE, 1000),
        sampleRate: RATE,
        scheduler,
        firstChunkDelayMs: options.firstChunkDelayMs,
        marks: options.marks ? WORDS : [],
      });
    },
  };
  return { model, requests };
}

/** The lower sample quantile `x⌊q·(n−1)⌋`, the definition the latency estimators use. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('StreamingAudioController: beats from the provider', () => {
  it('takes beats from marks and measures their drift against the planned start', () => {
    const { clock, controller, record } = setup();
    const played = record({
      kind: 'tts',
      speaker: 'agent',
      startAt: 100,
      events: fakeTtsEvents({
        samples: constantSamples(RATE, 1000),
        sampleRate: RATE,
        scheduler: clock.scheduler,
        firstChunkDelayMs: 180,
        marks: WORDS,
      }),
    });
    clock.flush();
    const beats = beatsOf(played.events);
    expect(beats.map((beat) => [beat.index, beat.kind, beat.text, beat.aligned])).toEqual([
      [0, 'sentence', 'One two three.', true],
      [1, 'word', 'One', true],
      [2, 'word', 'two', true],
      [3, 'word', 'three.', true],
    ]);
    // planned: 100 + offset; the audio arrived at 180 and started at once: 80 ms late
    expect(beats.map((beat) => beat.plannedAt)).toEqual([100, 100, 300, 500]);
    expect(beats.map((beat) => beat.actualAt)).toEqual([180, 180, 380, 580]);
    expect(beats.every((beat) => beat.driftMs === 80 && !beat.missed)).toBe(true);
    expect(controller.profiler.stageStats(TTS_FIRST_CHUNK_STAGE)).toMatchObject({ count: 1, max: 180 });
    expect(controller.profiler.stats().drift).toMatchObject({ count: 4, meanDriftMs: 80 });
    expect(played.events.at(-1)).toMatchObject({ type: 'end', heardText: 'One two three.' });
  });

  it('reports beats whose audio came more than 250 ms late as missed, and marks that arrive late at their true time', () => {
    const { clock, record } = setup();
    // 200 ms of audio at once, then a 500 ms stall, then the rest; the marks arrive at 600 ms
    const events = new Observable<TtsEvent>((subscriber) => {
      const now = () => clock.scheduler.now();
      const audio = (from: number, to: number) =>
        subscriber.next({
          type: 'audio',
          frame: {
            samples: constantSamples(((to - from) * RATE) / 1000, 1000),
            sampleRate: RATE,
            channels: 1,
            timestamp: from,
          },
          at: now(),
        });
      audio(0, 200);
      const late = clock.scheduler.schedule(() => {
        audio(200, 600);
        for (const mark of WORDS) {
          subscriber.next({
            type: 'mark',
            kind: mark.kind,
            text: mark.text,
            offsetMs: mark.offsetMs,
            durationMs: 150,
            aligned: true,
            at: now(),
          });
        }
        subscriber.next({ type: 'end', durationMs: 600, at: now() });
        subscriber.complete();
      }, 700);
      return () => late.unsubscribe();
    });
    const played = record({ kind: 'tts', speaker: 'agent', events });
    clock.flush();
    const beats = beatsOf(played.events);
    expect(beats.map((beat) => [beat.text, beat.actualAt, beat.driftMs, beat.missed])).toEqual([
      ['One two three.', 0, 0, false],
      ['One', 0, 0, false],
      ['two', 700, 500, true],
      ['three.', 900, 500, true],
    ]);
    expect(beats[0]!.at).toBe(700); // delivered when its mark arrived, stamped with when it played
  });

  it('synthesizes sentence beats for a provider without marks, rescaled to the real duration', () => {
    const { clock, record } = setup();
    const text = 'One two. Three four five.';
    const estimate = estimateBeats(text);
    const played = record({
      kind: 'tts',
      speaker: 'agent',
      text,
      beats: 'sentences',
      events: fakeTtsEvents({
        samples: constantSamples(RATE * 2, 1000),
        sampleRate: RATE,
        scheduler: clock.scheduler,
      }),
    });
    clock.flush();
    const beats = beatsOf(played.events);
    const scale = 2000 / estimate.durationMs;
    const sentences = estimate.beats.filter((beat) => beat.kind === 'sentence');
    expect(beats.map((beat) => [beat.kind, beat.text, beat.aligned])).toEqual([
      ['sentence', 'One two.', false],
      ['sentence', 'Three four five.', false],
    ]);
    expect(beats[1]!.offsetMs).toBeCloseTo(sentences[1]!.offsetMs * scale, 0);
    expect(played.events.at(-1)).toMatchObject({ type: 'end', heardText: text });
  });

  it('in auto mode prefers the provider marks and falls back to sentences without them', () => {
    for (const marks of [WORDS, []]) {
      const { clock, record } = setup();
      const played = record({
        kind: 'tts',
        speaker: 'agent',
        text: 'One two three.',
        events: fakeTtsEvents({
          samples: constantSamples(RATE, 1000),
          sampleRate: RATE,
          scheduler: clock.scheduler,
          marks,
        }),
      });
      clock.flush();
      const beats = beatsOf(played.events);
      if (marks.length > 0) expect(beats.map((beat) => beat.aligned)).toEqual([true, true, true, true]);
      else expect(beats.map((beat) => [beat.kind, beat.aligned])).toEqual([['sentence', false]]);
    }
  });

  it('speaks text segments through its TTS model at its own sample rate', () => {
    const clock = createVirtualClock();
    const { model, requests } = fakeModel(clock.scheduler, { marks: true, firstChunkDelayMs: 120 });
    const controller = new StreamingAudioController({
      sampleRate: RATE,
      scheduler: clock.scheduler,
      tts: model,
    });
    const events: PlaybackEvent[] = [];
    controller
      .play({ kind: 'text', speaker: 'agent', voice: 'nova', text: 'One two three.' })
      .subscribe((event) => events.push(event));
    clock.flush();
    expect(requests).toEqual([{ text: 'One two three.', voice: 'nova', sampleRate: RATE }]);
    expect(beatsOf(events).map((beat) => beat.text)).toEqual(['One two three.', 'One', 'two', 'three.']);
    expect(controller.firstChunkP95Ms).toBeCloseTo(120, 0);
  });

  it('refuses a text segment when it has no TTS model', () => {
    const { record } = setup();
    const played = record({ kind: 'text', speaker: 'agent', text: 'hello' });
    expect(InvalidArgumentError.isInstance(played.error)).toBe(true);
  });

  it('cancels the synthesis when the segment is stopped, leaving no timer', () => {
    const clock = createVirtualClock();
    const counter = { active: 0, total: 0 };
    const controller = new StreamingAudioController({ sampleRate: RATE, scheduler: clock.scheduler });
    const events: PlaybackEvent[] = [];
    controller
      .play({
        kind: 'tts',
        speaker: 'agent',
        events: fakeTtsEvents({
          samples: constantSamples(RATE * 5, 1000),
          sampleRate: RATE,
          scheduler: clock.scheduler,
          pacing: 'realtime',
          chunkMs: 100,
          counter,
        }),
      })
      .subscribe((event) => events.push(event));
    clock.advanceBy(300);
    controller.stopNow();
    clock.flush();
    expect(counter).toEqual({ active: 0, total: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'cancel', reason: 'stop' });
    expect(pendingActions(clock.scheduler)).toBe(0);
  });
});

describe('StreamingAudioController: first-chunk latency, p95 and guard band', () => {
  // 300 segments per jitter; latency = (jitter + 200 ms) ± jitter, uniform, seeded.
  // Each segment starts `guardBandMs` after it is requested, as a planner would schedule it.
  for (const jitterMs of [150, 500, 1000]) {
    it(`tracks a first-chunk latency jittered by ±${jitterMs} ms, and beats land within ±250 ms of plan or are missed`, () => {
      const clock = createVirtualClock();
      const controller = new StreamingAudioController({ sampleRate: RATE, scheduler: clock.scheduler });
      const random = seededRandom(jitterMs);
      const injected: number[] = [];
      const beats: PlaybackBeatEvent[] = [];
      const guardedBeats: PlaybackBeatEvent[] = [];
      let lateSegments = 0;
      let guardedSegments = 0;
      for (let i = 0; i < 300; i++) {
        const latencyMs = Math.round(jitterMs + 200 + (random() * 2 - 1) * jitterMs);
        injected.push(latencyMs);
        const guardMs = controller.guardBandMs;
        const warmedUp = i >= 59;
        if (warmedUp) {
          guardedSegments++;
          if (latencyMs > guardMs) lateSegments++;
        }
        let done = false;
        controller
          .play({
            kind: 'tts',
            speaker: 'agent',
            startAt: clock.now() + guardMs,
            events: fakeTtsEvents({
              samples: constantSamples(RATE / 2, 1000),
              sampleRate: RATE,
              scheduler: clock.scheduler,
              firstChunkDelayMs: latencyMs,
              marks: WORDS,
            }),
          })
          .subscribe({
            next: (event) => {
              if (event.type !== 'beat') return;
              beats.push(event);
              if (warmedUp) guardedBeats.push(event);
            },
            complete: () => {
              done = true;
            },
          });
        clock.flush();
        expect(done).toBe(true);
        // the profiler recorded exactly the injected latency
        expect(controller.profiler.estimator(TTS_FIRST_CHUNK_STAGE).count).toBe(i + 1);
      }
      const p95 = exactQuantile(injected, 0.95);
      expect(Math.abs(controller.firstChunkP95Ms - p95) / p95).toBeLessThanOrEqual(0.01);
      expect(controller.guardBandMs).toBeCloseTo(
        Math.max(
          DEFAULT_TTS_GUARD_BAND.floorMs,
          controller.firstChunkP95Ms + (DEFAULT_TTS_GUARD_BAND.bufferMs ?? 0),
        ),
        6,
      );
      expect(controller.guardBandMs).toBeGreaterThanOrEqual(p95 * 0.99 + 50);
      // every beat is on plan within ±250 ms or reported missed
      for (const beat of beats) {
        expect(beat.missed).toBe(Math.abs(beat.driftMs) > 250);
        expect(beat.driftMs).toBeGreaterThanOrEqual(-1e-6); // never early
      }
      // once the guard band has its 59 samples, audio is late for about 5 % of the segments at most
      expect(lateSegments / guardedSegments).toBeLessThanOrEqual(0.1);
      const onPlan = guardedBeats.filter((beat) => Math.abs(beat.driftMs) < 0.1).length;
      expect(onPlan / guardedBeats.length).toBeGreaterThanOrEqual(1 - lateSegments / guardedSegments - 1e-9);
    });
  }
});
