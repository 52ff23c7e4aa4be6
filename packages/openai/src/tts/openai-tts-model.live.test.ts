import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createOpenAI } from '../openai-provider';

const apiKey = process.env.OPENAI_API_KEY;
if (!apiKey) console.info('[live] OpenAI TTS live tests skipped: set OPENAI_API_KEY to run them.');

describe.skipIf(!apiKey)('OpenAITtsModel (live, needs OPENAI_API_KEY)', () => {
  it('synthesizes 20 ms frames and marks from the real API', { timeout: 60_000 }, async () => {
    const tts = createOpenAI().speech(process.env.OPENAI_TTS_MODEL ?? 'gpt-4o-mini-tts', { voice: 'alloy' });
    const events = await lastValueFrom(
      tts.synthesize({ text: 'Hello from Argentum.', sampleRate: 16_000 }).pipe(toArray()),
    );
    const frames = events.flatMap((event) => (event.type === 'audio' ? [event.frame] : []));
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.every((frame) => frame.sampleRate === 16_000 && frame.samples.length === 320)).toBe(true);
    expect(events.filter((event) => event.type === 'mark' && event.kind === 'word')).toHaveLength(3);
    const end = events.at(-1);
    expect(end?.type === 'end' && end.durationMs > 300).toBe(true);
  });
});
