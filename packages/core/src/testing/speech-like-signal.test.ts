import { describe, expect, it } from 'vitest';
import { measureLevel } from '../audio/level-meter';
import { InvalidArgumentError, UnsupportedSampleRateError } from '../errors/index';
import { generateSpeechLikeSignal } from './speech-like-signal';

/** Samples of the signal between two times in ms. */
function slice(samples: Int16Array, sampleRate: number, fromMs: number, toMs: number): Int16Array {
  return samples.subarray(Math.round((fromMs * sampleRate) / 1000), Math.round((toMs * sampleRate) / 1000));
}

/** Frequency (Hz) of the strongest autocorrelation peak between 80 and 300 Hz. */
function pitchOf(samples: Int16Array, sampleRate: number): number {
  let bestLag = 0;
  let best = Number.NEGATIVE_INFINITY;
  for (let lag = Math.floor(sampleRate / 300); lag <= Math.ceil(sampleRate / 80); lag++) {
    let sum = 0;
    for (let i = 0; i + lag < samples.length; i++) sum += samples[i]! * samples[i + lag]!;
    if (sum > best) {
      best = sum;
      bestLag = lag;
    }
  }
  return sampleRate / bestLag;
}

describe('generateSpeechLikeSignal', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = generateSpeechLikeSignal({ seed: 5 });
    const b = generateSpeechLikeSignal({ seed: 5 });
    const c = generateSpeechLikeSignal({ seed: 6 });
    expect(a.samples.length).toBe(b.samples.length);
    expect(a.samples.every((value, index) => value === b.samples[index])).toBe(true);
    expect(a.utterances).toEqual(b.utterances);
    expect(c.utterances).not.toEqual(a.utterances);
  });

  it('lays out the requested utterances with gaps and lengths in range', () => {
    const signal = generateSpeechLikeSignal({
      seed: 11,
      utteranceCount: 6,
      minUtteranceMs: 500,
      maxUtteranceMs: 900,
      minGapMs: 300,
      maxGapMs: 600,
    });
    expect(signal.utterances).toHaveLength(6);
    let previousEnd = 0;
    for (const { startMs, endMs } of signal.utterances) {
      expect(startMs - previousEnd).toBeGreaterThanOrEqual(299.9);
      expect(startMs - previousEnd).toBeLessThanOrEqual(600.1);
      expect(endMs - startMs).toBeGreaterThanOrEqual(499.9);
      expect(endMs - startMs).toBeLessThanOrEqual(900.1);
      previousEnd = endMs;
    }
    expect(signal.durationMs - previousEnd).toBeGreaterThanOrEqual(299.9);
    expect(signal.samples.length).toBe((signal.durationMs * 16000) / 1000);
  });

  it('puts speech at the requested level over noise at the requested level', () => {
    const signal = generateSpeechLikeSignal({ seed: 3, speechLevelDbfs: -24, noiseLevelDbfs: -50 });
    const { samples, sampleRate } = signal;
    for (const [index, { startMs, endMs }] of signal.utterances.entries()) {
      const speech = measureLevel(slice(samples, sampleRate, startMs, endMs)).rmsDbfs;
      expect(speech).toBeGreaterThan(-27.5);
      expect(speech).toBeLessThan(-20.5);
      const gapEnd = signal.utterances[index + 1]?.startMs ?? signal.durationMs;
      const gap = measureLevel(slice(samples, sampleRate, endMs + 1, gapEnd)).rmsDbfs;
      expect(gap).toBeCloseTo(-50, 0);
    }
  });

  it('is voiced: a pitch between 90 and 250 Hz inside every utterance', () => {
    const signal = generateSpeechLikeSignal({ seed: 8, utteranceCount: 5 });
    for (const { startMs } of signal.utterances) {
      const pitch = pitchOf(slice(signal.samples, 16000, startMs + 100, startMs + 140), 16000);
      expect(pitch).toBeGreaterThanOrEqual(85);
      expect(pitch).toBeLessThanOrEqual(260);
    }
  });

  it('rises from the noise at the onset: the attack starts exactly at startMs', () => {
    const signal = generateSpeechLikeSignal({ seed: 21, utteranceCount: 3, noiseLevelDbfs: -70 });
    for (const { startMs } of signal.utterances) {
      const before = measureLevel(slice(signal.samples, 16000, startMs - 20, startMs)).rmsDbfs;
      const after = measureLevel(slice(signal.samples, 16000, startMs + 40, startMs + 60)).rmsDbfs;
      expect(before).toBeLessThan(-65);
      expect(after).toBeGreaterThan(-35);
    }
  });

  it('is syllabic: the level swings by several dB within an utterance', () => {
    const signal = generateSpeechLikeSignal({ seed: 4, utteranceCount: 1, minUtteranceMs: 2000 });
    const { startMs, endMs } = signal.utterances[0]!;
    const levels: number[] = [];
    for (let t = startMs + 100; t + 40 < endMs - 100; t += 40) {
      levels.push(measureLevel(slice(signal.samples, 16000, t, t + 40)).rmsDbfs);
    }
    expect(Math.max(...levels) - Math.min(...levels)).toBeGreaterThan(4);
  });

  it('cuts frames with exact timestamps, zero-padding the last', () => {
    const signal = generateSpeechLikeSignal({ seed: 2, sampleRate: 8000, utteranceCount: 1 });
    const frames = signal.frames(30, 100);
    expect(frames.every((frame) => frame.samples.length === 240 && frame.sampleRate === 8000)).toBe(true);
    expect(frames[3]?.timestamp).toBe(190);
    expect(frames.length).toBe(Math.ceil(signal.samples.length / 240));
  });

  it('rejects impossible options', () => {
    expect(() => generateSpeechLikeSignal({ seed: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => generateSpeechLikeSignal({ seed: 1, minGapMs: 500, maxGapMs: 400 })).toThrow(/maxGapMs/);
    expect(() => generateSpeechLikeSignal({ seed: 1, utteranceCount: -1 })).toThrow(/utteranceCount/);
    expect(() => generateSpeechLikeSignal({ seed: 1, sampleRate: 11025 })).toThrow(
      UnsupportedSampleRateError,
    );
  });
});
