import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createOpenAI } from '../openai-provider';

const apiKey = process.env.OPENAI_API_KEY;
if (!apiKey) console.info('[live] OpenAI LLM live tests skipped: set OPENAI_API_KEY to run them.');

describe.skipIf(!apiKey)('OpenAILlmModel (live, needs OPENAI_API_KEY)', () => {
  it('streams a short answer with usage from the real API', { timeout: 60_000 }, async () => {
    const llm = createOpenAI().languageModel(process.env.OPENAI_LLM_MODEL ?? 'gpt-4o-mini');
    const events = await lastValueFrom(
      llm
        .stream({
          messages: [{ role: 'user', content: 'Reply with exactly the word: pong' }],
          maxOutputTokens: 20,
        })
        .pipe(toArray()),
    );
    const text = events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
    expect(text.toLowerCase()).toContain('pong');
    const end = events.at(-1);
    expect(end?.type).toBe('end');
    if (end?.type === 'end') expect(end.usage?.outputTokens).toBeGreaterThan(0);
  });
});
