import { InvalidArgumentError, type LlmMessage, type LlmToolDefinition } from '@argentum/core';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

/**
 * Converts core's conversation messages to Chat Completions messages.
 * @internal
 */
export function toChatMessages(messages: readonly LlmMessage[]): ChatCompletionMessageParam[] {
  if (messages.length === 0) {
    throw new InvalidArgumentError('messages', 'expected at least one message.');
  }
  return messages.map((message, index): ChatCompletionMessageParam => {
    const name = message.name === undefined ? {} : { name: message.name };
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content, ...name };
      case 'user':
        return { role: 'user', content: message.content, ...name };
      case 'assistant': {
        const toolCalls = message.toolCalls ?? [];
        if (toolCalls.length === 0) return { role: 'assistant', content: message.content, ...name };
        return {
          role: 'assistant',
          content: message.content === '' ? null : message.content,
          ...name,
          tool_calls: toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.argumentsJson },
          })),
        };
      }
      case 'tool':
        if (message.toolCallId === undefined || message.toolCallId === '') {
          throw new InvalidArgumentError(
            `messages[${index}].toolCallId`,
            'a tool message must carry the id of the tool call it answers.',
          );
        }
        return { role: 'tool', content: message.content, tool_call_id: message.toolCallId };
      default:
        throw new InvalidArgumentError(
          `messages[${index}].role`,
          `expected system, user, assistant or tool, got ${String((message as { role: unknown }).role)}.`,
        );
    }
  });
}

/**
 * Converts core's tool definitions to Chat Completions function tools.
 * @internal
 */
export function toChatTools(tools: readonly LlmToolDefinition[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}
