import { AuthenticationError } from '@argentum/core';
import OpenAI from 'openai';
import type { CallPolicy } from './internal/call-policy';
import { assertOptionalNumber } from './internal/validate';
import { OpenAILlmModel } from './llm/openai-llm-model';
import type { OpenAILlmModelId, OpenAILlmOptions } from './llm/openai-llm-options';
import { OPENAI_PROVIDER_NAME } from './openai-error';
import { OpenAISttModel } from './stt/openai-stt-model';
import type { OpenAISttModelId, OpenAISttOptions } from './stt/openai-stt-options';
import { OpenAITtsModel } from './tts/openai-tts-model';
import type { OpenAITtsModelId, OpenAITtsOptions } from './tts/openai-tts-options';

/**
 * Settings of {@link createOpenAI}. Every field is optional.
 *
 * @example
 * ```ts
 * const settings: OpenAIProviderSettings = { baseURL: 'https://proxy.example/v1', maxRetries: 1, timeoutMs: 15_000 };
 * const openai = createOpenAI(settings);
 * ```
 */
export interface OpenAIProviderSettings {
  /**
   * The API key. When omitted, `OPENAI_API_KEY` is read from the environment at each call (not
   * when the provider is created), so a key set later is picked up.
   */
  apiKey?: string;
  /**
   * The API base URL including `/v1`, e.g. a proxy or the test server's `baseURL`. Defaults to the
   * SDK's (`OPENAI_BASE_URL`, else `https://api.openai.com/v1`).
   */
  baseURL?: string;
  /** The OpenAI organization id, sent as `OpenAI-Organization`. */
  organization?: string;
  /** The OpenAI project id, sent as `OpenAI-Project`. */
  project?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A `fetch` implementation to use instead of the global one (proxies, instrumentation, tests). */
  fetch?: typeof globalThis.fetch;
  /**
   * Retries after a retryable failure (rate limit, server error, network drop, timeout) that
   * happened before any event was emitted. Default 2; 0 disables retrying.
   */
  maxRetries?: number;
  /** Base of the exponential backoff between retries, in ms (full jitter). Default 500. */
  retryBaseDelayMs?: number;
  /**
   * Cap of one backoff delay, in ms; a `retry-after` longer than this is not waited for (the
   * `RateLimitError` is emitted instead). Default 10 000.
   */
  retryMaxDelayMs?: number;
  /**
   * Longest wait, in ms, for a call's first event and between two events before the request is
   * aborted with a `TimeoutError`. Default 60 000; raise it for reasoning models.
   */
  timeoutMs?: number;
  /** Source of the backoff jitter, uniform in [0, 1). Defaults to `Math.random`; pass a seeded one for replayable runs. */
  random?: () => number;
}

/**
 * An OpenAI provider: a factory of models that share settings (credentials, base URL, retry and
 * timeout policy).
 *
 * @example
 * ```ts
 * const provider: OpenAIProvider = createOpenAI();
 * const llm = provider.languageModel('gpt-4o-mini');
 * ```
 */
export interface OpenAIProvider {
  /** The provider name recorded on its models and errors (`openai`). */
  readonly name: string;
  /**
   * A streaming chat model.
   * @param modelId - e.g. `gpt-4o-mini`.
   * @param options - model-level options.
   * @returns an {@link OpenAILlmModel}.
   */
  languageModel(modelId: OpenAILlmModelId, options?: OpenAILlmOptions): OpenAILlmModel;
  /**
   * A speech (TTS) model producing 24 kHz PCM16.
   * @param modelId - e.g. `gpt-4o-mini-tts`, `tts-1`.
   * @param options - voice, speed, instructions.
   * @returns an {@link OpenAITtsModel}.
   */
  speech(modelId: OpenAITtsModelId, options?: OpenAITtsOptions): OpenAITtsModel;
  /**
   * A transcription (STT) model.
   * @param modelId - e.g. `gpt-4o-mini-transcribe`, `whisper-1`.
   * @param options - streaming, language, temperature.
   * @returns an {@link OpenAISttModel}.
   */
  transcription(modelId: OpenAISttModelId, options?: OpenAISttOptions): OpenAISttModel;
}

