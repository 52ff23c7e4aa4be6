import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../audio/audio-frame';
import { createVirtualClock } from '../clock/virtual-clock';
import type { AudioSegment, PlaybackEvent } from './audio-controller';
import { constantSamples, fakeTtsEvents, pendingActions } from './fake-tts.test-support';
import { SimAudioController, type SimAudioControllerOptions } from './sim-audio-controller';

// The rows of the AudioController transition table not covered by sim-audio-controller.test.ts:
// crossfade mid duck ramp, duck during a crossfade, stopNow while paused, stopAt during a crossfade.

const RATE = 16000;
const PER_MS = RATE / 1000;

function setup(options: Partial<SimAudioControllerOptions> = {}) {
  const clock = createVirtualClock();
  const controller = new SimAudioController({ sampleRate: RATE, scheduler: clock.scheduler, ...options });
  const frames: AudioFrame[] = [];
  controller.output.subscribe((frame) => frames.push(frame));
  const record = (segment: AudioSegment) => {
    const events: PlaybackEvent[] = [];
    const result = { events, completed: false };
    controller.play(segment).subscribe({
      next: (event) => events.push(event),
      complete: () => {
        result.completed = true;
      },
    });
    return result;
  };
  const tts = (id: string, samples: Int16Array, extra: Partial<AudioSegment> = {}) =>
    ({
      kind: 'tts',
      id,
      speaker: id,
      events: fakeTtsEvents({ samples, sampleRate: RATE, scheduler: clock.scheduler }),
      ...extra,
    }) as AudioSegment;
  /** Every output sample from scheduler time `fromMs` on. */
  const samplesFrom = (fromMs: number) => {
    const out: number[] = [];
    for (const frame of frames) {
      if (frame.timestamp >= fromMs) out.push(...frame.samples);
    }
    return out;
  };
  return { clock, controller, frames, record, tts, samplesFrom };
}

const ofType = <T extends PlaybackEvent['type']>(events: PlaybackEvent[], type: T) =>
  events.filter((event): event is Extract<PlaybackEvent, { type: T }> => event.type === type);

