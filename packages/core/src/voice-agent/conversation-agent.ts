import { concatMap, defer, EMPTY, type Observable, of } from 'rxjs';
import { assertNumber } from '../internal/validate';
import type { LlmModel, LlmToolDefinition } from '../provider/llm-model';
import { contextToMessages } from './llm-messages';
import { type AgentOutput, providerCallOptions, type VoiceAgent } from './voice-agent';

/** Options of {@link createConversationAgent}. */
export interface ConversationAgentOptions {
  /** The LLM that writes the answers. */
  llm: LlmModel;
  /** The agent's name. Default `conversation`. */
  name?: string;
  /** What the agent is for (shown to the intent router). */
  description?: string;
  /** The system prompt; `{{name}}` slots are filled from the context's variables. A context's own prompt wins. */
  systemPrompt?: string;
  /** How many recent turns the LLM sees. Default 20. */
  historyTurns?: number;
  /** Sampling temperature passed to the LLM. */
  temperature?: number;
  /** The most tokens an answer may take. Default 300 (spoken answers are short). */
  maxOutputTokens?: number;
  /** Tools the client can run; the LLM's calls to them become client tool calls. */
  clientTools?: readonly LlmToolDefinition[];
}

const DEFAULT_PROMPT =
  'You are a helpful voice assistant. Answer in one to three short spoken sentences, with no lists or markdown.';

function parseArguments(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { raw: json };
  }
}

/**
 * A multi-turn conversational agent on any {@link LlmModel}: it sends the system prompt, the
 * background updates and a window of recent turns (agent turns as heard — cut where the user
 * barged in), and streams the LLM's text deltas. LLM tool calls become client tool calls.
 *
 * @param options - the LLM, prompt and history window.
 * @returns the agent.
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 *
 * const agent = createConversationAgent({
 *   llm: createOpenAI().languageModel('gpt-4o-mini'),
 *   systemPrompt: 'You are the front desk of a hotel. The guest is {{user_name}}.',
 *   historyTurns: 12,
 * });
 * ```
 */
export function createConversationAgent(options: ConversationAgentOptions): VoiceAgent {
  const historyTurns = assertNumber('historyTurns', options.historyTurns ?? 20, { min: 0, integer: true });
  const maxOutputTokens = assertNumber('maxOutputTokens', options.maxOutputTokens ?? 300, {
    min: 1,
    integer: true,
  });
  const systemPrompt = options.systemPrompt ?? DEFAULT_PROMPT;
  const { llm } = options;
  return {
    name: options.name ?? 'conversation',
    description: options.description ?? 'General conversation: answers questions and chats.',
    handle: (context, _transcript, callOptions = {}): Observable<AgentOutput> =>
      defer(() =>
        llm.stream(
          {
            messages: contextToMessages(context, systemPrompt, historyTurns),
            maxOutputTokens,
            ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
            ...(options.clientTools === undefined ? {} : { tools: options.clientTools }),
          },
          providerCallOptions(callOptions),
        ),
      ).pipe(
        concatMap((event): Observable<AgentOutput> => {
          if (event.type === 'text-delta') return event.text.length > 0 ? of(event.text) : EMPTY;
          if (event.type === 'tool-call') {
            return of({
              type: 'tool-call',
              toolCallId: event.id,
              toolName: event.name,
              parameters: parseArguments(event.argumentsJson),
            } satisfies AgentOutput);
          }
          return EMPTY;
        }),
      ),
  };
}