/**
 * What models need from their provider: a client (built lazily, at call time) and the call policy.
 * @internal
 */
export interface OpenAIModelConfig {
  /** Returns the SDK client, throwing `AuthenticationError` when no key is available. */
  client(): OpenAI;
  /** Retry and timeout policy. */
  policy: CallPolicy;
}

/** The SDK's own timeout is disabled (our policy owns timeouts): the largest delay a timer accepts. */
const SDK_TIMEOUT_DISABLED_MS = 2_147_483_647;

function environmentApiKey(): string | undefined {
  const environment = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const key = environment?.OPENAI_API_KEY;
  return key === undefined || key === '' ? undefined : key;
}

/**
 * Creates an OpenAI provider. Nothing happens until a model is called: the API key is resolved
 * (from `settings.apiKey` or `OPENAI_API_KEY`) and the SDK client built at the first call, and
 * rebuilt only if the key changes. The SDK's own retries and timeout are disabled — retries
 * (exponential backoff with full jitter, `retry-after` honoured) and timeouts run on the call's
 * scheduler, so they are testable in virtual time.
 *
 * @param settings - credentials, endpoint, headers, `fetch`, retry and timeout policy.
 * @returns the provider.
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 *
 * const openai = createOpenAI({ maxRetries: 3, timeoutMs: 20_000 });
 * const llm = openai.languageModel('gpt-4o-mini');
 * const tts = openai.speech('gpt-4o-mini-tts', { voice: 'coral' });
 * const stt = openai.transcription('gpt-4o-mini-transcribe');
 * ```
 */
export function createOpenAI(settings: OpenAIProviderSettings = {}): OpenAIProvider {
  const policy: CallPolicy = {
    provider: OPENAI_PROVIDER_NAME,
    maxRetries: assertOptionalNumber('maxRetries', settings.maxRetries, { min: 0, integer: true }) ?? 2,
    retryBaseDelayMs: assertOptionalNumber('retryBaseDelayMs', settings.retryBaseDelayMs, { min: 0 }) ?? 500,
    retryMaxDelayMs: assertOptionalNumber('retryMaxDelayMs', settings.retryMaxDelayMs, { min: 0 }) ?? 10_000,
    timeoutMs: assertOptionalNumber('timeoutMs', settings.timeoutMs, { min: 1 }) ?? 60_000,
    random: settings.random ?? Math.random,
  };
  let cached: { apiKey: string; client: OpenAI } | undefined;
  const client = (): OpenAI => {
    const apiKey = settings.apiKey ?? environmentApiKey();
    if (apiKey === undefined) {
      throw new AuthenticationError({
        provider: OPENAI_PROVIDER_NAME,
        message: 'no API key: pass apiKey to createOpenAI() or set the OPENAI_API_KEY environment variable.',
      });
    }
    if (cached?.apiKey !== apiKey) {
      cached = {
        apiKey,
        client: new OpenAI({
          apiKey,
          baseURL: settings.baseURL,
          organization: settings.organization,
          project: settings.project,
          defaultHeaders: settings.headers,
          fetch: settings.fetch,
          maxRetries: 0,
          timeout: SDK_TIMEOUT_DISABLED_MS,
          logLevel: 'off',
        }),
      };
    }
    return cached.client;
  };
  const config: OpenAIModelConfig = { client, policy };
  return {
    name: OPENAI_PROVIDER_NAME,
    languageModel: (modelId, options) => new OpenAILlmModel(modelId, options ?? {}, config),
    speech: (modelId, options) => new OpenAITtsModel(modelId, options ?? {}, config),
    transcription: (modelId, options) => new OpenAISttModel(modelId, options ?? {}, config),
  };
}

/**
 * The default provider: `createOpenAI()` with no settings, reading `OPENAI_API_KEY` at call time.
 * Creating it does no work (no client, no environment read).
 *
 * @example
 * ```ts
 * import { openai } from '@argentum/openai';
 *
 * openai.languageModel('gpt-4o-mini')
 *   .stream({ messages: [{ role: 'user', content: 'Say hi.' }] })
 *   .subscribe((event) => event.type === 'text-delta' && process.stdout.write(event.text));
 * ```
 */
export const openai: OpenAIProvider = /* @__PURE__ */ createOpenAI();
