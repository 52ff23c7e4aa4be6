import { describe, expect, it } from 'vitest';
import { AudioFormatError } from '../errors/index';
import { createAudioFrame, silentFrame } from './audio-frame';
import { measureLevel } from './level-meter';

/** One second of a sine at `frequency` Hz with peak `amplitude` (in int16 units) at 16 kHz. */
function sine(amplitude: number, frequency = 1000, sampleRate = 16000): Int16Array {
  return Int16Array.from({ length: sampleRate }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate)),
  );
}

describe('measureLevel', () => {
  it('reads a full-scale sine as -3.01 dBFS RMS and 0 dBFS peak', () => {
    const { rmsDbfs, peakDbfs } = measureLevel(sine(32767));
    expect(rmsDbfs).toBeCloseTo(-3.01, 2);
    expect(peakDbfs).toBeCloseTo(0, 3);
  });

  it('follows the amplitude: a sine 20 dB down reads 20 dB lower', () => {
    const loud = measureLevel(sine(32767, 440));
    const quiet = measureLevel(sine(3277, 440));
    expect(loud.rmsDbfs - quiet.rmsDbfs).toBeCloseTo(20, 2);
    expect(quiet.peakDbfs).toBeCloseTo(-20, 2);
  });

  it('reads a full-scale square wave as 0 dBFS RMS', () => {
    const square = Int16Array.from({ length: 160 }, (_, i) => (i % 20 < 10 ? -32768 : 32767));
    expect(measureLevel(square).rmsDbfs).toBeCloseTo(0, 3);
  });

  it('measures frames, stereo over both channels', () => {
    const left = sine(16384, 500);
    const stereo = new Int16Array(left.length * 2);
    for (let i = 0; i < left.length; i++) stereo[i * 2] = left[i]!; // right channel silent
    const level = measureLevel(createAudioFrame({ samples: stereo, sampleRate: 16000, channels: 2 }));
    expect(level.rmsDbfs).toBeCloseTo(measureLevel(left).rmsDbfs - 3.01, 2);
    expect(level.peakDbfs).toBeCloseTo(-6.02, 2);
  });

  it('reports digital silence and empty input as -Infinity', () => {
    expect(measureLevel(silentFrame({ sampleRate: 8000 }))).toEqual({
      rmsDbfs: Number.NEGATIVE_INFINITY,
      peakDbfs: Number.NEGATIVE_INFINITY,
    });
    expect(measureLevel(new Int16Array(0)).rmsDbfs).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects input that is not audio', () => {
    expect(() => measureLevel(new Float32Array(4) as unknown as Int16Array)).toThrow(AudioFormatError);
  });
});
