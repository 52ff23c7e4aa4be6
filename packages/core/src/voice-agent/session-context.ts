import type { ContextStore } from './context-store';
import { createDialogueContext, type DialogueContext, type DialogueTurn } from './dialogue-context';
import type { VoiceAgentSessionOptions } from './voice-agent-session-options';

/** What a session's context keeper needs. @internal */
export interface SessionContextInit {
  conversationId: string;
  store: ContextStore;
  options: VoiceAgentSessionOptions;
  maxContextTurns: number;
  /** Where a failed fire-and-forget update is reported. */
  onError(error: unknown): void;
}

/**
 * A session's view of its conversation's stored context: updates run one after another in call
 * order and keep only the most recent `maxContextTurns` turns and updates.
 * @internal
 */
export class SessionContext {
  readonly #init: SessionContextInit;
  #pending: Promise<unknown> = Promise.resolve();

  constructor(init: SessionContextInit) {
    this.#init = init;
  }

  /** Settles once every update made so far settled. */
  settled(): Promise<unknown> {
    return this.#pending;
  }

  /** Reads the context as stored (a fresh one when nothing was stored yet). */
  async read(): Promise<DialogueContext> {
    await this.#pending;
    return (await this.#init.store.get(this.#init.conversationId)) ?? this.#fresh();
  }

  /** Serialized context updates (one after another, in call order). */
  update(change: (context: DialogueContext) => DialogueContext): Promise<DialogueContext> {
    const { store, conversationId, maxContextTurns } = this.#init;
    return this.#enqueue(() =>
      store.update(conversationId, (current) => {
        const next = change(current ?? this.#fresh());
        // Bounded memory: only the most recent turns and updates are kept.
        if (next.turns.length > maxContextTurns) next.turns.splice(0, next.turns.length - maxContextTurns);
        if (next.contextualUpdates.length > maxContextTurns) {
          next.contextualUpdates.splice(0, next.contextualUpdates.length - maxContextTurns);
        }
        return next;
      }),
    );
  }

  /**
   * Adds one turn, after the updates made before it: through the store's `appendTurn` when it has
   * one (no copy of the history), else as an update.
   */
  appendTurn(turn: DialogueTurn): Promise<void> {
    const { store, conversationId, maxContextTurns } = this.#init;
    if (store.appendTurn === undefined) {
      return this.update((context) => {
        context.turns.push(turn);
        return context;
      }).then(() => undefined);
    }
    return this.#enqueue(() =>
      store.appendTurn!(conversationId, turn, { maxTurns: maxContextTurns, init: () => this.#fresh() }),
    );
  }

  /** Runs `write` after every write queued before it (whether those succeeded or not). */
  #enqueue<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#pending.then(write);
    this.#pending = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** A fire-and-forget {@link appendTurn}; a failure goes to `onError`. */
  recordTurn(turn: DialogueTurn): void {
    this.appendTurn(turn).catch((error: unknown) => this.#init.onError(error));
  }

  /** A fire-and-forget context update; a failure goes to `onError`. */
  record(change: (context: DialogueContext) => DialogueContext): void {
    this.update(change).catch((error: unknown) => this.#init.onError(error));
  }

  #fresh(): DialogueContext {
    const options = this.#init.options;
    return createDialogueContext(this.#init.conversationId, {
      variables: options.variables ?? {},
      ...(options.systemPrompt === undefined ? {} : { systemPrompt: options.systemPrompt }),
      ...(options.language === undefined ? {} : { language: options.language }),
    });
  }
}
