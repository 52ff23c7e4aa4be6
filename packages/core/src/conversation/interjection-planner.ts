import { assertAgentId } from '../auction/agent-registry';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { InterjectionType } from './agent';
import { sanitizeInterjectionText } from './sanitize-interjection-text';

/**
 * Options of {@link InterjectionPlanner} (the `interjection` part of a {@link ConversationPreset}
 * has them all).
 *
 * @example
 * ```ts
 * const options: InterjectionPlannerOptions = {
 *   threshold: 0.55, cooldownMs: 12_000, globalCooldownMs: 4_000,
 *   perAgentQuota: 3, quotaWindowMs: 60_000, maxShare: 0.18, maxCharacters: 48,
 * };
 * ```
 */
export interface InterjectionPlannerOptions {
  /** Least importance to be played, 0..1. */
  threshold: number;
  /** Least time between two interjections by one agent, ms ≥ 0. */
  cooldownMs: number;
  /** Least time between any two interjections, ms ≥ 0. Default 0. */
  globalCooldownMs?: number;
  /** Interjections per agent per window, an integer ≥ 0. */
  perAgentQuota: number;
  /** The quota's sliding window, ms > 0. */
  quotaWindowMs: number;
  /** The most interjections may be among contributions (turns + interjections), 0..1. Default 1. */
  maxShare?: number;
  /** Hard cap on the text, characters (ellipsis included), an integer ≥ 4. */
  maxCharacters: number;
  /**
   * An agent may not repeat any of its own last this many played lines (compared ignoring case,
   * spaces and punctuation), an integer ≥ 0. Default {@link DEFAULT_REPEAT_GUARD_LINES}.
   */
  repeatGuardLines?: number;
  /**
   * Added to the threshold for the listener who made the latest interjection, so the next one
   * tends to come from someone else, 0..1. Default {@link DEFAULT_LAST_LISTENER_PENALTY}.
   */
  lastListenerPenalty?: number;
  /**
   * Added to the threshold per unit of a listener's excess share of the interjections so far
   * (its share, counting one extra for every listener seen, minus an even share among them), ≥ 0. Default
   * {@link DEFAULT_BALANCE_PENALTY}.
   */
  balancePenalty?: number;
}

/**
 * How many of an agent's last played interjection lines a new one may not repeat, by default.
 *
 * @example
 * ```ts
 * const planner = new InterjectionPlanner({ ...options, repeatGuardLines: DEFAULT_REPEAT_GUARD_LINES + 2 });
 * ```
 */
export const DEFAULT_REPEAT_GUARD_LINES = 4;

/**
 * The threshold raise for the listener who interjected last, by default.
 *
 * @example
 * ```ts
 * const planner = new InterjectionPlanner({ ...options, lastListenerPenalty: DEFAULT_LAST_LISTENER_PENALTY / 2 });
 * ```
 */
export const DEFAULT_LAST_LISTENER_PENALTY = 0.15;

/**
 * The threshold raise per unit of excess interjection share, by default. With four listeners, one
 * that made 3 of 8 interjections is held 2 × (4/12 − 1/4) = 0.17 higher, one that made 6 of 8,
 * 2 × (7/12 − 1/4) = 0.67 higher (a monopoly needs importance near 1); one with its even share or
 * less, not at all.
 *
 * @example
 * ```ts
 * const planner = new InterjectionPlanner({ ...options, balancePenalty: 0 }); // first come, first served
 * ```
 */
export const DEFAULT_BALANCE_PENALTY = 2;

/**
 * A listener's wish to interject, as given to {@link InterjectionPlanner.consider}.
 *
 * @example
 * ```ts
 * const proposal: InterjectionProposal = { agentId: 'bruno', interjectionType: 'challenge', text: 'Source?', importance: 0.8, at: clock.now() };
 * ```
 */
export interface InterjectionProposal {
  /** The listener. */
  agentId: string;
  /** Support, clarify or challenge. */
  interjectionType: InterjectionType;
  /** The raw text (it is sanitized). */
  text: string;
  /** Importance, 0..1. */
  importance: number;
  /** When, scheduler ms. */
  at: number;
}

/**
 * The planner's answer: whether to play the interjection, its sanitized text, and why not.
 * `reason`: `accepted`, `below-threshold`, `empty` (nothing left after sanitizing),
 * `repeat` (the agent said this line among its last `repeatGuardLines` interjections),
 * `cooldown` (this agent interjected too recently), `global-cooldown`, `quota` (this agent's
 * quota in the window is used), `share` (interjections would exceed their share of contributions).
 * `threshold` is the one this listener was held to: the base threshold raised for the listener
 * who interjected last and for one with more than an even share of the interjections.
 *
 * @example
 * ```ts
 * const plan = planner.consider(proposal);
 * if (!plan.accepted) console.log(plan.reason, plan.retryAt);
 * ```
 */
