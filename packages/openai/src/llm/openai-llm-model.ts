import {
  type CallOptions,
  type LlmCapabilities,
  type LlmEvent,
  type LlmFinishReason,
  type LlmModel,
  type LlmRequest,
  type LlmUsage,
  NetworkError,
  realtimeScheduler,
  SPECIFICATION_VERSION,
  type SpecificationVersion,
} from '@argentum/core';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { defer, type Observable } from 'rxjs';
import { withCallPolicy } from '../internal/call-policy';
import { assertOptionalNumber } from '../internal/validate';
import type { OpenAIModelConfig } from '../openai-provider';
import { toChatMessages, toChatTools } from './convert-messages';
import type { OpenAILlmModelId, OpenAILlmOptions } from './openai-llm-options';

const FINISH_REASONS: Record<string, LlmFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

interface PendingToolCall {
  id: string;
  name: string;
  argumentsJson: string;
}

/**
 * A streaming chat model over OpenAI's Chat Completions API (`stream: true` with
 * `stream_options.include_usage`). Create it with `createOpenAI().languageModel(id)`.
 *
 * Each subscription to {@link OpenAILlmModel.stream} makes one request (plus retries while
 * nothing has been emitted) and emits `text-delta` events as the deltas arrive, one `tool-call`
 * per tool call once its streamed argument fragments are complete (when the finish reason
 * arrives), then `end` with the finish reason and token usage, and completes. Unsubscribing
 * aborts the HTTP request. Failures are core's typed `ProviderError`s.
 *
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 *
 * const llm = createOpenAI().languageModel('gpt-4o-mini', { topP: 0.9 });
 * llm.stream({ messages: [{ role: 'user', content: 'One word for joy?' }], temperature: 0.2 })
 *   .subscribe((event) => {
 *     if (event.type === 'text-delta') process.stdout.write(event.text);
 *     if (event.type === 'end') console.log('\n', event.finishReason, event.usage);
 *   });
 * ```
 */
export class OpenAILlmModel implements LlmModel {
  /** The spec version implemented (`v1`). */
  readonly specificationVersion: SpecificationVersion = SPECIFICATION_VERSION;
  /** `openai`. */
  readonly provider: string;
  /** The OpenAI model id. */
  readonly modelId: string;
  /** Streams deltas; supports tool calls. */
  readonly capabilities: LlmCapabilities = { streaming: true, tools: true };

  readonly #options: OpenAILlmOptions;
  readonly #config: OpenAIModelConfig;

  /**
   * Use `createOpenAI().languageModel(id, options)` rather than this constructor.
   * @param modelId - the OpenAI model id.
   * @param options - model-level options.
   * @param config - provider internals.
   * @internal
   */
  constructor(modelId: OpenAILlmModelId, options: OpenAILlmOptions, config: OpenAIModelConfig) {
    assertOptionalNumber('topP', options.topP, { min: 0, max: 1 });
    assertOptionalNumber('frequencyPenalty', options.frequencyPenalty, { min: -2, max: 2 });
    assertOptionalNumber('presencePenalty', options.presencePenalty, { min: -2, max: 2 });
    this.modelId = modelId;
    this.provider = config.policy.provider;
    this.#options = options;
    this.#config = config;
  }

  /**
   * Streams a completion (cold; one request per subscription).
   * @param request - messages, sampling settings and tools.
   * @param options - scheduler (stamps `at`, runs retries and timeouts) and per-call headers.
   * @returns `text-delta` / `tool-call` events, then one `end`.
   * @example
   * ```ts
   * const events = await lastValueFrom(llm.stream({ messages }).pipe(toArray()));
   * ```
   */
  stream(request: LlmRequest, options: CallOptions = {}): Observable<LlmEvent> {
    return defer(() => {
      const scheduler = options.scheduler ?? realtimeScheduler;
      const body = this.#requestBody(request);
      return withCallPolicy<LlmEvent>(
        async (signal, emit) => {
          const client = this.#config.client();
          const stream = await client.chat.completions.create(body, {
            signal,
            ...(options.headers === undefined ? {} : { headers: options.headers }),
          });
          const toolCalls = new Map<number, PendingToolCall>();
          let finishReason: LlmFinishReason | undefined;
          let usage: LlmUsage | undefined;
          for await (const chunk of stream) {
            if (signal.aborted) return;
            const at = scheduler.now();
            if (chunk.usage) {
              usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
            }
            const choice = chunk.choices.find((candidate) => candidate.index === 0);
            if (choice === undefined) continue;
            const text = choice.delta?.content;
            if (typeof text === 'string' && text !== '') emit({ type: 'text-delta', text, at });
            for (const fragment of choice.delta?.tool_calls ?? []) {
              const pending = toolCalls.get(fragment.index) ?? { id: '', name: '', argumentsJson: '' };
              if (fragment.id) pending.id = fragment.id;
              if (fragment.function?.name) pending.name += fragment.function.name;
              if (fragment.function?.arguments) pending.argumentsJson += fragment.function.arguments;
              toolCalls.set(fragment.index, pending);
            }
            if (choice.finish_reason) {
              finishReason = FINISH_REASONS[choice.finish_reason] ?? 'other';
              const ordered = [...toolCalls.entries()].sort(([a], [b]) => a - b);
              for (const [, call] of ordered) emit({ type: 'tool-call', ...call, at });
              toolCalls.clear();
            }
          }
          if (signal.aborted) return;
          if (finishReason === undefined) {
            throw new NetworkError({
              provider: this.provider,
              message:
                'the stream ended before the model finished (no finish reason); the answer is incomplete.',
            });
          }
          emit({ type: 'end', finishReason, ...(usage === undefined ? {} : { usage }), at: scheduler.now() });
        },
        this.#config.policy,
        scheduler,
      );
    });
  }

  #requestBody(request: LlmRequest): ChatCompletionCreateParamsStreaming {
    assertOptionalNumber('temperature', request.temperature, { min: 0, max: 2 });
    assertOptionalNumber('maxOutputTokens', request.maxOutputTokens, { min: 1, integer: true });
    assertOptionalNumber('seed', request.seed, { integer: true });
    const options = this.#options;
    const tools = request.tools ?? [];
    return {
      model: this.modelId,
      messages: toChatMessages(request.messages),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxOutputTokens === undefined ? {} : { max_completion_tokens: request.maxOutputTokens }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop: [...request.stop] }),
      ...(tools.length === 0 ? {} : { tools: toChatTools(tools) }),
      ...(tools.length === 0 || options.parallelToolCalls === undefined
        ? {}
        : { parallel_tool_calls: options.parallelToolCalls }),
      ...(options.topP === undefined ? {} : { top_p: options.topP }),
      ...(options.frequencyPenalty === undefined ? {} : { frequency_penalty: options.frequencyPenalty }),
      ...(options.presencePenalty === undefined ? {} : { presence_penalty: options.presencePenalty }),
      ...(options.reasoningEffort === undefined ? {} : { reasoning_effort: options.reasoningEffort }),
      ...(options.safetyIdentifier === undefined ? {} : { safety_identifier: options.safetyIdentifier }),
    };
  }
}
