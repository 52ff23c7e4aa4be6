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
}

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
 * `cooldown` (this agent interjected too recently), `global-cooldown`, `quota` (this agent's
 * quota in the window is used), `share` (interjections would exceed their share of contributions).
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
  reason: 'accepted' | 'below-threshold' | 'empty' | 'cooldown' | 'global-cooldown' | 'quota' | 'share';
  /** The sanitized, capped text. */
  text: string;
  /** The proposal's importance. */
  importance: number;
  /** The threshold it was held to. */
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
 * `consider()` records nothing; call `recordInterjection()` when one is played and
 * `recordTurn()` when a turn starts. Times must not go backwards.
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
 *   planner.recordInterjection('bruno', 1000);
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
  private readonly history = new Map<string, number[]>();
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
    const base = { text, importance, threshold: this.threshold };
    if (importance < this.threshold)
      return { ...base, accepted: false, reason: 'below-threshold', retryAt: undefined };
    if (text.length === 0) return { ...base, accepted: false, reason: 'empty', retryAt: undefined };
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
   * Records a played interjection (for cooldowns, quotas and the share).
   *
   * @param agentId - who interjected.
   * @param at - when, scheduler ms.
   * @example
   * ```ts
   * planner.recordInterjection('bruno', clock.now());
   * ```
   */
  recordInterjection(agentId: string, at: number): void {
    assertAgentId('agentId', agentId);
    assertNumber('at', at);
    const times = this.recent(agentId, at);
    times.push(at);
    this.lastAt = Math.max(this.lastAt, at);
    this.interjections++;
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
