import { describe, expect, it } from 'vitest';
import { AudioFormatError, InvalidArgumentError, UnsupportedSampleRateError } from '../errors/index';
import { type AudioFrame, createAudioFrame } from './audio-frame';
import { Mixer } from './mixer';

const RATE = 16000;
const RAMP = 160; // 10 ms at 16 kHz

function dc(value: number, length: number, channels: 1 | 2 = 1, sampleRate = RATE): AudioFrame {
  return createAudioFrame({
    samples: new Int16Array(length * channels).fill(value),
    sampleRate,
    channels,
  });
}

function renderSamples(mixer: Mixer, frames: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < frames; i++) out.push(...mixer.render(i * mixer.frameDurationMs).samples);
  return out;
}

describe('Mixer rendering', () => {
  it('renders exact frames of silence when no track has audio', () => {
    const mixer = new Mixer({ sampleRate: 48000, channels: 2 });
    mixer.addTrack('idle');
    const frame = mixer.render(1234);
    expect(frame).toMatchObject({ sampleRate: 48000, channels: 2, timestamp: 1234 });
    expect(frame.samples.length).toBe(960 * 2);
    expect(frame.samples.every((s) => s === 0)).toBe(true);
    expect(mixer.renderedMs).toBe(20);
  });

  it('consumes partial buffers sample-exactly across frames, then plays silence', () => {
    const mixer = new Mixer({ sampleRate: RATE, channels: 1, frameDurationMs: 10 });
    const track = mixer.addTrack('voice');
    const input = Array.from({ length: 250 }, (_, i) => i - 125);
    track.push(
      createAudioFrame({ samples: Int16Array.from(input.slice(0, 70)), sampleRate: RATE, channels: 1 }),
    );
    track.push(
      createAudioFrame({ samples: Int16Array.from(input.slice(70)), sampleRate: RATE, channels: 1 }),
    );
    expect(track.bufferedLength).toBe(250);
    expect(track.bufferedMs).toBeCloseTo(15.625, 9);
    const out = renderSamples(mixer, 2);
    expect(out.slice(0, 250)).toEqual(input);
    expect(out.slice(250).every((s) => s === 0)).toBe(true);
    expect(track.bufferedMs).toBe(0);
  });

  it('sums tracks and saturates instead of wrapping', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    mixer.addTrack('a').push(dc(30000, 320));
    mixer.addTrack('b').push(dc(30000, 320));
    mixer.addTrack('c').push(dc(-1000, 320));
    expect(new Set(mixer.render(0).samples)).toEqual(new Set([32767]));
    mixer.track('a')!.push(dc(-30000, 320));
    mixer.track('b')!.push(dc(-30000, 320));
    expect(new Set(mixer.render(20).samples)).toEqual(new Set([-32768]));
  });

  it('applies the starting gain of a track without a ramp, and mutes at -Infinity dB', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    mixer.addTrack('half', { gainDb: 20 * Math.log10(0.5) }).push(dc(10000, 320));
    mixer.addTrack('muted', { gainDb: Number.NEGATIVE_INFINITY }).push(dc(12345, 320));
    expect(new Set(mixer.render(0).samples)).toEqual(new Set([5000]));
  });

  it('applies one gain to both channels of a stereo sample', () => {
    const mixer = new Mixer({ sampleRate: RATE, channels: 2 });
    const track = mixer.addTrack('stereo');
    const samples = new Int16Array(640);
    for (let i = 0; i < 320; i++) {
      samples[i * 2] = 20000;
      samples[i * 2 + 1] = -20000;
    }
    track.push(createAudioFrame({ samples, sampleRate: RATE, channels: 2 }));
    track.setGain(-6);
    const out = mixer.render(0).samples;
    for (let i = 0; i < 320; i++) expect(out[i * 2]).toBe(-out[i * 2 + 1]!);
    expect(out[638]).toBe(Math.round(20000 * 10 ** (-6 / 20)));
  });
});

