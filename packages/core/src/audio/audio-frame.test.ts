import { describe, expect, it } from 'vitest';
import { AudioFormatError, InvalidArgumentError, UnsupportedSampleRateError } from '../errors/index';
import {
  createAudioFrame,
  frameDurationMs,
  frameLength,
  samplesPerDuration,
  silentFrame,
} from './audio-frame';

describe('createAudioFrame', () => {
  it('accepts interleaved stereo at a supported rate', () => {
    const frame = createAudioFrame({
      samples: new Int16Array(1920),
      sampleRate: 48000,
      channels: 2,
      timestamp: 40,
    });
    expect(frameLength(frame)).toBe(960);
    expect(frameDurationMs(frame)).toBe(20);
    expect(frame.timestamp).toBe(40);
  });

  it('rejects unsupported rates with the rate named', () => {
    const attempt = () => createAudioFrame({ samples: new Int16Array(10), sampleRate: 11025, channels: 1 });
    expect(attempt).toThrowError(/11025 Hz/);
    try {
      attempt();
    } catch (error) {
      expect(UnsupportedSampleRateError.isInstance(error)).toBe(true);
      expect(AudioFormatError.isInstance(error)).toBe(false);
    }
  });

  it('rejects sample counts that do not fill every channel', () => {
    expect(() =>
      createAudioFrame({ samples: new Int16Array(3), sampleRate: 16000, channels: 2 }),
    ).toThrowError(AudioFormatError);
  });

  it('rejects channel counts other than 1 and 2', () => {
    expect(() =>
      createAudioFrame({ samples: new Int16Array(6), sampleRate: 16000, channels: 3 }),
    ).toThrowError(/channel count 3/);
  });

  it('rejects a non-finite timestamp', () => {
    expect(() =>
      createAudioFrame({ samples: new Int16Array(2), sampleRate: 16000, channels: 1, timestamp: Number.NaN }),
    ).toThrowError(InvalidArgumentError);
  });
});

describe('samplesPerDuration', () => {
  it('computes whole sample counts and refuses fractional ones', () => {
    expect(samplesPerDuration(22050, 20)).toBe(441);
    expect(() => samplesPerDuration(22050, 10)).toThrowError(InvalidArgumentError);
  });

  it('silentFrame has the requested duration', () => {
    expect(frameDurationMs(silentFrame({ sampleRate: 44100, channels: 2, durationMs: 40 }))).toBe(40);
  });
});
