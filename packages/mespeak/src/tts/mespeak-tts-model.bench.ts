import { bench, describe } from 'vitest';
import { getMespeakEngine } from '../internal/mespeak-engine';
import { createMespeak } from '../mespeak-provider';
import { synthesizeNow } from '../test-support/synthesize-now';

// One typical sentence (≈ 2.8 s of speech at 180 wpm). Divide the mean time by the audio
// duration printed below for the real-time factor.
const SENTENCE = 'This is sentence number seven of the benchmark run.';
const provider = createMespeak();
const chen = provider.speech('chen');
const engine = getMespeakEngine();
const parameters = {
  engineVoice: 'en/en-us',
  variant: 'm3',
  pitch: 40,
  speed: 180,
  amplitude: 100,
  wordGap: 0,
};
/** Long enough for ~100 samples per case on a shared machine. */
const OPTIONS = { time: 2000 };
const audioMs = synthesizeNow(chen, { text: SENTENCE }).end.durationMs; // also warms the engine up
console.log(`benchmark sentence: ${SENTENCE.length} characters, ${audioMs} ms of audio`);

describe('mespeak, one sentence, warm', () => {
  bench(
    'engine only (WAV bytes)',
    () => {
      engine.synthesize(SENTENCE, parameters);
    },
    OPTIONS,
  );
  bench(
    'synthesize() at 22 050 Hz: frames + marks',
    () => {
      synthesizeNow(chen, { text: SENTENCE });
    },
    OPTIONS,
  );
  bench(
    'synthesize() resampled to 16 kHz',
    () => {
      synthesizeNow(chen, { text: SENTENCE, sampleRate: 16000 });
    },
    OPTIONS,
  );
});
