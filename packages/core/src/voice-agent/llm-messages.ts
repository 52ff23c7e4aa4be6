import type { LlmMessage } from '../provider/llm-model';
import { type DialogueContext, fillVariables } from './dialogue-context';

/**
 * Turns a dialogue context into chat messages: the system prompt (with `{{variables}}` filled in and
 * the background updates appended), then the last `historyTurns` turns.
 * @internal
 */
export function contextToMessages(
  context: DialogueContext,
  systemPrompt: string,
  historyTurns: number,
): LlmMessage[] {
  const prompt = fillVariables(context.systemPrompt ?? systemPrompt, context.variables);
  const background =
    context.contextualUpdates.length === 0
      ? ''
      : `\n\nBackground (do not answer it directly):\n${context.contextualUpdates.map((line) => `- ${line}`).join('\n')}`;
  const language = context.language === undefined ? '' : `\n\nAnswer in the language "${context.language}".`;
  const messages: LlmMessage[] = [{ role: 'system', content: `${prompt}${background}${language}` }];
  const recent = historyTurns <= 0 ? [] : context.turns.slice(-historyTurns);
  for (const turn of recent) {
    if (turn.role === 'user') messages.push({ role: 'user', content: turn.text });
    else if (turn.role === 'agent') {
      messages.push({ role: 'assistant', content: turn.interrupted ? `${turn.text} —` : turn.text });
    } else {
      messages.push({
        role: 'tool',
        content: turn.text,
        ...(turn.toolCallId === undefined ? {} : { toolCallId: turn.toolCallId }),
        ...(turn.toolName === undefined ? {} : { name: turn.toolName }),
      });
    }
  }
  return messages;
}
