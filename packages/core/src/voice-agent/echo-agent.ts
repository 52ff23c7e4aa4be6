import { defer, of } from 'rxjs';
import type { VoiceAgent } from './voice-agent';

/** Options of {@link createEchoAgent}. */
export interface EchoAgentOptions {
  /** The agent's name. Default `echo`. */
  name?: string;
  /** Said before the echoed words. Default `You said: `. */
  prefix?: string;
}

/**
 * An agent that repeats what the user said — for wiring checks and tests with no LLM.
 *
 * @param options - name and prefix.
 * @returns the agent.
 * @example
 * ```ts
 * const echo = createEchoAgent({ prefix: 'I heard ' });
 * echo.handle(createDialogueContext('c'), 'hello').subscribe(console.log); // 'I heard hello'
 * ```
 */
export function createEchoAgent(options: EchoAgentOptions = {}): VoiceAgent {
  const prefix = options.prefix ?? 'You said: ';
  return {
    name: options.name ?? 'echo',
    description: 'Repeats back what the user said.',
    handle: (_context, transcript) => defer(() => of(`${prefix}${transcript.trim()}`)),
  };
}