describe('Mixer gain envelopes', () => {
  it('ramps a gain change linearly over 10 ms by default', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const track = mixer.addTrack('voice');
    track.push(dc(10000, 640));
    track.setGain(Number.NEGATIVE_INFINITY);
    const out = renderSamples(mixer, 1);
    for (let i = 0; i < RAMP; i++) expect(out[i]).toBe(Math.round(10000 * (1 - (i + 1) / RAMP)));
    expect(out.slice(RAMP).every((s) => s === 0)).toBe(true);
    expect(track.currentGain).toBe(0);
  });

  it('clamps requested ramps to maxRampMs and honours an explicit 0 ms ramp', () => {
    const mixer = new Mixer({ sampleRate: RATE, maxRampMs: 5 });
    const track = mixer.addTrack('voice');
    track.push(dc(10000, 960));
    track.setGain(Number.NEGATIVE_INFINITY, { rampMs: 500 });
    const first = mixer.render(0).samples;
    expect(first[79]).toBe(0); // 5 ms = 80 samples
    expect(first[78]).toBe(125);
    track.setGain(0, { rampMs: 0 });
    expect(mixer.render(20).samples[0]).toBe(10000);
  });

  it('ducks by the requested depth after the ramp and comes back on unduck', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const track = mixer.addTrack('speaker');
    track.push(dc(20000, 960));
    track.duck(-12);
    expect(track.ducked).toBe(true);
    expect(track.duckDb).toBe(-12);
    const ducked = mixer.render(0).samples;
    expect(track.currentGain).toBeCloseTo(0.2512, 4);
    expect(ducked[RAMP]).toBe(Math.round(20000 * 10 ** (-12 / 20))); // 5024
    expect(ducked[RAMP - 1]).toBe(ducked[RAMP]);
    track.unduck();
    const back = mixer.render(20).samples;
    expect(back[0]).toBeGreaterThan(ducked[RAMP]!);
    expect(back[0]).toBeLessThan(20000);
    expect(back[RAMP - 1]).toBe(20000);
    expect(track.ducked).toBe(false);
  });

  it('stacks a duck on top of the track gain, and re-ducking replaces the amount', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const track = mixer.addTrack('speaker', { gainDb: -6 });
    track.push(dc(20000, 640));
    track.duck(-6);
    track.duck(-12);
    mixer.render(0);
    expect(track.currentGain).toBeCloseTo(10 ** (-18 / 20), 9);
  });

  it('starts a new ramp from the current gain when a change arrives mid-ramp', () => {
    const mixer = new Mixer({ sampleRate: RATE, frameDurationMs: 5 }); // 80 samples: half a ramp
    const track = mixer.addTrack('voice');
    track.push(dc(16000, 400));
    track.setGain(Number.NEGATIVE_INFINITY);
    const first = mixer.render(0).samples;
    expect(track.currentGain).toBeCloseTo(0.5, 12);
    track.setGain(0);
    const second = mixer.render(5).samples;
    expect(first[79]).toBe(8000);
    // From 0.5 back to 1 over 160 samples: no jump at the boundary.
    expect(second[0]).toBe(Math.round(16000 * (0.5 + 0.5 / RAMP)));
    expect(second[79]).toBe(12000);
  });

  it('rejects bad gains, depths and ramps', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const track = mixer.addTrack('voice');
    expect(() => track.setGain(Number.NaN)).toThrowError(InvalidArgumentError);
    expect(() => track.setGain(Number.POSITIVE_INFINITY)).toThrowError(/gainDb/);
    expect(() => track.setGain(120)).toThrowError(/at most 96 dB/);
    expect(() => track.duck(6)).toThrowError(/amountDb: expected at most 0 dB/);
    expect(() => track.unduck({ rampMs: -1 })).toThrowError(/rampMs/);
    expect(() => mixer.addTrack('other', { gainDb: Number.NaN })).toThrowError(InvalidArgumentError);
  });
});

describe('Mixer crossfade', () => {
  it('fades from one track to the other with equal-power curves', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const from = mixer.addTrack('speaker');
    const to = mixer.addTrack('interrupter', { gainDb: Number.NEGATIVE_INFINITY });
    from.push(dc(10000, 640));
    to.push(dc(-6000, 640));
    mixer.crossfade('speaker', 'interrupter', 20);
    const out = mixer.render(0).samples; // 320 samples = the whole fade
    for (const i of [0, 100, 200, 319]) {
      const p = (i + 1) / 320;
      const expected = 10000 * Math.cos((p * Math.PI) / 2) - 6000 * Math.sin((p * Math.PI) / 2);
      expect(Math.abs(out[i]! - expected)).toBeLessThanOrEqual(1);
    }
    expect(from.currentGain ** 2 + to.currentGain ** 2).toBeCloseTo(1, 12);
    expect(from.gainDb).toBe(Number.NEGATIVE_INFINITY);
    expect(to.gainDb).toBe(0);
    expect(new Set(mixer.render(20).samples)).toEqual(new Set([-6000]));
  });

  it('cancels a duck on the incoming track and brings it to unity', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    mixer.addTrack('speaker').push(dc(10000, 960));
    const interjector = mixer.addTrack('interjector', { gainDb: -6 });
    interjector.push(dc(4000, 960));
    interjector.duck(-12);
    mixer.render(0);
    const duckedGain = interjector.currentGain;
    expect(duckedGain).toBeCloseTo(10 ** (-18 / 20), 12);
    mixer.crossfade('speaker', 'interjector', 10, { curve: 'linear' });
    expect(interjector.ducked).toBe(false);
    expect(interjector.gainDb).toBe(0);
    const fade = mixer.render(20).samples;
    // Linear fade: speaker 1 → 0, interjector from its ducked gain → 1, over 160 samples.
    const p = 80 / RAMP;
    expect(
      Math.abs(fade[79]! - (10000 * (1 - p) + 4000 * (duckedGain + (1 - duckedGain) * p))),
    ).toBeLessThanOrEqual(1);
    expect(new Set(mixer.render(40).samples)).toEqual(new Set([4000]));
  });

  it('lets a later gain change take over mid-crossfade from the gain reached', () => {
    const mixer = new Mixer({ sampleRate: RATE, frameDurationMs: 10 });
    const from = mixer.addTrack('a');
    mixer.addTrack('b');
    from.push(dc(10000, 800));
    mixer.crossfade('a', 'b', 40, { curve: 'linear' }); // 640 samples
    const first = mixer.render(0).samples;
    expect(first[159]).toBe(7500);
    from.setGain(0);
    const second = mixer.render(10).samples;
    expect(second[0]).toBe(Math.round(10000 * (0.75 + 0.25 / RAMP)));
    expect(second[159]).toBe(10000);
  });

  it('rejects unknown, identical ids and bad durations or curves', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    mixer.addTrack('a');
    mixer.addTrack('b');
    expect(() => mixer.crossfade('a', 'x', 10)).toThrowError(/toId: no track 'x'.*'a', 'b'/);
    expect(() => mixer.crossfade('x', 'b', 10)).toThrowError(/fromId/);
    expect(() => mixer.crossfade('a', 'a', 10)).toThrowError(/into itself/);
    expect(() => mixer.crossfade('a', 'b', -5)).toThrowError(/durationMs/);
    expect(() => mixer.crossfade('a', 'b', 5, { curve: 'exponential' as unknown as 'linear' })).toThrowError(
      /curve/,
    );
  });
});

