import { InvalidArgumentError, SPECIFICATION_VERSION } from '@argentum/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from './internal/test-helpers.test-support';
import { createOpenAI, openai } from './openai-provider';
import { createOpenAITestServer, type OpenAITestServer } from './testing/index';

let server: OpenAITestServer;

beforeEach(async () => {
  server = await createOpenAITestServer();
});
afterEach(async () => {
  await server.close();
});

describe('createOpenAI', () => {
  it('creates models that identify themselves and declare their capabilities', () => {
    const provider = createOpenAI({ apiKey: 'k' });
    const llm = provider.languageModel('gpt-4o-mini');
    const tts = provider.speech('gpt-4o-mini-tts');
    const stt = provider.transcription('whisper-1');
    for (const model of [llm, tts, stt]) {
      expect(model.specificationVersion).toBe(SPECIFICATION_VERSION);
      expect(model.provider).toBe('openai');
    }
    expect(llm.modelId).toBe('gpt-4o-mini');
    expect(llm.capabilities).toEqual({ streaming: true, tools: true });
    expect(tts.sampleRate).toBe(24_000);
    expect(tts.capabilities).toEqual({
      streamingInput: false,
      streamingOutput: true,
      alignedMarks: false,
      multiContextCancel: false,
    });
    expect(stt.capabilities.partials).toBe(false);
    expect(provider.transcription('gpt-4o-transcribe').capabilities.partials).toBe(true);
    expect(provider.transcription('gpt-4o-transcribe', { stream: false }).capabilities.partials).toBe(false);
  });

  it('validates numeric settings when the provider is created', () => {
    expect(() => createOpenAI({ maxRetries: -1 })).toThrow(InvalidArgumentError);
    expect(() => createOpenAI({ maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(() => createOpenAI({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createOpenAI().languageModel('m', { topP: 2 })).toThrow(/topP/);
  });

  it('sends requests through an injected fetch with organization and project headers', async () => {
    const seen: string[] = [];
    const provider = createOpenAI({
      apiKey: 'k',
      baseURL: server.baseURL,
      organization: 'org-1',
      project: 'proj-1',
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    const { error } = await collect(
      provider.languageModel('gpt-4o-mini').stream({ messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error).toBeUndefined();
    expect(seen).toEqual([`${server.baseURL}/chat/completions`]);
    expect(server.requests[0]?.headers).toMatchObject({
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
    });
  });

  it('disables the SDK’s own retries so the policy is the only one', async () => {
    server.setScript({ chat: { type: 'http-error', status: 500 } });
    const provider = createOpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    await collect(provider.languageModel('m').stream({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(server.requests).toHaveLength(1);
  });

  it('has a default instance that does no work until called', () => {
    expect(openai.name).toBe('openai');
    expect(openai.languageModel('gpt-4o-mini').modelId).toBe('gpt-4o-mini');
  });
});
