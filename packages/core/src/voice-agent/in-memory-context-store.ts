import type { SchedulerLike } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { copyData, copyDataReusing } from '../internal/copy-data';
import { assertNumber } from '../internal/validate';
import type { AppendTurnOptions, ContextStore } from './context-store';
import type { DialogueContext, DialogueTurn } from './dialogue-context';

/** Options of {@link InMemoryContextStore}. */
export interface InMemoryContextStoreOptions {
  /** How long a context lives after its last write, in ms. Default 30 minutes. */
  ttlMs?: number;
  /** The most contexts kept; the least recently used is evicted past it. Default 10 000. */
  maxEntries?: number;
  /** The clock for expiry. Default: the real-time scheduler. */
  scheduler?: SchedulerLike;
}

interface Entry {
  readonly conversationId: string;
  context: DialogueContext;
  expiresAt: number;
  /** The entry used just before this one (toward the least recently used). */
  older: Entry | undefined;
  /** The entry used just after this one (toward the most recently used). */
  newer: Entry | undefined;
}

/**
 * A {@link ContextStore} in process memory, for one server process (use a shared store to scale
 * across processes). Contexts expire `ttlMs` after their last write (checked on access, so no timer
 * runs); past `maxEntries` the least recently used one is evicted. `update` and `appendTurn` are
 * atomic per id: concurrent sessions writing the same conversation never lose each other's turns.
 * It keeps and hands out deep copies (plain data copied directly, anything else — a `Date`, a
 * `Map` — with `structuredClone`), so a caller's changes never reach the stored context; a write
 * stores only what changed since the stored copy (after one more turn: that turn and the list),
 * though `update` still gives its updater a copy of the whole context; `appendTurn` adds a turn
 * with no copy of the history.
 *
 * @example
 * ```ts
 * const store = new InMemoryContextStore({ ttlMs: 10 * 60_000, maxEntries: 1000 });
 * await store.set(createDialogueContext('conv-1'));
 * const context = await store.get('conv-1');
 * ```
 */
export class InMemoryContextStore implements ContextStore {
  /** The time to live after the last write, in ms. */
  readonly ttlMs: number;
  /** The most contexts kept. */
  readonly maxEntries: number;
  readonly #scheduler: SchedulerLike;
  readonly #entries = new Map<string, Entry>();
  /**
   * The entries in recency order, as a list threaded through them: using an entry moves it to
   * the newest end without touching the map (a `delete` and `set` per use would make the map
   * rebuild its table every few hundred uses — a table as big as the store, promoted each time).
   */
  #oldest: Entry | undefined;
  #newest: Entry | undefined;
  readonly #locks = new Map<string, Promise<unknown>>();

  /**
   * @param options - TTL, capacity and clock.
   * @throws {@link InvalidArgumentError} for a non-positive `ttlMs` or `maxEntries`.
   */
  constructor(options: InMemoryContextStoreOptions = {}) {
    this.ttlMs = assertNumber('ttlMs', options.ttlMs ?? 30 * 60_000, { above: 0 });
    this.maxEntries = assertNumber('maxEntries', options.maxEntries ?? 10_000, { min: 1, integer: true });
    this.#scheduler = options.scheduler ?? realtimeScheduler;
  }

  /** The number of contexts held (expired ones included until they are next touched). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Reads a context and marks it recently used.
   * @param conversationId - the conversation's id.
   * @returns a copy, or `undefined` when absent or expired.
   * @example
   * ```ts
   * const context = await store.get('conv-1');
   * ```
   */
  async get(conversationId: string): Promise<DialogueContext | undefined> {
    const entry = this.#read(conversationId);
    return entry === undefined ? undefined : copyData(entry.context);
  }

  /**
   * Writes a context, evicting the least recently used one when full.
   * @param context - the context.
   * @example
   * ```ts
   * await store.set(createDialogueContext('conv-1'));
   * ```
   */
  async set(context: DialogueContext): Promise<void> {
    this.#write(context);
  }

  /**
   * Atomic read-modify-write of one conversation's context.
   * @param conversationId - the conversation's id.
   * @param updater - returns the new context from a copy of the current one.
   * @returns the updater's result, the caller's to change: the store keeps its own copy.
   * @example
   * ```ts
   * await store.update('conv-1', (context) => ({ ...(context ?? createDialogueContext('conv-1')), language: 'en' }));
   * ```
   */
  update(
    conversationId: string,
    updater: (current: DialogueContext | undefined) => DialogueContext,
  ): Promise<DialogueContext> {
    return this.#serialized(conversationId, () => this.#apply(conversationId, updater));
  }

  /**
   * Adds one turn in place, dropping the oldest beyond `options.maxTurns`: no copy of the history
   * (the stored context is the store's own; the turn is copied). Atomic with `update`.
   * @param conversationId - the conversation's id.
   * @param turn - the turn to add.
   * @param options - the cap on turns and the context to start from when there is none.
   * @example
   * ```ts
   * await store.appendTurn('conv-1', { role: 'user', text: 'Hi', at: 0 }, {
   *   maxTurns: 100,
   *   init: () => createDialogueContext('conv-1'),
   * });
   * ```
   */
  appendTurn(conversationId: string, turn: DialogueTurn, options: AppendTurnOptions): Promise<void> {
    const maxTurns = assertNumber('maxTurns', options.maxTurns, { min: 1, integer: true });
    return this.#serialized(conversationId, () => this.#append(conversationId, turn, maxTurns, options.init));
  }

