import type { DialogueContext, DialogueTurn } from './dialogue-context';

/**
 * Where conversation contexts live between turns. The in-memory {@link InMemoryContextStore} serves
 * one process; a Redis or Postgres adapter implements the same four required methods to share
 * contexts across processes (and the optional `appendTurn` where appending is cheap).
 * Implementations return copies: mutating a returned context changes nothing until it is written
 * back.
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
  /**
   * Optional: adds one turn to a context, dropping its oldest turns beyond `options.maxTurns` —
   * without handing the whole context to an updater. A voice session adds two turns a turn (the
   * user's, then what the user heard of the agent); through {@link update} each copies the whole
   * history for the updater and writes it back, work that grows with the conversation. Atomic
   * like `update`: it runs after the updates and appends of the same id made before it. When the
   * context is absent or expired it starts from `options.init()`. Sessions use `update` for stores
   * without it; implement it where appending is cheap (a Redis list's `RPUSH` + `LTRIM`, say).
   * @param conversationId - the conversation's id.
   * @param turn - the turn to add (the store keeps its own copy).
   * @param options - the cap on turns and the context to start from.
   */
  appendTurn?(conversationId: string, turn: DialogueTurn, options: AppendTurnOptions): Promise<void>;
}

/** Options of {@link ContextStore.appendTurn}. */
export interface AppendTurnOptions {
  /** The most turns to keep: the oldest beyond it are dropped. A positive integer. */
  maxTurns: number;
  /** The context to start from when there is none; its `conversationId` must be the one appended to. */
  init: () => DialogueContext;
}
