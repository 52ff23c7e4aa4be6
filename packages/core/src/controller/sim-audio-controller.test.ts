import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../audio/audio-frame';
import { createVirtualClock } from '../clock/virtual-clock';
import { AudioFormatError } from '../errors/audio-errors';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { AudioSegment, PlaybackEvent } from './audio-controller';
import { ControllerDisposedError } from './controller-disposed-error';
import { DuckLeaseBusyError } from './duck-lease-busy-error';
import { estimateBeats } from './estimate-beats';
import { constantSamples, fakeTtsEvents, indexedSamples, pendingActions } from './fake-tts.test-support';
import { SimAudioController, type SimAudioControllerOptions } from './sim-audio-controller';

const RATE = 16000;
const FRAME = 320; // 20 ms
const RAMP = 160; // 10 ms

function setup(options: Partial<SimAudioControllerOptions> = {}) {
  const clock = createVirtualClock();
  const controller = new SimAudioController({ sampleRate: RATE, scheduler: clock.scheduler, ...options });
  const frames: AudioFrame[] = [];
  controller.output.subscribe((frame) => frames.push(frame));
  const record = (segment: AudioSegment) => {
    const events: PlaybackEvent[] = [];
    const result = { events, completed: false, error: undefined as unknown };
    const subscription = controller.play(segment).subscribe({
      next: (event) => events.push(event),
      complete: () => {
        result.completed = true;
      },
      error: (error: unknown) => {
        result.error = error;
      },
    });
    return Object.assign(result, { subscription });
  };
  const tts = (
    id: string,
    samples: Int16Array,
    extra: Partial<Parameters<typeof fakeTtsEvents>[0]> & Partial<AudioSegment> = {},
  ) =>
    ({
      kind: 'tts',
      id,
      speaker: id,
      events: fakeTtsEvents({ samples, sampleRate: RATE, scheduler: clock.scheduler, ...extra }),
      ...extra,
    }) as AudioSegment;
  const allSamples = () => {
    const out: number[] = [];
    for (const frame of frames) out.push(...frame.samples);
    return out;
  };
  return { clock, controller, frames, record, tts, allSamples };
}

const ofType = <T extends PlaybackEvent['type']>(events: PlaybackEvent[], type: T) =>
  events.filter((event): event is Extract<PlaybackEvent, { type: T }> => event.type === type);