describe('Mixer clear and remove', () => {
  it('clear fades the first 10 ms out and drops the rest', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const track = mixer.addTrack('agent');
    track.push(dc(16000, 3200));
    track.clear();
    expect(track.bufferedMs).toBe(10);
    const out = mixer.render(0).samples;
    for (let i = 0; i < RAMP; i++) expect(out[i]).toBe(Math.round((16000 * (RAMP - 1 - i)) / RAMP));
    expect(out.slice(RAMP).every((s) => s === 0)).toBe(true);
    track.push(dc(500, 320)); // new audio plays at the track's (unchanged) gain
    expect(new Set(mixer.render(20).samples)).toEqual(new Set([500]));
  });

  it('clear with rampMs 0 cuts at once, and clearing during a fade keeps the fade', () => {
    const mixer = new Mixer({ sampleRate: RATE, frameDurationMs: 5 });
    const track = mixer.addTrack('agent');
    track.push(dc(16000, 3200));
    track.clear();
    mixer.render(0);
    track.clear(); // the fade is half done: it goes on from 0.5, no step back up
    const out = mixer.render(5).samples;
    expect(out[0]).toBe(Math.round((16000 * (RAMP - 1 - 80)) / RAMP));
    track.push(dc(16000, 320));
    track.clear({ rampMs: 0 });
    expect(track.bufferedMs).toBe(0);
    expect(mixer.render(10).samples.every((s) => s === 0)).toBe(true);
  });

  it('remove frees the id at once while the fade tail still plays', () => {
    const mixer = new Mixer({ sampleRate: RATE });
    const track = mixer.addTrack('agent');
    track.push(dc(16000, 640));
    track.remove();
    expect(track.removed).toBe(true);
    expect(mixer.track('agent')).toBeUndefined();
    expect(mixer.trackIds).toEqual([]);
    const replacement = mixer.addTrack('agent');
    replacement.push(dc(1000, 320));
    const out = mixer.render(0).samples;
    expect(out[0]).toBe(1000 + Math.round((16000 * (RAMP - 1)) / RAMP));
    expect(out[RAMP]).toBe(1000);
    expect(() => track.push(dc(1, 10))).toThrowError(/was removed/);
    expect(() => track.setGain(0)).toThrowError(InvalidArgumentError);
    track.remove(); // idempotent
  });
});

describe('Mixer validation', () => {
  it('rejects frames of another format', () => {
    const mixer = new Mixer({ sampleRate: RATE, channels: 1 });
    const track = mixer.addTrack('voice');
    expect(() => track.push(dc(0, 480, 1, 24000))).toThrowError(AudioFormatError);
    expect(() => track.push(dc(0, 480, 1, 24000))).toThrowError(/24000 Hz mono frame.*16000 Hz mono/);
    expect(() => track.push(dc(0, 320, 2))).toThrowError(/stereo/);
  });

  it('rejects bad options and duplicate ids', () => {
    expect(() => new Mixer({ sampleRate: 11025 })).toThrowError(UnsupportedSampleRateError);
    expect(() => new Mixer({ sampleRate: RATE, channels: 3 })).toThrowError(AudioFormatError);
    expect(() => new Mixer({ sampleRate: 22050, frameDurationMs: 1 })).toThrowError(InvalidArgumentError);
    expect(() => new Mixer({ sampleRate: RATE, maxRampMs: -1 })).toThrowError(/maxRampMs/);
    const mixer = new Mixer({ sampleRate: RATE });
    mixer.addTrack('a');
    expect(() => mixer.addTrack('a')).toThrowError(/already attached/);
    expect(() => mixer.addTrack('')).toThrowError(/id/);
    expect(() => mixer.render(Number.NaN)).toThrowError(/timestamp/);
  });
});
