/**
 * `@argentum/openai`: OpenAI models for Argentum — a streaming chat LLM, PCM speech synthesis
 * and transcription — through the official `openai` SDK, translated into core's provider spec.
 *
 * @packageDocumentation
 */
export { OpenAILlmModel } from './llm/openai-llm-model';
export type { OpenAILlmModelId, OpenAILlmOptions } from './llm/openai-llm-options';
export { mapOpenAIError, OPENAI_PROVIDER_NAME, parseRetryAfterMs } from './openai-error';
export { createOpenAI, type OpenAIProvider, type OpenAIProviderSettings, openai } from './openai-provider';
export { OpenAISttModel } from './stt/openai-stt-model';
export type { OpenAISttModelId, OpenAISttOptions } from './stt/openai-stt-options';
export { OpenAITtsModel } from './tts/openai-tts-model';
export type { OpenAITtsModelId, OpenAITtsOptions, OpenAIVoice } from './tts/openai-tts-options';
