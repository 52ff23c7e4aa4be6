import {
  AuthenticationError,
  BadRequestError,
  type CallOptions,
  type LlmEvent,
  type LlmFinishReason,
  type LlmModel,
  type LlmRequest,
  NetworkError,
  ProtocolError,
  ProviderError,
  RateLimitError,
  realtimeScheduler,
  ServerError,
  SPECIFICATION_VERSION,
} from '@argentum/core';
import { Observable } from 'rxjs';

const provider = 'compatible-chat';

/** Settings of {@link createCompatibleChat}. */
export interface CompatibleChatSettings {
  /** Base URL including `/v1`. */
  baseURL: string;
  /** API key; read from `CHAT_API_KEY` at call time when omitted. */
  apiKey?: string;
  /** Injectable fetch. */
  fetch?: typeof fetch;
}

/** Maps an HTTP failure to core's typed errors. */
function httpError(status: number, body: string, headers: Headers): ProviderError {
  const message = `HTTP ${status}: ${body.slice(0, 200)}`;
  if (status === 401 || status === 403) return new AuthenticationError({ provider, status, message });
  if (status === 429) {
    const seconds = Number(headers.get('retry-after') ?? Number.NaN);
    return new RateLimitError({
      provider,
      status,
      message,
      ...(seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  if (status >= 500) return new ServerError({ provider, status, message });
  return new BadRequestError({ provider, status, message });
}

const finishReasons: Record<string, LlmFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
};

class CompatibleChatModel implements LlmModel {
  readonly specificationVersion = SPECIFICATION_VERSION;
  readonly provider = provider;
  readonly capabilities = { streaming: true, tools: false };

  constructor(
    readonly modelId: string,
    private readonly settings: CompatibleChatSettings,
  ) {}

  stream(request: LlmRequest, options: CallOptions = {}): Observable<LlmEvent> {
    return new Observable<LlmEvent>((subscriber) => {
      const scheduler = options.scheduler ?? realtimeScheduler;
      const controller = new AbortController();
      const run = async (): Promise<void> => {
        const apiKey = this.settings.apiKey ?? process.env.CHAT_API_KEY;
        if (!apiKey) throw new AuthenticationError({ provider, message: 'set CHAT_API_KEY or pass apiKey.' });
        const response = await (this.settings.fetch ?? fetch)(`${this.settings.baseURL}/chat/completions`, {
          method: 'POST',
          signal: controller.signal,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${apiKey}`,
            ...options.headers,
          },
          body: JSON.stringify({
            model: this.modelId,
            messages: request.messages.map(({ role, content }) => ({ role, content })),
            stream: true,
          }),
        });
        if (!response.ok || response.body === null) {
          throw httpError(response.status, await response.text(), response.headers);
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let finishReason: LlmFinishReason = 'other';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new NetworkError({ provider, message: 'the stream ended before [DONE].' });
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const data = buffer.slice(0, end).replace(/^data: ?/, '');
            buffer = buffer.slice(end + 2);
            if (data === '[DONE]') {
              subscriber.next({ type: 'end', finishReason, at: scheduler.now() });
              return;
            }
            let chunk: {
              error?: { message: string };
              choices?: { delta?: { content?: string }; finish_reason?: string }[];
            };
            try {
              chunk = JSON.parse(data);
            } catch (cause) {
              throw new ProtocolError({ provider, message: 'malformed JSON in the stream.', cause });
            }
            if (chunk.error) throw new ServerError({ provider, message: chunk.error.message });
            const choice = chunk.choices?.[0];
            const text = choice?.delta?.content;
            if (text) subscriber.next({ type: 'text-delta', text, at: scheduler.now() });
            if (choice?.finish_reason) finishReason = finishReasons[choice.finish_reason] ?? 'other';
          }
        }
      };
      run().then(
        () => subscriber.complete(),
        (error: unknown) => {
          if (controller.signal.aborted) return; // unsubscribed: nobody is listening
          subscriber.error(
            ProviderError.isInstance(error)
              ? error
              : new NetworkError({ provider, message: `request failed: ${String(error)}`, cause: error }),
          );
        },
      );
      return () => controller.abort(); // unsubscribe = abort the HTTP request
    });
  }
}

/** Creates the provider: `createCompatibleChat({ baseURL }).languageModel('some-model')`. */
export function createCompatibleChat(settings: CompatibleChatSettings) {
  return { languageModel: (modelId: string): LlmModel => new CompatibleChatModel(modelId, settings) };
}