describe('SimAudioController: playback and beats', () => {
  it('speaks a text segment with beats on plan and ends with the whole text heard', () => {
    const { clock, controller, frames, record } = setup();
    const text = 'Hello there. How are you?';
    const played = record({ kind: 'text', speaker: 'ada', text });
    clock.flush();
    const estimate = estimateBeats(text, controller.voiceProfile(undefined, 'ada'));
    expect(played.events[0]).toMatchObject({ type: 'start', plannedAt: 0, actualAt: 0, role: 'primary' });
    const beats = ofType(played.events, 'beat');
    expect(beats.map((beat) => [beat.kind, beat.text, beat.offsetMs])).toEqual(
      estimate.beats.map((beat) => [beat.kind, beat.text, beat.offsetMs]),
    );
    for (const beat of beats) {
      expect(beat.actualAt).toBeCloseTo(beat.offsetMs, 6);
      expect(Math.abs(beat.driftMs)).toBeLessThan(1e-6);
      expect(beat.missed).toBe(false);
    }
    expect(played.events.at(-1)).toMatchObject({
      type: 'end',
      heardText: text,
      playedMs: estimate.durationMs,
    });
    expect(played.completed).toBe(true);
    expect(frames).toHaveLength(Math.ceil(estimate.durationMs / 20));
    expect(frames.every((frame, i) => frame.timestamp === i * 20 && frame.samples.length === FRAME)).toBe(
      true,
    );
    // the simulated voice is audible during words and silent in the sentence break
    const level = (frame: AudioFrame) => Math.max(...frame.samples.map(Math.abs));
    expect(level(frames[5]!)).toBeGreaterThan(500);
    expect(level(frames[45]!)).toBe(0); // 900–920 ms: the break after "there."
  });

  it('uses the voice profile of the voice, else of the speaker', () => {
    const { clock, record } = setup({ voices: { fast: { wordsPerSecond: 5, wordBreakMs: 0 } } });
    const played = record({ kind: 'text', speaker: 'fast', text: 'one two three' });
    clock.flush();
    expect(
      ofType(played.events, 'beat')
        .filter((beat) => beat.kind === 'word')
        .map((beat) => beat.offsetMs),
    ).toEqual([0, 200, 400]);
    expect(ofType(played.events, 'end')[0]!.playedMs).toBe(600);
  });

  it('queues primaries and hands the floor over on the very next sample', () => {
    const { clock, record, tts, allSamples } = setup();
    const first = record(tts('a', constantSamples(1000, 1000)));
    const second = record(tts('b', constantSamples(700, 2000)));
    clock.flush();
    expect(ofType(first.events, 'end')[0]!.at).toBe(60);
    expect(ofType(second.events, 'start')[0]).toMatchObject({ plannedAt: 62.5, actualAt: 62.5 });
    const samples = allSamples();
    expect(samples.slice(0, 1000).every((value) => value === 1000)).toBe(true);
    expect(samples.slice(1000, 1700).every((value) => value === 2000)).toBe(true);
    expect(samples.slice(1700).every((value) => value === 0)).toBe(true);
  });

  it('plays an overlay at once, on top of the primary, at its own gain', () => {
    const { clock, record, tts, allSamples } = setup();
    record(tts('a', constantSamples(1600, 1000)));
    clock.advanceBy(40);
    const overlay = record(tts('b', constantSamples(320, 4000), { role: 'overlay', gainDb: -6.020599913 }));
    clock.flush();
    expect(ofType(overlay.events, 'start')[0]).toMatchObject({ role: 'overlay', actualAt: 60 });
    const samples = allSamples();
    expect(samples[3 * FRAME + 5]).toBe(3000);
    expect(samples[5 * FRAME - 1]).toBe(1000);
  });

  it('starts a segment on the exact sample of its startAt', () => {
    const { clock, record, tts, allSamples } = setup();
    const played = record(tts('a', constantSamples(320, 1000), { startAt: 1005 }));
    clock.advanceTo(1000);
    expect(played.events).toEqual([]);
    clock.flush();
    expect(ofType(played.events, 'start')[0]).toMatchObject({ plannedAt: 1005, actualAt: 1005 });
    const samples = allSamples();
    expect(samples.indexOf(1000)).toBe(0); // the first frame is anchored at 1005
  });
});

describe('SimAudioController: duck lease', () => {
  it('ducks the primary, queues a second lease, never stacks, and unducks with a ramp', () => {
    const { clock, controller, frames, record, tts } = setup();
    record(tts('a', constantSamples(RATE * 2, 10000)));
    clock.advanceBy(0);
    const first = controller.duck(-6.020599913, { holder: 'bob' });
    const second = controller.duck(-12.041199827, { holder: 'cy' });
    expect([first.status, second.status]).toEqual(['active', 'pending']);
    expect(controller.state).toMatchObject({ lease: { holder: 'bob' }, pendingLeaseCount: 1 });
    expect(() => controller.duck(-20, { whenBusy: 'refuse' })).toThrow(DuckLeaseBusyError);
    clock.advanceBy(40);
    expect(frames.at(-1)!.samples.at(-1)).toBe(5000);
    const statuses: string[] = [];
    second.status$.subscribe((status) => statuses.push(status));
    first.release();
    expect([first.status, second.status]).toEqual(['released', 'active']);
    clock.advanceBy(40);
    expect(frames.at(-1)!.samples.at(-1)).toBe(2500); // straight from one level to the other
    second.release();
    clock.advanceBy(20);
    const rising = frames.at(-1)!.samples;
    expect(rising[0]).toBeGreaterThan(2500);
    expect(rising[RAMP - 1]).toBe(10000); // back to unity within 10 ms
    for (let i = 1; i < RAMP; i++)
      expect(rising[i]! - rising[i - 1]!).toBeLessThanOrEqual(Math.ceil(7500 / RAMP) + 1);
    expect(statuses).toEqual(['pending', 'active', 'released']);
    expect(controller.state.lease).toBeUndefined();
    first.release(); // idempotent
    controller.dispose();
  });

  it('refuses a second lease when the controller policy is refuse', () => {
    const { controller } = setup({ duckPolicy: 'refuse' });
    const lease = controller.duck(-12);
    expect(() => controller.duck(-6)).toThrow(DuckLeaseBusyError);
    lease.release();
    expect(controller.duck(-6).status).toBe('active');
  });

  it('starts the next primary already ducked', () => {
    const { clock, controller, record, tts, allSamples } = setup();
    controller.duck(-6.020599913);
    record(tts('a', constantSamples(320, 10000)));
    clock.flush();
    expect(allSamples()[0]).toBe(5000);
  });
});