export interface InterjectionPlan {
  /** Whether to play it. */
  accepted: boolean;
  /** Why. */
  reason:
    | 'accepted'
    | 'below-threshold'
    | 'empty'
    | 'repeat'
    | 'cooldown'
    | 'global-cooldown'
    | 'quota'
    | 'share';
  /** The sanitized, capped text. */
  text: string;
  /** The proposal's importance. */
  importance: number;
  /** The threshold it was held to (the base threshold plus this listener's penalties). */
  threshold: number;
  /** When a proposal refused for time reasons could pass, scheduler ms (`undefined` otherwise). */
  retryAt: number | undefined;
}

/**
 * Decides which listener interjections are played: an importance threshold, per-agent cooldowns
 * and sliding-window quotas, a global cooldown, and a cap on the share of interjections among all
 * contributions — so backchannels colour a conversation without drowning it (corpora: 16–19 % of
 * contributions). It also sanitizes the text ({@link sanitizeInterjectionText}).
 *
 * So that interjections come from several voices and do not sound canned, the threshold is raised
 * for the listener who interjected last (`lastListenerPenalty`) and for one holding more than an
 * even share of the interjections (`balancePenalty`), and a line an agent played among its last
 * `repeatGuardLines` interjections is refused (`repeat`). Importance still decides: an important
 * enough interjection passes the raised threshold. Everything is deterministic.
 *
 * `consider()` records nothing (beyond noting the listener); call `recordInterjection()` when one
 * is played and `recordTurn()` when a turn starts. Times must not go backwards.
 *
 * @example
 * ```ts
 * import { InterjectionPlanner } from '@argentum/core';
 *
 * const planner = new InterjectionPlanner({ threshold: 0.5, cooldownMs: 10_000, perAgentQuota: 2, quotaWindowMs: 60_000, maxCharacters: 40 });
 * planner.recordTurn();
 * const plan = planner.consider({ agentId: 'bruno', interjectionType: 'support', text: '"Exactly."', importance: 0.7, at: 1000 });
 * if (plan.accepted) {
 *   play(plan.text); // 'Exactly.'
 *   planner.recordInterjection('bruno', 1000, plan.text);
 * }
 * ```
 */
export class InterjectionPlanner {
  /** The importance threshold. */
  readonly threshold: number;
  /** The per-agent cooldown, ms. */
  readonly cooldownMs: number;
  /** The global cooldown, ms. */
  readonly globalCooldownMs: number;
  /** The per-agent quota. */
  readonly perAgentQuota: number;
  /** The quota window, ms. */
  readonly quotaWindowMs: number;
  /** The largest share of interjections among contributions. */
  readonly maxShare: number;
  /** The text cap, characters. */
  readonly maxCharacters: number;
  /** How many of an agent's last played lines a new one may not repeat. */
  readonly repeatGuardLines: number;
  /** The threshold raise for the listener who interjected last. */
  readonly lastListenerPenalty: number;
  /** The threshold raise per unit of excess interjection share. */
  readonly balancePenalty: number;
  private readonly history = new Map<string, number[]>();
  /** Every listener seen, with its played interjection count. */
  private readonly counts = new Map<string, number>();
  /** Each agent's last played lines (normalized), newest last. */
  private readonly lines = new Map<string, string[]>();
  private lastAgentId: string | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;
  private turns = 0;
  private interjections = 0;

