import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { InterruptDecision, InterruptRequest } from './interrupt-types';

/**
 * Timestamps of executed interrupts in time order, in a growable ring; drops those that have left
 * a sliding window.
 * @internal
 */
export class TimestampWindow {
  private times = new Float64Array(8);
  private head = 0;
  /** Timestamps held. */
  size = 0;

  /** Drops timestamps `≤ horizon`. */
  evict(horizon: number): void {
    while (this.size > 0 && (this.times[this.head] as number) <= horizon) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  /** The oldest timestamp held, or `NaN`. */
  oldest(): number {
    return this.size === 0 ? Number.NaN : (this.times[this.head] as number);
  }

  /** Appends a timestamp (not older than the newest held). */
  push(time: number): void {
    if (this.size === this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      for (let i = 0; i < this.size; i++)
        grown[i] = this.times[(this.head + i) % this.times.length] as number;
      this.times = grown;
      this.head = 0;
    }
    this.times[(this.head + this.size) % this.times.length] = time;
    this.size++;
  }
}

/**
 * The record of executed interrupts shared by the windowed policies: a global window and one per
 * agent, all over `(now − windowMs, now]`, and a guard that time never goes backwards.
 * @internal
 */
export class InterruptLedger {
  private readonly global = new TimestampWindow();
  private readonly agents = new Map<string, TimestampWindow>();
  private latest = Number.NEGATIVE_INFINITY;

  constructor(readonly windowMs: number) {}

  /** Moves the clock to `now` (finite, not backwards) and evicts what left the window. */
  advance(now: number, argument: string): void {
    assertTime(argument, now, this.latest);
    this.latest = now;
    const horizon = now - this.windowMs;
    this.global.evict(horizon);
    for (const window of this.agents.values()) window.evict(horizon);
  }

  /** Interrupts in the window, globally. */
  globalCount(): number {
    return this.global.size;
  }

  /** Interrupts in the window by `agentId`. */
  agentCount(agentId: string): number {
    return this.agents.get(agentId)?.size ?? 0;
  }

  /** When the oldest global interrupt leaves the window. */
  globalFreesAt(): number {
    return this.global.oldest() + this.windowMs;
  }

  /** When the agent's oldest interrupt leaves the window. */
  agentFreesAt(agentId: string): number {
    return (this.agents.get(agentId)?.oldest() ?? Number.NaN) + this.windowMs;
  }

  /** Registers an interrupt at the current clock. */
  record(agentId: string): void {
    this.global.push(this.latest);
    let window = this.agents.get(agentId);
    if (window === undefined) {
      window = new TimestampWindow();
      this.agents.set(agentId, window);
    }
    window.push(this.latest);
  }
}

/**
 * Throws unless `now` is finite and not before `latest`.
 * @internal
 */
export function assertTime(argument: string, now: number, latest: number): void {
  assertNumber(argument, now);
  if (now < latest) {
    throw new InvalidArgumentError(
      argument,
      `time went backwards: ${now} ms is before ${latest} ms already seen. Pass the scheduler's now(), which never decreases.`,
    );
  }
}

/**
 * Validates a request; returns its fields.
 * @internal
 */
export function validateRequest(request: InterruptRequest): InterruptRequest {
  if (request === null || typeof request !== 'object') {
    throw new InvalidArgumentError(
      'request',
      `expected an interrupt request object, got ${String(request)}.`,
    );
  }
  if (typeof request.agentId !== 'string' || request.agentId.length === 0) {
    throw new InvalidArgumentError(
      'request.agentId',
      `expected a non-empty string, got ${String(request.agentId)}.`,
    );
  }
  assertNumber('request.tokens', request.tokens, { min: 0 });
  if (
    request.speakerId !== undefined &&
    (typeof request.speakerId !== 'string' || request.speakerId.length === 0)
  ) {
    throw new InvalidArgumentError(
      'request.speakerId',
      `expected a non-empty string, got ${String(request.speakerId)}.`,
    );
  }
  return request;
}

/**
 * Validates that `decision` is an allowed decision of policy `kind`.
 * @internal
 */
export function assertOwnDecision(decision: InterruptDecision, kind: InterruptDecision['policy']): void {
  if (decision === null || typeof decision !== 'object' || decision.policy !== kind) {
    throw new InvalidArgumentError(
      'decision',
      `expected a decision made by this ${kind} policy, got one from ${String(decision?.policy)}.`,
    );
  }
}

/**
 * Formats a token amount for explanations.
 * @internal
 */
export function formatTokens(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}