describe('SimAudioController: pause and resume', () => {
  it('pauses within one frame and resumes at the exact sample: no sample lost or repeated', () => {
    const { clock, controller, frames, record, tts } = setup();
    const input = indexedSamples(RATE); // 1 s
    const played = record(tts('a', input));
    clock.advanceTo(105);
    controller.pause();
    clock.advanceTo(120); // the fade frame
    const framesAtPause = frames.length;
    clock.advanceTo(700);
    expect(frames.length).toBe(framesAtPause); // nothing while paused
    expect(controller.state.segments[0]).toMatchObject({ positionMs: 130, gain: 0 });
    controller.resume();
    clock.flush();
    const chunks = ofType(played.events, 'chunk');
    let expectedOffset = 0;
    for (const chunk of chunks) {
      expect(chunk.offsetMs).toBeCloseTo(expectedOffset, 6);
      expectedOffset += chunk.durationMs;
      const frame = frames.find((candidate) => candidate.timestamp === chunk.frameTimestamp)!;
      const first = Math.round((chunk.offsetMs * RATE) / 1000);
      const count = Math.round((chunk.durationMs * RATE) / 1000);
      for (let i = 0; i < count; i++) {
        const original = input[first + i]!;
        const out = frame.samples[i]!;
        expect(out).toBeLessThanOrEqual(original);
        expect(out).toBeGreaterThanOrEqual(0);
        const inFade =
          (first + i >= 2080 - RAMP && first + i < 2080) || (first + i >= 2080 && first + i < 2080 + RAMP);
        if (!inFade) expect(out).toBe(original);
      }
    }
    expect(expectedOffset).toBeCloseTo(1000, 6);
    expect(ofType(played.events, 'end')[0]!.playedMs).toBe(1000);
    // the resumed frame starts right at the resume time
    expect(frames[framesAtPause]!.timestamp).toBe(700);
  });

  it('shifts the plan by the pause, so beats after it are not counted as drift', () => {
    const { clock, controller, record } = setup();
    const played = record({ kind: 'text', speaker: 'ada', text: 'one two three four' });
    clock.advanceTo(300);
    controller.pause();
    clock.advanceTo(2300);
    controller.resume();
    clock.flush();
    const beats = ofType(played.events, 'beat').filter((beat) => beat.kind === 'word');
    expect(beats.map((beat) => beat.missed)).toEqual([false, false, false, false]);
    expect(beats.every((beat) => Math.abs(beat.driftMs) < 1e-6)).toBe(true);
    expect(beats[1]!.actualAt).toBeGreaterThan(2300);
  });

  it('holds a segment played while paused until resume', () => {
    const { clock, controller, frames, record } = setup();
    controller.pause();
    const played = record({ kind: 'text', speaker: 'ada', text: 'hi' });
    clock.advanceTo(500);
    expect(played.events).toEqual([]);
    expect(frames).toEqual([]);
    controller.resume();
    clock.flush();
    expect(ofType(played.events, 'start')[0]).toMatchObject({ actualAt: 500, plannedAt: 500 });
    expect(played.completed).toBe(true);
  });

  it('pause during a crossfade completes the crossfade at once', () => {
    const { clock, controller, record, tts } = setup();
    const a = record(tts('a', constantSamples(RATE, 1000)));
    const b = record(tts('b', constantSamples(RATE, 1000), { role: 'overlay', gainDb: -20 }));
    clock.advanceBy(40);
    controller.crossfade('b', 200);
    clock.advanceBy(20);
    controller.pause();
    clock.advanceBy(20);
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade' });
    expect(controller.state).toMatchObject({ crossfade: undefined, primarySegmentId: 'b' });
    controller.resume();
    clock.advanceBy(40);
    expect(controller.state.segments[0]).toMatchObject({ segmentId: 'b', role: 'primary', gain: 1 });
    expect(b.events.some((event) => event.type === 'cancel')).toBe(false);
  });
});