  /** Runs `work` after the updates and appends of `conversationId` queued before it. */
  #serialized<T>(conversationId: string, work: () => T): Promise<T> {
    const previous = this.#locks.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#locks.set(conversationId, next);
    const release = (): void => {
      if (this.#locks.get(conversationId) === next) this.#locks.delete(conversationId);
    };
    next.then(release, release);
    return next;
  }

  #append(conversationId: string, turn: DialogueTurn, maxTurns: number, init: () => DialogueContext): void {
    const entry = this.#read(conversationId);
    if (entry === undefined) {
      const context = init();
      if (context.conversationId !== conversationId) {
        throw new InvalidArgumentError(
          'init',
          `returned a context for "${context.conversationId}" while appending to "${conversationId}"; keep the conversationId.`,
        );
      }
      context.turns.push(turn);
      dropOldest(context.turns, maxTurns);
      this.#write(context);
      return;
    }
    // Only the store holds its copy (reads and updates hand out copies), so it may grow in place.
    const turns = entry.context.turns;
    turns.push(copyData(turn));
    dropOldest(turns, maxTurns);
    entry.expiresAt = this.#scheduler.now() + this.ttlMs;
  }

  /**
   * Removes a context.
   * @param conversationId - the conversation's id.
   * @returns whether a live context was removed.
   * @example
   * ```ts
   * await store.delete('conv-1');
   * ```
   */
  async delete(conversationId: string): Promise<boolean> {
    const entry = this.#entries.get(conversationId);
    if (entry === undefined) return false;
    this.#remove(entry);
    return entry.expiresAt > this.#scheduler.now();
  }

  /**
   * Drops every expired context now (they are otherwise dropped when touched).
   * @returns how many were dropped.
   * @example
   * ```ts
   * store.sweep();
   * ```
   */
  sweep(): number {
    const now = this.#scheduler.now();
    let dropped = 0;
    for (const entry of this.#entries.values()) {
      if (entry.expiresAt <= now) {
        this.#remove(entry);
        dropped++;
      }
    }
    return dropped;
  }

  #apply(
    conversationId: string,
    updater: (current: DialogueContext | undefined) => DialogueContext,
  ): DialogueContext {
    const current = this.#read(conversationId);
    const result = updater(current === undefined ? undefined : copyData(current.context));
    if (result.conversationId !== conversationId) {
      throw new InvalidArgumentError(
        'updater',
        `returned a context for "${result.conversationId}" while updating "${conversationId}"; keep the conversationId.`,
      );
    }
    this.#write(result, current);
    // The store keeps its own copy: the updater's result is the caller's to change.
    return result;
  }

  #read(conversationId: string): Entry | undefined {
    const entry = this.#entries.get(conversationId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#scheduler.now()) {
      this.#remove(entry);
      return undefined;
    }
    this.#unlink(entry);
    this.#linkNewest(entry);
    return entry;
  }

  /** Stores a copy of `context`, reusing the parts of the stored `previous` that did not change. */
  #write(context: DialogueContext, previous = this.#entries.get(context.conversationId)): void {
    if (typeof context.conversationId !== 'string' || context.conversationId.length === 0) {
      throw new InvalidArgumentError('context.conversationId', 'expected a non-empty string.');
    }
    const copy = copyDataReusing(context, previous?.context);
    const expiresAt = this.#scheduler.now() + this.ttlMs;
    let entry = this.#entries.get(context.conversationId);
    if (entry === undefined) {
      entry = {
        conversationId: context.conversationId,
        context: copy,
        expiresAt,
        older: undefined,
        newer: undefined,
      };
      this.#entries.set(entry.conversationId, entry);
    } else {
      entry.context = copy;
      entry.expiresAt = expiresAt;
      this.#unlink(entry);
    }
    this.#linkNewest(entry);
    while (this.#entries.size > this.maxEntries && this.#oldest !== undefined) this.#remove(this.#oldest);
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry.conversationId);
    this.#unlink(entry);
  }

  #unlink(entry: Entry): void {
    if (entry.older === undefined) {
      if (this.#oldest === entry) this.#oldest = entry.newer;
    } else {
      entry.older.newer = entry.newer;
    }
    if (entry.newer === undefined) {
      if (this.#newest === entry) this.#newest = entry.older;
    } else {
      entry.newer.older = entry.older;
    }
    entry.older = undefined;
    entry.newer = undefined;
  }

  #linkNewest(entry: Entry): void {
    entry.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }
}

/** Drops the oldest entries of `list` beyond `max`. */
function dropOldest(list: unknown[], max: number): void {
  if (list.length > max) list.splice(0, list.length - max);
}
