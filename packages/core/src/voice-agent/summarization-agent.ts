import { concatMap, defer, EMPTY, of } from 'rxjs';
import { assertNumber } from '../internal/validate';
import type { LlmModel } from '../provider/llm-model';
import { fillVariables } from './dialogue-context';
import { providerCallOptions, type VoiceAgent } from './voice-agent';

/** Options of {@link createSummarizationAgent}. */
export interface SummarizationAgentOptions {
  /** The LLM that writes the summary. */
  llm: LlmModel;
  /** The agent's name. Default `summarization`. */
  name?: string;
  /** How to summarize. Default: a short spoken recap of the decisions and open questions. */
  instructions?: string;
  /** How many recent turns to summarize. Default 50. */
  historyTurns?: number;
}

/**
 * An agent that recaps the conversation so far ("can you sum up?"): it sends the recent turns as a
 * transcript to the LLM with summarizing instructions and streams the answer.
 *
 * @param options - the LLM, instructions and window.
 * @returns the agent.
 * @example
 * ```ts
 * const summarizer = createSummarizationAgent({ llm, historyTurns: 30 });
 * const registry = new VoiceAgentRegistry([conversation, summarizer]);
 * ```
 */
export function createSummarizationAgent(options: SummarizationAgentOptions): VoiceAgent {
  const historyTurns = assertNumber('historyTurns', options.historyTurns ?? 50, { min: 1, integer: true });
  const instructions =
    options.instructions ??
    'Summarize this conversation for the user in at most three short spoken sentences: what was asked, what was decided, what is still open.';
  const { llm } = options;
  return {
    name: options.name ?? 'summarization',
    description: 'Summarizes or recaps the conversation so far.',
    handle: (context, transcript, callOptions = {}) =>
      defer(() => {
        const lines = context.turns
          .slice(-historyTurns)
          .filter((turn) => turn.role !== 'tool')
          .map((turn) => `${turn.role === 'user' ? 'User' : 'Agent'}: ${turn.text}`);
        return llm.stream(
          {
            messages: [
              { role: 'system', content: fillVariables(instructions, context.variables) },
              { role: 'user', content: `Transcript:\n${lines.join('\n')}\n\nRequest: ${transcript}` },
            ],
            maxOutputTokens: 300,
          },
          providerCallOptions(callOptions),
        );
      }).pipe(
        concatMap((event) => (event.type === 'text-delta' && event.text.length > 0 ? of(event.text) : EMPTY)),
      ),
  };
}