describe('SimAudioController: stops', () => {
  it('stopNow fades out over 10 ms and reports what was heard', () => {
    const { clock, controller, allSamples, record } = setup();
    const played = record({ kind: 'text', speaker: 'ada', text: 'one two three four' });
    clock.advanceTo(500); // "two" started at 400
    controller.stopNow();
    clock.flush();
    const cancel = ofType(played.events, 'cancel')[0]!;
    expect(cancel).toMatchObject({ reason: 'stop', heardText: 'one', playedMs: 530 });
    const samples = allSamples();
    expect(samples.length).toBe(Math.ceil(530 / 20) * FRAME);
    expect(samples.slice(530 * 16).every((value) => value === 0)).toBe(true);
    expect(played.completed).toBe(true);
  });

  it('counts a word cut in its last milliseconds as heard, and one cut earlier as not', () => {
    // "one" ends at 340 ms (10 ms frames). A stop after the frame at 330 fades 340–350: heard.
    // After the frame at 320 it fades 330–340, the word's last 10 ms: not heard. Earlier: not heard.
    for (const [stopAt, heard] of [
      [330, 'one'],
      [320, ''],
      [310, ''],
    ] as const) {
      const { clock, controller, record } = setup({ frameDurationMs: 10 });
      const played = record({ kind: 'text', speaker: 'ada', text: 'one two' });
      clock.advanceTo(stopAt);
      controller.stopNow();
      clock.flush();
      expect(ofType(played.events, 'cancel')[0]!.heardText).toBe(heard);
    }
  });

  it('stopAt next-word cuts exactly where the next word starts, fading the 10 ms before', () => {
    const { clock, controller, record, allSamples } = setup();
    const played = record({ kind: 'text', speaker: 'ada', text: 'one two three four' });
    clock.advanceTo(100);
    expect(controller.stopAt('next-word')).toBe(true);
    clock.flush();
    expect(ofType(played.events, 'beat').filter((beat) => beat.kind === 'word')).toHaveLength(1);
    expect(ofType(played.events, 'cancel')[0]).toMatchObject({
      reason: 'stop-at-beat',
      playedMs: 400,
      heardText: 'one',
    });
    expect(
      allSamples()
        .slice(400 * 16)
        .every((value) => value === 0),
    ).toBe(true);
  });

  it('stopAt a beat that already started resolves to the next word', () => {
    const { clock, controller, record } = setup();
    const played = record({ kind: 'text', id: 'r', speaker: 'ada', text: 'one two three four' });
    clock.advanceTo(500);
    controller.stopAt({ segmentId: 'r', beatIndex: 2 }); // "two" (index 2, after the sentence beat) at 400 ms
    clock.flush();
    expect(ofType(played.events, 'cancel')[0]).toMatchObject({ playedMs: 800, heardText: 'one two' });
  });

  it('stopAt with no beat left lets the segment end', () => {
    const { clock, controller, record } = setup();
    const played = record({ kind: 'text', speaker: 'ada', text: 'one two' });
    clock.advanceTo(500);
    controller.stopAt('next-word');
    clock.flush();
    expect(played.events.at(-1)).toMatchObject({ type: 'end', heardText: 'one two' });
    expect(controller.stopAt('next-word')).toBe(false);
  });

  it('stopNow cancels waiting segments too, and revokes the lease', () => {
    const { clock, controller, record, tts } = setup();
    const a = record(tts('a', constantSamples(RATE, 1000)));
    const b = record(tts('b', constantSamples(RATE, 1000)));
    const lease = controller.duck(-6);
    clock.advanceBy(40);
    controller.stopNow();
    expect(ofType(b.events, 'cancel')[0]).toMatchObject({ reason: 'stop', playedMs: 0, heardText: '' });
    expect(b.events.some((event) => event.type === 'start')).toBe(false);
    expect(lease.status).toBe('revoked');
    clock.flush();
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'stop', playedMs: 70 });
  });
});

