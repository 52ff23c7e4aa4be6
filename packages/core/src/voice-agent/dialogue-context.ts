/**
 * One turn of a voice conversation as the participants experienced it. An agent turn holds only
 * what the user actually heard: when the user barged in, the words after the cut are not in it.
 *
 * @example
 * ```ts
 * const turn: DialogueTurn = { role: 'agent', text: 'The weather is', at: 1200, agent: 'conversation', interrupted: true };
 * ```
 */
export interface DialogueTurn {
  /** Who spoke: the user, an agent, or a tool result fed back to the agent. */
  role: 'user' | 'agent' | 'tool';
  /** What was said (for an agent, what was heard; for a tool, its result). */
  text: string;
  /** When the turn was recorded, in scheduler ms. */
  at: number;
  /** The agent that answered (agent turns). */
  agent?: string;
  /** Whether the user cut the agent off (agent turns). */
  interrupted?: boolean;
  /** The tool call this result answers (tool turns). */
  toolCallId?: string;
  /** The tool's name (tool turns). */
  toolName?: string;
}

/**
 * What an agent knows about a conversation: its turns, background updates and variables. Kept in
 * a {@link ContextStore} under `conversationId`.
 *
 * @example
 * ```ts
 * const context = createDialogueContext('conv-1', { systemPrompt: 'Be brief.' });
 * context.turns.push({ role: 'user', text: 'Hi', at: 0 });
 * ```
 */
export interface DialogueContext {
  /** The conversation's id. */
  conversationId: string;
  /** The turns, oldest first. */
  turns: DialogueTurn[];
  /** Background facts sent with `contextual_update`, oldest first; never answered directly. */
  contextualUpdates: string[];
  /** Named values (e.g. `user_name`) that prompts may refer to as `{{user_name}}`. */
  variables: Record<string, string | number | boolean>;
  /** The system prompt, when the conversation overrides the agent's own. */
  systemPrompt?: string;
  /** The conversation's language (BCP 47), when known. */
  language?: string;
}

/**
 * Creates an empty {@link DialogueContext}.
 *
 * @param conversationId - the conversation's id.
 * @param init - optional prompt, language and variables.
 * @returns a fresh context with no turns.
 * @example
 * ```ts
 * const context = createDialogueContext('conv-1', { variables: { user_name: 'Ada' } });
 * ```
 */
export function createDialogueContext(
  conversationId: string,
  init: Partial<Omit<DialogueContext, 'conversationId'>> = {},
): DialogueContext {
  const context: DialogueContext = {
    conversationId,
    turns: [...(init.turns ?? [])],
    contextualUpdates: [...(init.contextualUpdates ?? [])],
    variables: { ...(init.variables ?? {}) },
  };
  if (init.systemPrompt !== undefined) context.systemPrompt = init.systemPrompt;
  if (init.language !== undefined) context.language = init.language;
  return context;
}

/**
 * Replaces `{{name}}` slots in `template` with the context's variables; unknown names stay.
 *
 * @param template - text with `{{name}}` slots.
 * @param variables - the values.
 * @returns the filled-in text.
 * @example
 * ```ts
 * fillVariables('Hello {{user_name}}', { user_name: 'Ada' }); // 'Hello Ada'
 * ```
 */
export function fillVariables(
  template: string,
  variables: Readonly<Record<string, string | number | boolean>>,
): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(variables, name) ? String(variables[name]) : whole,
  );
}