  /**
   * @param options - threshold, cooldowns, quotas, share and cap.
   * @throws {@link InvalidArgumentError} for an option out of range.
   */
  constructor(options: InterjectionPlannerOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('options', 'expected interjection planner options.');
    }
    this.threshold = assertNumber('threshold', options.threshold, { min: 0, max: 1 });
    this.cooldownMs = assertNumber('cooldownMs', options.cooldownMs, { min: 0 });
    this.globalCooldownMs = assertNumber('globalCooldownMs', options.globalCooldownMs ?? 0, { min: 0 });
    this.perAgentQuota = assertNumber('perAgentQuota', options.perAgentQuota, { min: 0, integer: true });
    this.quotaWindowMs = assertNumber('quotaWindowMs', options.quotaWindowMs, { above: 0 });
    this.maxShare = assertNumber('maxShare', options.maxShare ?? 1, { min: 0, max: 1 });
    this.maxCharacters = assertNumber('maxCharacters', options.maxCharacters, { min: 4, integer: true });
    this.repeatGuardLines = assertNumber(
      'repeatGuardLines',
      options.repeatGuardLines ?? DEFAULT_REPEAT_GUARD_LINES,
      { min: 0, integer: true },
    );
    this.lastListenerPenalty = assertNumber(
      'lastListenerPenalty',
      options.lastListenerPenalty ?? DEFAULT_LAST_LISTENER_PENALTY,
      { min: 0, max: 1 },
    );
    this.balancePenalty = assertNumber('balancePenalty', options.balancePenalty ?? DEFAULT_BALANCE_PENALTY, {
      min: 0,
    });
  }

  /** Turns counted so far. */
  get turnCount(): number {
    return this.turns;
  }

  /** Interjections recorded so far. */
  get interjectionCount(): number {
    return this.interjections;
  }

  /**
   * Rules on a proposal without recording it.
   *
   * @param proposal - who, what, how important, when.
   * @returns the plan.
   * @throws {@link InvalidArgumentError} for a malformed proposal.
   * @example
   * ```ts
   * const plan = planner.consider({ agentId: 'ada', interjectionType: 'clarify', text: 'Which study?', importance: 0.9, at: now });
   * ```
   */
  consider(proposal: InterjectionProposal): InterjectionPlan {
    assertAgentId('proposal.agentId', proposal?.agentId);
    const importance = assertNumber('proposal.importance', proposal.importance, { min: 0, max: 1 });
    const at = assertNumber('proposal.at', proposal.at);
    const text = sanitizeInterjectionText(proposal.text, this.maxCharacters);
    if (!this.counts.has(proposal.agentId)) this.counts.set(proposal.agentId, 0);
    const threshold = this.thresholdFor(proposal.agentId);
    const base = { text, importance, threshold };
    if (importance < threshold)
      return { ...base, accepted: false, reason: 'below-threshold', retryAt: undefined };
    if (text.length === 0) return { ...base, accepted: false, reason: 'empty', retryAt: undefined };
    if (this.lines.get(proposal.agentId)?.includes(normalizeLine(text))) {
      return { ...base, accepted: false, reason: 'repeat', retryAt: undefined };
    }
    const times = this.recent(proposal.agentId, at);
    const last = times.at(-1);
    if (last !== undefined && at - last < this.cooldownMs) {
      return { ...base, accepted: false, reason: 'cooldown', retryAt: last + this.cooldownMs };
    }
    if (at - this.lastAt < this.globalCooldownMs) {
      return {
        ...base,
        accepted: false,
        reason: 'global-cooldown',
        retryAt: this.lastAt + this.globalCooldownMs,
      };
    }
    if (times.length >= this.perAgentQuota) {
      const oldest = times[0];
      return {
        ...base,
        accepted: false,
        reason: 'quota',
        retryAt: oldest === undefined ? undefined : oldest + this.quotaWindowMs,
      };
    }
    const share = (this.interjections + 1) / (this.turns + this.interjections + 1);
    if (share > this.maxShare) return { ...base, accepted: false, reason: 'share', retryAt: undefined };
    return { ...base, accepted: true, reason: 'accepted', retryAt: undefined };
  }

  /**
   * Records a played interjection (for cooldowns, quotas, the share, the listener balance and,
   * given its text, the repeat guard).
   *
   * @param agentId - who interjected.
   * @param at - when, scheduler ms.
   * @param text - what was said (the plan's text); without it the repeat guard learns nothing.
   * @example
   * ```ts
   * planner.recordInterjection('bruno', clock.now(), plan.text);
   * ```
   */
  recordInterjection(agentId: string, at: number, text?: string): void {
    assertAgentId('agentId', agentId);
    assertNumber('at', at);
    const times = this.recent(agentId, at);
    times.push(at);
    this.lastAt = Math.max(this.lastAt, at);
    this.interjections++;
    this.counts.set(agentId, (this.counts.get(agentId) ?? 0) + 1);
    this.lastAgentId = agentId;
    if (typeof text === 'string' && this.repeatGuardLines > 0) {
      let lines = this.lines.get(agentId);
      if (lines === undefined) {
        lines = [];
        this.lines.set(agentId, lines);
      }
      lines.push(normalizeLine(text));
      if (lines.length > this.repeatGuardLines) lines.splice(0, lines.length - this.repeatGuardLines);
    }
  }

  /**
   * Counts a turn (a contribution that is not an interjection).
   *
   * @example
   * ```ts
   * planner.recordTurn();
   * ```
   */
  recordTurn(): void {
    this.turns++;
  }

  /** The base threshold raised for the last interjector and for an excess share, capped at 1. */
  private thresholdFor(agentId: string): number {
    let threshold = this.threshold;
    if (agentId === this.lastAgentId) threshold += this.lastListenerPenalty;
    const listeners = this.counts.size;
    if (this.interjections > 0 && listeners > 1) {
      // One pseudo-interjection per listener keeps the first few from counting as a monopoly.
      const share = ((this.counts.get(agentId) ?? 0) + 1) / (this.interjections + listeners);
      threshold += this.balancePenalty * Math.max(0, share - 1 / listeners);
    }
    return Math.min(1, threshold);
  }

  /** The agent's interjection times inside the quota window ending at `at` (pruned in place). */
  private recent(agentId: string, at: number): number[] {
    let times = this.history.get(agentId);
    if (times === undefined) {
      times = [];
      this.history.set(agentId, times);
    }
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= at - this.quotaWindowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}

/** A line reduced to its words, for the repeat guard. */
function normalizeLine(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