describe('SimAudioController: crossfade', () => {
  it('hands the floor to an overlay: the speaker fades out and is cancelled, the duck is revoked', () => {
    const { clock, controller, record, tts, allSamples } = setup();
    const a = record(tts('a', constantSamples(RATE, 8000)));
    const b = record(tts('b', constantSamples(RATE, 8000), { role: 'overlay', gainDb: -12 }));
    clock.advanceBy(20);
    const lease = controller.duck(-6);
    clock.advanceBy(20);
    controller.crossfade('b', 100, { curve: 'linear' }); // from the next rendered sample: 60 ms
    expect(lease.status).toBe('revoked');
    expect(controller.state).toMatchObject({
      primarySegmentId: 'b',
      crossfade: { fromSegmentId: 'a', toSegmentId: 'b' },
    });
    clock.advanceBy(100);
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade', at: 140 });
    expect(controller.state.crossfade).toBeUndefined();
    clock.advanceBy(40);
    const samples = allSamples();
    expect(samples.at(-1)).toBe(8000); // b alone at unity
    expect(b.events.some((event) => event.type === 'cancel')).toBe(false);
    expect(() => controller.crossfade('b', 10)).toThrow(InvalidArgumentError);
    expect(() => controller.crossfade('zed', 10)).toThrow(InvalidArgumentError);
  });

  it('a crossfade during a crossfade cuts the earlier outgoing segment', () => {
    const { clock, controller, record, tts } = setup();
    const a = record(tts('a', constantSamples(RATE, 1000)));
    const b = record(tts('b', constantSamples(RATE, 1000), { role: 'overlay' }));
    record(tts('c', constantSamples(RATE, 1000), { role: 'overlay' }));
    clock.advanceBy(40);
    controller.crossfade('b', 200);
    clock.advanceBy(40);
    controller.crossfade('c', 200);
    clock.advanceBy(20);
    expect(ofType(a.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade', at: 100, playedMs: 110 });
    expect(controller.state.crossfade).toMatchObject({ fromSegmentId: 'b', toSegmentId: 'c' });
    clock.advanceBy(200);
    expect(ofType(b.events, 'cancel')[0]).toMatchObject({ reason: 'crossfade' });
  });

  it('a crossfade to a waiting primary lets it jump the queue', () => {
    const { clock, controller, record, tts } = setup();
    record(tts('a', constantSamples(RATE, 1000)));
    const b = record(tts('b', constantSamples(RATE, 1000)));
    const c = record(tts('c', constantSamples(320, 1000)));
    clock.advanceBy(40);
    controller.crossfade('c', 20);
    clock.advanceBy(40);
    expect(ofType(c.events, 'start')[0]!.actualAt).toBe(60); // the next frame after the call
    expect(ofType(c.events, 'end')[0]!.at).toBe(60);
    expect(ofType(b.events, 'start')[0]!.actualAt).toBe(80); // b keeps its place behind c
  });

  it('stopNow during a crossfade cancels both sides', () => {
    const { clock, controller, record, tts } = setup();
    const a = record(tts('a', constantSamples(RATE, 1000)));
    const b = record(tts('b', constantSamples(RATE, 1000), { role: 'overlay' }));
    clock.advanceBy(40);
    controller.crossfade('b', 200);
    clock.advanceBy(40);
    controller.stopNow();
    clock.flush();
    expect(ofType(a.events, 'cancel')[0]!.reason).toBe('stop');
    expect(ofType(b.events, 'cancel')[0]!.reason).toBe('stop');
    expect(controller.state).toMatchObject({
      segments: [],
      crossfade: undefined,
      primarySegmentId: undefined,
    });
  });
});

describe('SimAudioController: cancellation, errors and resources', () => {
  it('unsubscribing drops the segment with a fade, cancels its stream and starts the next one', () => {
    const counter = { active: 0, total: 0 };
    const { clock, record, tts, allSamples } = setup();
    // 100 ms chunks at real-time pace: 40 ms are still buffered when the subscriber leaves at 40 ms
    const a = record(tts('a', constantSamples(RATE, 1000), { pacing: 'realtime', chunkMs: 100, counter }));
    const b = record(tts('b', constantSamples(320, 2000)));
    clock.advanceBy(40);
    expect(counter.active).toBe(1);
    a.subscription.unsubscribe();
    expect(counter.active).toBe(0);
    clock.flush();
    expect(a.events.some((event) => event.type === 'cancel' || event.type === 'end')).toBe(false);
    const samples = allSamples();
    // frame 60: a's 10 ms fade, then b from the very next sample
    const fade = samples.slice(3 * FRAME, 3 * FRAME + RAMP);
    expect(fade[0]).toBeLessThan(1000);
    expect(fade.at(-1)).toBe(0);
    for (let i = 1; i < RAMP; i++) expect(fade[i]).toBeLessThanOrEqual(fade[i - 1]!);
    expect(samples[3 * FRAME + RAMP]).toBe(2000);
    expect(ofType(b.events, 'start')[0]!.actualAt).toBe(70);
    expect(counter.total).toBe(1);
    expect(b.completed).toBe(true);
    expect(pendingActions(clock.scheduler)).toBe(0);
  });

  it('a failing TTS stream cancels the segment with reason error, then errors', () => {
    const { clock, record, tts } = setup();
    const failure = new Error('socket closed');
    const played = record(
      tts('a', constantSamples(RATE, 1000), { pacing: 'realtime', error: failure, failAfterChunks: 3 }),
    );
    clock.flush();
    expect(played.events.at(-1)).toMatchObject({ type: 'cancel', reason: 'error' });
    expect(played.error).toBe(failure);
  });

  it('audio at another sample rate is a typed error', () => {
    const { clock, controller, record } = setup();
    const played = record({
      kind: 'tts',
      speaker: 'a',
      events: fakeTtsEvents({
        samples: constantSamples(480, 1),
        sampleRate: 24000,
        scheduler: clock.scheduler,
      }),
    });
    clock.flush();
    expect(AudioFormatError.isInstance(played.error)).toBe(true);
    expect(String((played.error as Error).message)).toContain('request the TTS at 16000 Hz');
    expect(controller.state.segments).toEqual([]);
  });

  it('rejects bad segments, duplicate ids and use after dispose with typed errors', () => {
    const { controller, record } = setup();
    expect(InvalidArgumentError.isInstance(record({ kind: 'text', speaker: '', text: 'x' }).error)).toBe(
      true,
    );
    expect(InvalidArgumentError.isInstance(record({ kind: 'voice', speaker: 'a' } as never).error)).toBe(
      true,
    );
    expect(
      InvalidArgumentError.isInstance(record({ kind: 'text', speaker: 'a', text: 'x', gainDb: 3 }).error),
    ).toBe(true);
    record({ kind: 'text', id: 'same', speaker: 'a', text: 'x' });
    expect(
      InvalidArgumentError.isInstance(record({ kind: 'text', id: 'same', speaker: 'a', text: 'y' }).error),
    ).toBe(true);
    expect(() => controller.stopAt({ segmentId: 'same', beatIndex: -1 })).toThrow(InvalidArgumentError);
    expect(() => controller.duck(1)).toThrow(InvalidArgumentError);
    controller.dispose();
    expect(ControllerDisposedError.isInstance(record({ kind: 'text', speaker: 'a', text: 'x' }).error)).toBe(
      true,
    );
    expect(() => controller.duck(-6)).toThrow(ControllerDisposedError);
  });

  it('dispose cancels everything, completes the output and leaves no timer', () => {
    const { clock, controller, record } = setup();
    let outputDone = false;
    controller.output.subscribe({ complete: () => (outputDone = true) });
    const played = record({ kind: 'text', speaker: 'a', text: 'a long sentence to cut' });
    const lease = controller.duck(-3);
    clock.advanceBy(100);
    controller.dispose();
    expect(played.events.at(-1)).toMatchObject({ type: 'cancel', reason: 'dispose' });
    expect(lease.status).toBe('revoked');
    expect(outputDone).toBe(true);
    expect(pendingActions(clock.scheduler)).toBe(0);
  });

  it('arms no timer while idle or while waiting for audio', () => {
    const { clock, record, tts } = setup();
    expect(pendingActions(clock.scheduler)).toBe(0);
    const played = record(tts('a', constantSamples(320, 1), { firstChunkDelayMs: 500 }));
    expect(pendingActions(clock.scheduler)).toBe(1); // the fake TTS's own timer only
    clock.flush();
    expect(played.completed).toBe(true);
    expect(pendingActions(clock.scheduler)).toBe(0);
  });

  it('in real time, leaves no active timer after an unsubscribe or a dispose', async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const baseline = timeouts();
    const controller = new SimAudioController({ sampleRate: RATE });
    const events: PlaybackEvent[] = [];
    const subscription = controller
      .play({ kind: 'text', speaker: 'a', text: 'one two three' })
      .subscribe((event) => events.push(event));
    await new Promise((resolve) => setTimeout(resolve, 70));
    expect(events.some((event) => event.type === 'chunk')).toBe(true);
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(controller.state.segments).toEqual([]);
    expect(timeouts()).toBeLessThanOrEqual(baseline);
    const ended = new Promise<PlaybackEvent | undefined>((resolve) => {
      let last: PlaybackEvent | undefined;
      controller.play({ kind: 'text', speaker: 'a', text: 'hi' }).subscribe({
        next: (event) => {
          last = event;
        },
        complete: () => resolve(last),
      });
    });
    expect(await ended).toMatchObject({ type: 'end', heardText: 'hi' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(timeouts()).toBeLessThanOrEqual(baseline);
    controller.play({ kind: 'text', speaker: 'a', text: 'again and again' }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.dispose();
    expect(timeouts()).toBeLessThanOrEqual(baseline);
  });
});
