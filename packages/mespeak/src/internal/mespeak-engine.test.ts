import { readWav } from '@argentum/core';
import { describe, expect, test } from 'vitest';
import { firstDifference, rmsDbfs } from '../test-support/audio-analysis';
import { type EngineParameters, getMespeakEngine, RECYCLE_AFTER_CALLS } from './mespeak-engine';

const PARAMETERS: EngineParameters = {
  engineVoice: 'en/en-us',
  variant: 'm3',
  pitch: 50,
  speed: 175,
  amplitude: 100,
  wordGap: 0,
};

describe('the mespeak engine', () => {
  test('returns a 22 050 Hz mono 16-bit WAV of real speech', () => {
    const wav = readWav(getMespeakEngine().synthesize('Hello world.', PARAMETERS));
    expect(wav.format).toEqual({ sampleRate: 22050, channels: 1 });
    expect(wav.durationMs).toBeGreaterThan(500);
    expect(rmsDbfs(wav.samples)).toBeGreaterThan(-30);
  });

  test('survives far more calls than one engine heap holds, restarting the engine as it goes', () => {
    // One engine instance leaks ~645 kB per call into a fixed 50 MB heap and aborts the process
    // after ~79 calls; 3 × RECYCLE_AFTER_CALLS + 10 calls would crash without recycling.
    const engine = getMespeakEngine();
    const before = engine.instancesCreated;
    const reference = engine.synthesize('Again and again.', PARAMETERS);
    for (let i = 0; i < 3 * RECYCLE_AFTER_CALLS + 10; i++) {
      expect(firstDifference(engine.synthesize('Again and again.', PARAMETERS), reference)).toBe(-1);
    }
    expect(engine.instancesCreated - before).toBeGreaterThanOrEqual(3);
  }, 60_000);

  test('speaks text that starts with a dash instead of reading it as a command-line option', () => {
    const wav = readWav(getMespeakEngine().synthesize('-v is not an option here', PARAMETERS));
    expect(wav.durationMs).toBeGreaterThan(800);
  });

  test('loads other languages’ voice modules on demand', () => {
    const wav = readWav(
      getMespeakEngine().synthesize('Bonjour à tous.', { ...PARAMETERS, engineVoice: 'fr' }),
    );
    expect(rmsDbfs(wav.samples)).toBeGreaterThan(-30);
  });
});
