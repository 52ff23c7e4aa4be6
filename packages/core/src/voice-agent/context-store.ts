import type { DialogueContext } from './dialogue-context';

/**
 * Where conversation contexts live between turns. The in-memory {@link InMemoryContextStore} serves
 * one process; a Redis or Postgres adapter implements the same four methods to share contexts
 * across processes. Implementations return copies: mutating a returned context changes nothing
 * until it is written back.
 *
 * @example
 * ```ts
 * async function addUserTurn(store: ContextStore, id: string, text: string) {
 *   await store.update(id, (context) => {
 *     const next = context ?? createDialogueContext(id);
 *     next.turns.push({ role: 'user', text, at: 0 });
 *     return next;
 *   });
 * }
 * ```
 */
export interface ContextStore {
  /**
   * Reads a context.
   * @param conversationId - the conversation's id.
   * @returns a copy of the context, or `undefined` when absent or expired.
   */
  get(conversationId: string): Promise<DialogueContext | undefined>;
  /**
   * Writes a context (replacing any previous one) under its `conversationId`.
   * @param context - the context to store.
   */
  set(context: DialogueContext): Promise<void>;
  /**
   * Reads, changes and writes a context atomically: concurrent updates of one id run one after
   * another, each seeing the previous one's result.
   * @param conversationId - the conversation's id.
   * @param updater - gets a copy of the current context (or `undefined`) and returns the new one.
   * @returns the stored result, as an object the caller may change (never the store's own copy).
   */
  update(
    conversationId: string,
    updater: (current: DialogueContext | undefined) => DialogueContext,
  ): Promise<DialogueContext>;
  /**
   * Removes a context.
   * @param conversationId - the conversation's id.
   * @returns whether there was one.
   */
  delete(conversationId: string): Promise<boolean>;
}