describe('AudioController transition rules', () => {
  it('crossfade during a duck ramp: the lease is revoked and the primary fades from the gain it reached', () => {
    // 5 ms frames, so the 10 ms duck ramp spans two frames and the crossfade lands in its middle.
    const { clock, controller, record, tts, samplesFrom } = setup({ frameDurationMs: 5 });
    const a = record(tts('a', constantSamples(RATE, 8000)));
    // b is silent, so the output is a's envelope alone
    const b = record(tts('b', constantSamples(RATE, 0), { role: 'overlay' }));
    clock.advanceTo(20); // frames 0–20 rendered at unity
    const lease = controller.duck(-6.020599913); // half the amplitude
    clock.advanceTo(25); // the frame at 25 carries the first half of the ramp
    const mid = samplesFrom(25).at(-1)!;
    expect(mid).toBeLessThan(8000);
    expect(mid).toBeGreaterThan(4000);
    controller.crossfade('b', 40, { curve: 'linear' });
    expect(lease.status).toBe('revoked');
    expect(controller.state).toMatchObject({ lease: undefined, primarySegmentId: 'b' });
    clock.advanceTo(80);
    const fade = samplesFrom(30);
    // from where the ramp was to silence: never back up to unity, never up at all
    expect(fade[0]!).toBeLessThanOrEqual(mid);
    for (let i = 1; i < fade.length; i++) expect(fade[i]!).toBeLessThanOrEqual(fade[i - 1]!);
    expect(fade.slice(40 * PER_MS).every((value) => value === 0)).toBe(true);
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade' });
    expect(b.events.some((event) => event.type === 'cancel')).toBe(false);
    controller.dispose();
  });

  it('duck during a crossfade: the incoming segment ramps within 10 ms from its fade-in to the ducked level', () => {
    const { clock, controller, record, tts, samplesFrom } = setup();
    const a = record(tts('a', constantSamples(RATE, 0))); // silent outgoing side
    record(tts('b', constantSamples(RATE * 2, 8000), { role: 'overlay', gainDb: -20 }));
    clock.advanceTo(40);
    controller.crossfade('b', 200, { curve: 'linear' }); // b: 0.1 → 1 from 60 to 260 ms
    clock.advanceTo(140);
    const before = samplesFrom(140).at(-1)!;
    expect(before).toBeGreaterThan(800);
    expect(before).toBeLessThan(8000);
    const lease = controller.duck(-6.020599913);
    expect(lease.status).toBe('active');
    expect(controller.state.lease?.id).toBe(lease.id);
    clock.advanceTo(160);
    const ramp = samplesFrom(160);
    // monotonic from where the fade-in was to the ducked level, reached within 10 ms
    const rising = before < 4000;
    for (let i = 1; i < 10 * PER_MS; i++) {
      if (rising) expect(ramp[i]!).toBeGreaterThanOrEqual(ramp[i - 1]!);
      else expect(ramp[i]!).toBeLessThanOrEqual(ramp[i - 1]!);
    }
    expect(ramp.slice(10 * PER_MS).every((value) => value === 4000)).toBe(true);
    clock.advanceTo(400); // the crossfade is over: b stays ducked, a left
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade' });
    expect(samplesFrom(400).every((value) => value === 4000)).toBe(true);
    lease.release();
    clock.advanceTo(420);
    expect(
      samplesFrom(420)
        .slice(10 * PER_MS)
        .every((value) => value === 8000),
    ).toBe(true);
    controller.dispose();
  });

  it('stopNow while paused cancels every segment at once, with no frame rendered', () => {
    const { clock, controller, frames, record, tts } = setup();
    const a = record(tts('a', constantSamples(RATE, 1000)));
    const b = record(tts('b', constantSamples(RATE, 1000)));
    clock.advanceTo(100);
    controller.pause();
    clock.advanceTo(200); // the pause fade went out in the frame at 120
    const frameCount = frames.length;
    controller.stopNow();
    // synchronous: nothing waits for a frame
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'stop', playedMs: 130, at: 200 });
    expect(ofType(b.events, 'cancel')[0]).toMatchObject({ reason: 'stop', playedMs: 0 });
    expect([a.completed, b.completed]).toEqual([true, true]);
    expect(controller.state.segments).toEqual([]);
    clock.flush();
    expect(frames.length).toBe(frameCount);
    expect(pendingActions(clock.scheduler)).toBe(0);
    controller.resume(); // nothing left to resume
    clock.flush();
    expect(frames.length).toBe(frameCount);
  });

  it('stopAt during a crossfade applies to the incoming segment', () => {
    const { clock, controller, record } = setup();
    const a = record({ kind: 'text', id: 'a', speaker: 'ada', text: 'one two three four' });
    const b = record({ kind: 'text', id: 'b', speaker: 'bob', role: 'overlay', text: 'five six seven' });
    clock.advanceTo(100);
    controller.crossfade('b', 100);
    expect(controller.stopAt('next-word')).toBe(true);
    clock.flush();
    // a leaves through the crossfade, untouched by the stop
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade' });
    // b plays its first word (400 ms at the default pace), then stops where "six" starts
    expect(ofType(b.events, 'cancel')[0]).toMatchObject({
      reason: 'stop-at-beat',
      heardText: 'five',
      playedMs: 400,
    });
  });

  it('a segment whose audio arrives inside the last frame starts after it: frames never overlap', () => {
    const { clock, frames, record, tts } = setup();
    record(tts('a', constantSamples(10 * PER_MS, 1000))); // 10 ms, in the frame at 0
    const b: AudioSegment = {
      kind: 'tts',
      id: 'b',
      speaker: 'b',
      events: fakeTtsEvents({
        samples: constantSamples(10 * PER_MS, 2000),
        sampleRate: RATE,
        scheduler: clock.scheduler,
        firstChunkDelayMs: 15, // the frame at 0 already covered 0–20 ms
      }),
    };
    const played = record(b);
    clock.flush();
    expect(frames.map((frame) => frame.timestamp)).toEqual([0, 20]);
    expect(ofType(played.events, 'start')[0]).toMatchObject({ plannedAt: 10, actualAt: 20 });
    expect(frames[1]!.samples[0]).toBe(2000);
  });

  it('a crossfade away from a target still waiting for audio cancels that target at once', () => {
    const { clock, controller, record, tts } = setup();
    const a = record(tts('a', constantSamples(RATE, 1000)));
    const late: AudioSegment = {
      kind: 'tts',
      id: 'late',
      speaker: 'late',
      events: fakeTtsEvents({
        samples: constantSamples(RATE, 2000),
        sampleRate: RATE,
        scheduler: clock.scheduler,
        firstChunkDelayMs: 500,
      }),
    };
    const waiting = record(late);
    const c = record(tts('c', constantSamples(RATE, 3000), { role: 'overlay', gainDb: -6 }));
    clock.advanceTo(40);
    controller.crossfade('late', 100); // a fades out; 'late' holds the floor, silent
    clock.advanceTo(60);
    controller.crossfade('c', 100);
    expect(ofType(waiting.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade', playedMs: 0, at: 60 });
    expect(waiting.completed).toBe(true);
    expect(controller.state).toMatchObject({ primarySegmentId: 'c', crossfade: { toSegmentId: 'c' } });
    clock.flush();
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade' });
    expect(ofType(c.events, 'end')).toHaveLength(1);
    expect(pendingActions(clock.scheduler)).toBe(0);
  });
});
