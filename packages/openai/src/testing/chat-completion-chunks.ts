import type { ChatCompletionScript, RecordedRequest, ScriptedToolCall } from './test-server-script';

/** The reply used when a chat script gives no text. @internal */
export const DEFAULT_CHAT_TEXT = 'This is a scripted reply from the Argentum OpenAI test server.';

const CREATED = 1_700_000_000;

/** Splits text into word deltas that keep their leading spaces. @internal */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*$|\s*\S+/g) ?? (text === '' ? [] : [text]);
}

function splitEvenly(text: string, parts: number): string[] {
  const count = Math.max(1, Math.min(parts, text.length));
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out.length === 0 ? [''] : out;
}

function promptCharacters(request: RecordedRequest): number {
  const messages = request.body?.messages;
  if (!Array.isArray(messages)) return 0;
  return messages.reduce<number>((total, message) => {
    const content = (message as { content?: unknown }).content;
    return total + (typeof content === 'string' ? content.length : 0);
  }, 0);
}

/** The deltas, tool calls, finish reason and usage a chat script resolves to. @internal */
export interface ResolvedCompletion {
  deltas: string[];
  toolCalls: (ScriptedToolCall & { id: string })[];
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  model: string;
  id: string;
}

/** Resolves a chat script against the request that it answers. @internal */
export function resolveCompletion(
  script: ChatCompletionScript,
  request: RecordedRequest,
): ResolvedCompletion {
  const text = script.text ?? DEFAULT_CHAT_TEXT;
  const deltas = typeof text === 'string' ? splitWords(text) : [...text];
  const toolCalls = (script.toolCalls ?? []).map((call, i) => ({ ...call, id: call.id ?? `call_${i + 1}` }));
  const promptTokens = script.usage?.promptTokens ?? Math.ceil(promptCharacters(request) / 4);
  const completionTokens = script.usage?.completionTokens ?? deltas.length + toolCalls.length;
  return {
    deltas,
    toolCalls,
    finishReason: script.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    model: typeof request.body?.model === 'string' ? request.body.model : 'gpt-test',
    id: `chatcmpl-test-${request.index + 1}`,
  };
}

/** Formats one server-sent event. @internal */
export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/**
 * The SSE events of a streamed chat completion, exactly as the Chat Completions API sends them:
 * a role chunk, content deltas, tool-call fragments, the finish chunk, the usage chunk when the
 * request asked for it, then `[DONE]`.
 * @internal
 */
export function chatCompletionEvents(completion: ResolvedCompletion, includeUsage: boolean): string[] {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: completion.model,
  };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    sseEvent({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
  const events = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const delta of completion.deltas) events.push(chunk({ content: delta }));
  completion.toolCalls.forEach((call, index) => {
    events.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (const fragment of splitEvenly(call.argumentsJson, call.fragments ?? 3)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  events.push(chunk({}, completion.finishReason));
  if (includeUsage) events.push(sseEvent({ ...base, choices: [], usage: completion.usage }));
  events.push(sseEvent('[DONE]'));
  return events;
}

/** The non-streamed `chat.completion` object. @internal */
export function chatCompletionObject(completion: ResolvedCompletion): Record<string, unknown> {
  const content = completion.deltas.join('');
  return {
    id: completion.id,
    object: 'chat.completion',
    created: CREATED,
    model: completion.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content === '' && completion.toolCalls.length > 0 ? null : content,
          refusal: null,
          ...(completion.toolCalls.length === 0
            ? {}
            : {
                tool_calls: completion.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.argumentsJson },
                })),
              }),
        },
        logprobs: null,
        finish_reason: completion.finishReason,
      },
    ],
    usage: completion.usage,
  };
}
