import { removeItem } from '../internal/remove-item';
import type { CommitAgentTurnEffect } from '../session/session-effect';
import { type Reply, replyMetrics, type StartReplyInit } from './agent-reply';
import type { SessionContext } from './session-context';
import type { SessionRuntime } from './session-runtime';
import type { TurnMetrics } from './turn-metrics';
import type { UserUtterance } from './user-utterance';

/**
 * A session's turn and reply bookkeeping: the replies in flight, the ones waiting for the
 * reducer's `commit-agent-turn`, the turn and response counters, and the `turn-metrics` reports.
 * @internal
 */
export class SessionTurns {
  readonly #runtime: SessionRuntime;
  readonly #context: SessionContext;
  readonly #afterCommit: () => void;
  /** Replies in production or playing, oldest first (a list, not a `Map`: see `removeItem`). */
  readonly #replies: Reply[] = [];
  /** Replies whose `audio-end` / `audio-cancel` went to the reducer, until its `commit-agent-turn`. */
  readonly #awaitingCommit: Reply[] = [];
  /** The latest transcribed utterance (for the metrics of the turn it commits). */
  #utterance: UserUtterance | undefined;
  #turn = 0;
  #responses = 0;

  /**
   * @param afterCommit - called once a finished (not interrupted) reply's turn is committed.
   */
  constructor(runtime: SessionRuntime, context: SessionContext, afterCommit: () => void) {
    this.#runtime = runtime;
    this.#context = context;
    this.#afterCommit = afterCommit;
  }

  /** The number of the latest user turn. */
  get turn(): number {
    return this.#turn;
  }

  /** How many replies are in production or playing. */
  get activeReplies(): number {
    return this.#replies.length;
  }

  /** Remembers (or, with `undefined`, forgets) the latest transcribed utterance. */
  setUtterance(utterance: UserUtterance | undefined): void {
    this.#utterance = utterance;
  }

  /**
   * The reducer committed the user's turn (`start-reply`): counts it, reports its transcript and
   * returns what its reply starts from (with the input latencies of its utterance).
   */
  beginUserTurn(transcript: string): StartReplyInit {
    const now = this.#runtime.scheduler.now();
    const utterance = this.#utterance;
    this.#utterance = undefined;
    this.#turn++;
    this.#runtime.emit({ type: 'user-transcript', text: transcript, turn: this.#turn, at: now });
    const metrics: Partial<TurnMetrics> = {};
    if (utterance?.speechEndedAt !== undefined) metrics.endOfUtteranceDelayMs = now - utterance.speechEndedAt;
    if (utterance?.confirmedEndAt !== undefined) metrics.sttFinalLatencyMs = now - utterance.confirmedEndAt;
    return {
      turn: this.#turn,
      transcript,
      userTurn: { role: 'user', text: transcript, at: now },
      metrics,
      ...(utterance?.speechEndedAt === undefined ? {} : { userSpeechEndAt: utterance.speechEndedAt }),
      ...(utterance === undefined ? {} : { utterance }),
    };
  }

  /** The id of the next reply (`response-1`, `response-2`, …). */
  nextResponseId(): string {
    return `response-${++this.#responses}`;
  }

  /** Tracks a reply in production. */
  add(reply: Reply): void {
    if (!this.#replies.includes(reply)) this.#replies.push(reply);
  }

  /** The reply in flight with this id, if any. */
  get(replyId: string): Reply | undefined {
    return withId(this.#replies, replyId);
  }

  /** Every reply in flight (a copy). */
  all(): Reply[] {
    return this.#replies.slice();
  }

  /** The reply the reducer holds (requested, queued or playing), if any. */
  current(): Reply | undefined {
    const current = this.#runtime.machine().reply;
    if (current === undefined) return undefined;
    if (current.id !== undefined) return withId(this.#replies, current.id);
    for (const reply of this.#replies) {
      if (reply.prompted && !reply.ready && reply.version === current.contextVersion) return reply;
    }
    return undefined;
  }

  /** The reply a `cancel-reply` names: by id, or the last prompted, not yet ready one for the version. */
  forCancel(replyId: string | undefined, contextVersion: number): Reply | undefined {
    if (replyId !== undefined) return withId(this.#replies, replyId);
    let reply: Reply | undefined;
    for (const candidate of this.#replies) {
      if (candidate.prompted && !candidate.ready && candidate.version === contextVersion) reply = candidate;
    }
    return reply;
  }

  /** Stops producing and playing a reply and forgets it. */
  close(reply: Reply): void {
    if (reply.done) return;
    reply.done = true;
    reply.subscription?.unsubscribe();
    reply.ticker?.unsubscribe();
    reply.playback?.release();
    removeItem(this.#replies, reply);
  }

  /** Cancels a reply without reporting it (stale, busy, or the session closing). */
  drop(reply: Reply): void {
    if (reply.done) return;
    this.close(reply);
    reply.trace.dropped();
  }

  /** The reply's `audio-end` / `audio-cancel` goes to the reducer: keep it for its commit. */
  awaitCommit(reply: Reply): void {
    if (!this.#awaitingCommit.includes(reply)) this.#awaitingCommit.push(reply);
  }

  /** The reducer's `commit-agent-turn`: record what the user heard and report the reply's end. */
  commit(effect: CommitAgentTurnEffect): void {
    const { replyId, heardText, interrupted } = effect;
    const reply = withId(this.#awaitingCommit, replyId);
    if (reply === undefined) return;
    removeItem(this.#awaitingCommit, reply);
    const now = this.#runtime.scheduler.now();
    if (heardText.length > 0) {
      this.#context.recordTurn({
        role: 'agent',
        text: heardText,
        at: now,
        agent: reply.agent,
        ...(interrupted ? { interrupted: true } : {}),
      });
    }
    if (interrupted) return;
    const playedMs = reply.playback?.totalMs ?? 0;
    if (heardText.length > 0) {
      // A reply with no words (e.g. only tool calls) is not reported as spoken.
      this.#runtime.emit({
        type: 'agent-response-end',
        responseId: reply.id,
        agent: reply.agent,
        text: heardText,
        playedMs,
        at: now,
      });
      this.emitMetrics(reply, false, playedMs);
    }
    reply.trace.finished(reply.agent, playedMs);
    this.#afterCommit();
  }

  /** Reports the reply's `turn-metrics`. */
  emitMetrics(reply: Reply, interrupted: boolean, playedMs: number): void {
    this.#runtime.emit({
      type: 'turn-metrics',
      metrics: replyMetrics(reply, interrupted, playedMs),
      at: this.#runtime.scheduler.now(),
    });
  }
}

/** The reply with this id in `replies` (a few at most), if any. */
function withId(replies: readonly Reply[], replyId: string): Reply | undefined {
  for (const reply of replies) if (reply.id === replyId) return reply;
  return undefined;
}
