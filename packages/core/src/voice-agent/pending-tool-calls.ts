import type { Subscription } from 'rxjs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { Reply } from './agent-reply';
import type { SessionContext } from './session-context';
import type { SessionRuntime } from './session-runtime';
import type { SessionTurns } from './session-turns';
import type { AgentToolCall } from './voice-agent';

/** What a session's client tool calls need. @internal */
export interface PendingToolCallsInit {
  runtime: SessionRuntime;
  context: SessionContext;
  turns: SessionTurns;
  /** How long a call may wait for its result. */
  toolTimeoutMs: number;
  /** Starts the unprompted reply that continues after the results of `turn`, for the context `version`. */
  continueReply(turn: number, version: number): void;
}

/**
 * A session's client tool calls: each is reported as `client-tool-call` and waits for its result
 * (or times out); once every call is answered and no reply is running, the agent is asked again.
 * @internal
 */
export class PendingToolCalls {
  readonly #init: PendingToolCallsInit;
  readonly #pending = new Map<string, Subscription>();
  #resultsFor: number | undefined;

  constructor(init: PendingToolCallsInit) {
    this.#init = init;
  }

  /** The agent asked for a client tool: report it and start its timeout. */
  add(reply: Reply, call: AgentToolCall): void {
    if (this.#pending.has(call.toolCallId)) return;
    const { runtime, toolTimeoutMs } = this.#init;
    reply.toolCalls++;
    const timer = runtime.scheduler.schedule(() => {
      runtime.emitError(
        'tool',
        new InvalidArgumentError('toolCallId', `no result for "${call.toolCallId}" in time.`),
      );
      this.resolve(call.toolCallId, 'The tool did not answer in time.', true);
    }, toolTimeoutMs);
    this.#pending.set(call.toolCallId, timer);
    runtime.emit({
      type: 'client-tool-call',
      responseId: reply.id,
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      parameters: call.parameters,
      at: runtime.scheduler.now(),
    });
  }

  /** Records a call's result; returns `false` when no such call is pending. */
  resolve(toolCallId: string, result: string, isError: boolean): boolean {
    const timer = this.#pending.get(toolCallId);
    if (timer === undefined) return false;
    timer.unsubscribe();
    this.#pending.delete(toolCallId);
    const { runtime, context } = this.#init;
    const version = runtime.machine().contextVersion;
    const at = runtime.scheduler.now();
    context.recordTurn({ role: 'tool', text: isError ? `Error: ${result}` : result, at, toolCallId });
    this.#resultsFor = version;
    this.continueAfter();
    return true;
  }

  /**
   * Once every tool call is answered and no reply is running, asks the agent again: an unprompted
   * reply made for the context version of the results (stale — never played — if the user took the
   * turn meanwhile).
   */
  continueAfter(): void {
    const { runtime, context, turns } = this.#init;
    const version = this.#resultsFor;
    if (version === undefined || this.#pending.size > 0 || turns.activeReplies > 0) return;
    this.#resultsFor = undefined;
    if (version !== runtime.machine().contextVersion) return;
    context.settled().then(() => {
      if (turns.activeReplies === 0 && runtime.live()) this.#init.continueReply(turns.turn, version);
    });
  }

  /** Cancels every pending call's timeout (the session closing). */
  close(): void {
    for (const timer of this.#pending.values()) timer.unsubscribe();
    this.#pending.clear();
  }
}
