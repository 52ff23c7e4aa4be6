import { concatMap, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createOpenAI } from '../openai-provider';

const apiKey = process.env.OPENAI_API_KEY;
if (!apiKey) console.info('[live] OpenAI STT live tests skipped: set OPENAI_API_KEY to run them.');

describe.skipIf(!apiKey)('OpenAISttModel (live, needs OPENAI_API_KEY)', () => {
  it('transcribes speech synthesized by the real API', { timeout: 90_000 }, async () => {
    const openai = createOpenAI();
    const tts = openai.speech('gpt-4o-mini-tts');
    const stt = openai.transcription(process.env.OPENAI_STT_MODEL ?? 'gpt-4o-mini-transcribe', {
      language: 'en',
    });
    const events = await lastValueFrom(
      tts.synthesize({ text: 'The quick brown fox.', sampleRate: 16_000 }).pipe(
        toArray(),
        concatMap((ttsEvents) =>
          stt.transcribe({
            audio: ttsEvents.flatMap((event) => (event.type === 'audio' ? [event.frame] : [])),
          }),
        ),
        toArray(),
      ),
    );
    const final = events.at(-1);
    expect(final?.type).toBe('transcript-final');
    expect(final?.text.toLowerCase()).toContain('fox');
  });
});
