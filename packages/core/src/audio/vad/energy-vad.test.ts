import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnsupportedSampleRateError } from '../../errors/index';
import type { AudioFrame } from '../audio-frame';
import { createEnergyVad } from './energy-vad';

/** A stretch of test signal: white noise, optionally with a 220 Hz tone of the given RMS level. */
interface Segment {
  ms: number;
  noiseDbfs: number;
  toneDbfs?: number;
}

/** Deterministic white noise + optional sine, as 20 ms frames at `sampleRate`. */
function makeFrames(segments: readonly Segment[], sampleRate = 16000, frameMs = 20): AudioFrame[] {
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed + 0.5) / 4294967296;
  };
  const gaussian = (): number => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  const perFrame = (sampleRate * frameMs) / 1000;
  const frames: AudioFrame[] = [];
  let index = 0;
  for (const segment of segments) {
    const noise = 32768 * 10 ** (segment.noiseDbfs / 20);
    const tone = segment.toneDbfs === undefined ? 0 : 32768 * Math.SQRT2 * 10 ** (segment.toneDbfs / 20);
    for (let f = 0; f < segment.ms / frameMs; f++, index++) {
      const samples = Int16Array.from({ length: perFrame }, (_, i) => {
        const t = (index * perFrame + i) / sampleRate;
        return Math.round(noise * gaussian() + tone * Math.sin(2 * Math.PI * 220 * t));
      });
      frames.push({ samples, sampleRate: sampleRate as 16000, channels: 1, timestamp: index * frameMs });
    }
  }
  return frames;
}

describe('createEnergyVad', () => {
  it('is a v1 VadModel named energy', () => {
    const vad = createEnergyVad({ sampleRate: 8000 });
    expect(vad.specificationVersion).toBe('v1');
    expect(vad.name).toBe('energy');
    expect(vad.sampleRate).toBe(8000);
    expect(createEnergyVad().sampleRate).toBe(16000);
  });

  it('scores steady background noise low and a tone 30 dB above it high', () => {
    const vad = createEnergyVad();
    const frames = makeFrames([
      { ms: 1000, noiseDbfs: -60 },
      { ms: 200, noiseDbfs: -60, toneDbfs: -30 },
    ]);
    const scores = frames.map((frame) => vad.score(frame));
    expect(Math.max(...scores.slice(0, 50))).toBeLessThan(0.1);
    expect(Math.min(...scores.slice(50))).toBeGreaterThan(0.95);
    expect(vad.noiseFloorDbfs).toBeLessThan(-55);
  });

  it('scores on a logistic curve: 0.5 at thresholdDb above the floor', () => {
    const vad = createEnergyVad({ thresholdDb: 12, softnessDb: 3, initialNoiseFloorDbfs: -50 });
    const [frame] = makeFrames([{ ms: 20, noiseDbfs: -38 }]);
    const score = vad.score(frame!);
    const aboveThresholdDb = (vad.levelDbfs ?? 0) + 50 - 12;
    expect(score).toBeCloseTo(1 / (1 + Math.exp(-aboveThresholdDb / 3)), 10);
    expect(score).toBeGreaterThan(0.3);
    expect(score).toBeLessThan(0.7);
  });

  it('learns a constant louder background within a few seconds (a fan switching on)', () => {
    const vad = createEnergyVad();
    const frames = makeFrames([
      { ms: 1000, noiseDbfs: -65 },
      { ms: 8000, noiseDbfs: -35 },
    ]);
    const scores = frames.map((frame) => vad.score(frame));
    expect(scores[51]).toBeGreaterThan(0.9); // the step itself sounds like speech…
    let lastLikely = 0;
    scores.forEach((score, index) => {
      if (score >= 0.35) lastLikely = index;
    });
    expect((lastLikely + 1) * 20 - 1000).toBeLessThan(5000); // …but not for more than 5 s
    expect(vad.noiseFloorDbfs).toBeGreaterThan(-38);
  });

  it('keeps fluctuating sound above the floor for seconds: it rises slowly under speech', () => {
    const vad = createEnergyVad();
    // 3 s alternating 100 ms loud / 100 ms quieter "syllables", 25 dB over the noise.
    const segments: Segment[] = [{ ms: 1000, noiseDbfs: -60 }];
    for (let i = 0; i < 15; i++) {
      segments.push({ ms: 100, noiseDbfs: -60, toneDbfs: -35 }, { ms: 100, noiseDbfs: -60, toneDbfs: -41 });
    }
    const scores = makeFrames(segments).map((frame) => vad.score(frame));
    expect(Math.min(...scores.slice(50))).toBeGreaterThan(0.9);
  });

  it('never treats sound near the minimum level as speech, even after digital silence', () => {
    const vad = createEnergyVad();
    const silence: AudioFrame = {
      samples: new Int16Array(320),
      sampleRate: 16000,
      channels: 1,
      timestamp: 0,
    };
    for (let i = 0; i < 20; i++) expect(vad.score(silence)).toBeLessThan(0.01);
    expect(vad.noiseFloorDbfs).toBe(-70);
    const hiss = makeFrames([{ ms: 200, noiseDbfs: -68 }]);
    for (const frame of hiss) expect(vad.score(frame)).toBeLessThan(0.05);
  });

  it('gives the same verdicts at 8, 16 and 48 kHz', () => {
    for (const sampleRate of [8000, 16000, 48000]) {
      const vad = createEnergyVad();
      const frames = makeFrames(
        [
          { ms: 600, noiseDbfs: -55 },
          { ms: 100, noiseDbfs: -55, toneDbfs: -30 },
        ],
        sampleRate,
      );
      const scores = frames.map((frame) => vad.score(frame));
      expect(Math.max(...scores.slice(0, 30))).toBeLessThan(0.1);
      expect(Math.min(...scores.slice(30))).toBeGreaterThan(0.95);
    }
  });

  it('detects a stream that starts mid-speech when given an initial floor', () => {
    const [loud] = makeFrames([{ ms: 20, noiseDbfs: -60, toneDbfs: -25 }]);
    expect(createEnergyVad().score(loud!)).toBeLessThan(0.01);
    expect(createEnergyVad({ initialNoiseFloorDbfs: -60 }).score(loud!)).toBeGreaterThan(0.99);
  });

  it('forgets the floor on reset and ignores empty frames', () => {
    const vad = createEnergyVad();
    for (const frame of makeFrames([{ ms: 200, noiseDbfs: -50 }])) vad.score(frame);
    expect(vad.score({ samples: new Int16Array(0), sampleRate: 16000, channels: 1, timestamp: 0 })).toBe(0);
    expect(vad.noiseFloorDbfs).toBeDefined();
    vad.reset();
    expect(vad.noiseFloorDbfs).toBeUndefined();
    expect(vad.levelDbfs).toBeUndefined();
  });

  it('rejects invalid options with the option named', () => {
    expect(() => createEnergyVad({ thresholdDb: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => createEnergyVad({ softnessDb: 0 })).toThrow(/softnessDb/);
    expect(() => createEnergyVad({ minimumLevelDbfs: 3 })).toThrow(/minimumLevelDbfs/);
    expect(() => createEnergyVad({ noiseFloorRiseDbPerSecond: -1 })).toThrow(/noiseFloorRiseDbPerSecond/);
    expect(() => createEnergyVad({ sampleRate: 11025 })).toThrow(UnsupportedSampleRateError);
  });
});
