import { ArgentumError } from '../errors/argentum-error';
import { RateLimitError } from '../provider/provider-errors';
import type { FaultEvent } from './conversation-events';
import type { ConversationRun } from './conversation-run';
import type { TaskFailure } from './task-runner';

/**
 * A run's failed tasks: each becomes a `fault` event, and a rate limit (or a turn that failed
 * before its first word) sends the agent into backoff — for the `retryAfterMs` the provider
 * asked for, else exponentially longer on each failure.
 * @internal
 */
export class FaultReporter {
  private readonly backoff = new Map<string, { until: number; count: number }>();

  constructor(private readonly run: ConversationRun) {}

  /** Whether the agent sits out its backoff now. */
  inBackoff(agentId: string): boolean {
    const entry = this.backoff.get(agentId);
    return entry !== undefined && entry.until > this.run.now;
  }

  /** When the backoffs still running end, scheduler ms. */
  pendingBackoffEnds(): number[] {
    const now = this.run.now;
    return [...this.backoff.values()].map((entry) => entry.until).filter((until) => until > now);
  }

  /** Reports a failed task; a rate limit sends the agent into backoff. */
  report(
    agentId: string | null,
    turnId: string | null,
    task: FaultEvent['task'],
    failure: TaskFailure,
    action: FaultEvent['action'],
  ): void {
    let code = 'timeout';
    let message =
      failure.kind === 'timeout' ? `no ${failure.phase === 'first' ? 'answer' : 'progress'} in time` : '';
    let retryAfterMs: number | null = null;
    if (failure.kind === 'error') {
      const error = failure.error;
      code = ArgentumError.isInstance(error) ? error.code : 'error';
      message = error instanceof Error ? error.message : String(error);
      if (RateLimitError.isInstance(error) && agentId !== null) {
        retryAfterMs = this.backOff(agentId, error.retryAfterMs);
        action = 'backoff';
        code = 'rate-limited';
      }
    } else if (task === 'respond' && failure.phase === 'idle') {
      code = 'stalled';
    }
    if (task === 'respond' && action === 'skipped' && agentId !== null) {
      // A turn that failed before a word: the agent sits out a while instead of winning again at once.
      retryAfterMs = this.backOff(agentId, undefined);
      action = 'backoff';
    }
    const { run } = this;
    run.emit({ type: 'fault', at: run.now, agentId, turnId, task, code, message, action, retryAfterMs });
  }

  /** Sends an agent into backoff: `retryAfterMs` when the provider said, else exponential. */
  private backOff(agentId: string, retryAfterMs: number | undefined): number {
    const { backoff } = this.run.setup.preset;
    const previous = this.backoff.get(agentId);
    const count = (previous?.count ?? 0) + 1;
    const delayMs =
      retryAfterMs ?? Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (count - 1));
    this.backoff.set(agentId, { until: this.run.now + delayMs, count });
    return delayMs;
  }
}
