import { InvalidArgumentError } from '@argentum/core';
import { describe, expect, test } from 'vitest';
import { createMespeak, mespeak } from './mespeak-provider';
import { medianPitchHz } from './test-support/audio-analysis';
import { synthesizeNow } from './test-support/synthesize-now';
import { DEFAULT_MESPEAK_VOICE, MESPEAK_VOICES } from './tts/mespeak-voices';

function argumentOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error.argument;
    throw error;
  }
  return undefined;
}

describe('createMespeak', () => {
  test('offers the built-in voices, with ada as the default', () => {
    const provider = createMespeak();
    expect(Object.keys(provider.voices)).toEqual(Object.keys(MESPEAK_VOICES));
    expect(provider.defaultVoice).toBe(DEFAULT_MESPEAK_VOICE);
    expect(provider.speech().voice).toBe('ada');
    expect(provider.tts('bruno').voice).toBe('bruno');
    expect(mespeak.speech('chen').voice).toBe('chen');
  });

  test('registers custom voices that requests can use', () => {
    const provider = createMespeak({
      voices: { gus: { engineVoice: 'en/en-wm', variant: 'm4', pitch: 10, speed: 150 } },
      defaultVoice: 'gus',
    });
    const model = provider.speech();
    expect(model.voice).toBe('gus');
    const gus = synthesizeNow(model, { text: 'A very low voice indeed.' });
    const dara = synthesizeNow(provider.speech('dara'), { text: 'A very low voice indeed.' });
    expect(medianPitchHz(gus.samples, 22050)).toBeLessThan(0.5 * medianPitchHz(dara.samples, 22050));
  });

  test('trims the silence after each sentence to maxSentencePauseMs', () => {
    const text = 'First. Second.';
    const tight = synthesizeNow(createMespeak({ maxSentencePauseMs: 0 }).speech('ada'), { text });
    const loose = synthesizeNow(createMespeak({ maxSentencePauseMs: 1000 }).speech('ada'), { text });
    expect(loose.end.durationMs - tight.end.durationMs).toBeGreaterThan(400);
    expect(
      tight.sentences[1]!.offsetMs - (tight.sentences[0]!.offsetMs + tight.sentences[0]!.durationMs),
    ).toBeLessThan(30);
  });

  test('cuts long sentences at maxSentenceChars', () => {
    const text = 'This rather long sentence, which goes on and on, has several clauses, and no end in sight';
    const result = synthesizeNow(createMespeak({ maxSentenceChars: 30 }).speech('ada'), { text });
    expect(result.sentences.length).toBeGreaterThan(2);
    expect(result.sentences.every((mark) => mark.text.length <= 30)).toBe(true);
  });

  test('rejects bad settings, naming the field', () => {
    expect(argumentOf(() => createMespeak({ defaultVoice: 'nobody' }))).toBe('defaultVoice');
    expect(argumentOf(() => createMespeak({ maxSentenceChars: 5 }))).toBe('maxSentenceChars');
    expect(argumentOf(() => createMespeak({ maxSentenceChars: 50.5 }))).toBe('maxSentenceChars');
    expect(argumentOf(() => createMespeak({ maxSentencePauseMs: -1 }))).toBe('maxSentencePauseMs');
    expect(argumentOf(() => createMespeak({ voices: { x: { engineVoice: 'klingon' as 'fr' } } }))).toBe(
      'voices.x.engineVoice',
    );
    expect(
      argumentOf(() => createMespeak({ voices: { x: { engineVoice: 'fr', variant: 'robot' as 'm1' } } })),
    ).toBe('voices.x.variant');
    expect(argumentOf(() => createMespeak({ voices: { x: { engineVoice: 'fr', pitch: 120 } } }))).toBe(
      'voices.x.pitch',
    );
    expect(argumentOf(() => createMespeak({ voices: { x: { engineVoice: 'fr', speed: 20 } } }))).toBe(
      'voices.x.speed',
    );
    expect(argumentOf(() => createMespeak().speech('nobody'))).toBe('voice');
    expect(argumentOf(() => createMespeak().speech({ voice: 'ada', prosody: { rate: -1 } }))).toBe(
      'prosody.rate',
    );
  });
});
