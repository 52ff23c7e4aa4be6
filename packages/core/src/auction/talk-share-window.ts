import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import { AgentRegistry } from './agent-registry';

/**
 * One finished turn on the floor.
 *
 * @example
 * ```ts
 * const turn: TalkTurn = { agentId: 'alice', durationMs: 4200, at: clock.now() };
 * talk.record(turn);
 * ```
 */
export interface TalkTurn {
  /** Who spoke. */
  agentId: string;
  /** How long they spoke, in ms (≥ 0). */
  durationMs: number;
  /** When the turn ended, in scheduler ms. */
  at: number;
}

/**
 * Anything that knows each agent's recent talk share and its target share: what
 * {@link PacingController.update} and the resolvers' talk-share tie-break read.
 * {@link TalkShareWindow} is the standard implementation.
 *
 * @example
 * ```ts
 * const fixed: TalkShareSource = {
 *   agentIds: ['a', 'b'],
 *   shareOf: (id) => (id === 'a' ? 0.7 : 0.3),
 *   targetOf: () => 0.5,
 * };
 * pacing.update(fixed);
 * ```
 */
export interface TalkShareSource {
  /** The agents, in a stable order. */
  readonly agentIds: readonly string[];
  /**
   * The agent's share of recent talk, 0..1.
   * @param agentId - an agent of `agentIds`.
   */
  shareOf(agentId: string): number;
  /**
   * The agent's target share, 0..1 (targets sum to 1).
   * @param agentId - an agent of `agentIds`.
   */
  targetOf(agentId: string): number;
}

/**
 * Options of {@link TalkShareWindow}.
 *
 * @example
 * ```ts
 * const options: TalkShareOptions = {
 *   agents: ['alice', 'bob'],
 *   targets: { alice: 2, bob: 1 }, // alice aims for 2/3 of the talk
 *   windowMs: 5 * 60_000, // the last five minutes…
 *   windowTurns: 50, // …and at most the last 50 turns
 * };
 * ```
 */
export interface TalkShareOptions {
  /** The agents on the floor. More can be added with {@link TalkShareWindow.addAgent}. */
  agents: readonly string[];
  /**
   * Relative target weights per agent (> 0 each, normalised to sum to 1). Default: equal shares.
   * When given, every agent must be listed.
   */
  targets?: Readonly<Record<string, number>>;
  /** Keep only the last this many turns (an integer ≥ 1, or `Infinity`). Default 200. */
  windowTurns?: number;
  /** Keep only turns that ended within this many ms of the latest time seen (> 0, or `Infinity`). Default `Infinity`. */
  windowMs?: number;
  /**
   * What a share measures: `time` (share of talk time, the default) or `turns` (share of turn
   * count). With `time`, a window whose turns all lasted 0 ms falls back to turn counts.
   */
  measure?: 'time' | 'turns';
}

/**
 * A plain picture of a {@link TalkShareWindow}.
 *
 * @example
 * ```ts
 * const { shares, targets } = talk.snapshot();
 * for (const agentId of Object.keys(shares)) console.log(agentId, shares[agentId], '→', targets[agentId]);
 * ```
 */
export interface TalkShareSnapshot {
  /** Turns currently in the window. */
  turns: number;
  /** Turns per agent in the window. */
  talkCounts: Record<string, number>;
  /** Talk time per agent in the window, ms. */
  talkTimeMs: Record<string, number>;
  /** Share per agent (0 for everyone while the window is empty). */
  shares: Record<string, number>;
  /** Normalised target per agent. */
  targets: Record<string, number>;
}

const DEFAULT_WINDOW_TURNS = 200;

/**
 * Sliding-window talk accounting: how many turns and how much talk time each agent had among the
 * recent turns (the last `windowTurns` turns and/or those within `windowMs`), each agent's share
 * of it, and each agent's target share. The pacing controller steers shares toward targets.
 *
 * Reading a share is O(1) and allocation-free; recording a turn is O(1) amortised.
 *
 * @example
 * ```ts
 * import { TalkShareWindow } from '@argentum/core';
 *
 * const talk = new TalkShareWindow({ agents: ['alice', 'bob', 'carol'], targets: { alice: 2, bob: 1, carol: 1 } });
 * talk.record({ agentId: 'alice', durationMs: 4000, at: 4000 });
 * talk.record({ agentId: 'bob', durationMs: 2000, at: 6000 });
 * talk.record({ agentId: 'carol', durationMs: 2000, at: 8000 });
 * console.log(talk.shares()); // { alice: 0.5, bob: 0.25, carol: 0.25 }
 * console.log(talk.targetOf('alice')); // 0.5
 * ```
 */
export class TalkShareWindow implements TalkShareSource {
  /** What a share measures. */
  readonly measure: 'time' | 'turns';
  /** The turn-count window. */
  readonly windowTurns: number;
  /** The time window, in ms. */
  readonly windowMs: number;
  private readonly registry = new AgentRegistry('TalkShareWindow');
  private readonly weights: number[] = [];
  private readonly targets: number[] = [];
  private readonly counts: number[] = [];
  private readonly times: number[] = [];
  private totalCount = 0;
  private totalTimeMs = 0;
  private latestAt = Number.NEGATIVE_INFINITY;
  // Ring buffer of the turns in the window (only kept when a window can evict).
  private readonly keepsTurns: boolean;
  private ringAgent: Int32Array;
  private ringDuration: Float64Array;
  private ringAt: Float64Array;
  private head = 0;

  /**
   * @param options - agents, targets and window.
   * @throws {@link InvalidArgumentError} for bad windows or targets.
   */
  constructor(options: TalkShareOptions) {
    const windowTurns = options.windowTurns ?? DEFAULT_WINDOW_TURNS;
    if (windowTurns !== Number.POSITIVE_INFINITY)
      assertNumber('windowTurns', windowTurns, { min: 1, integer: true });
    const windowMs = options.windowMs ?? Number.POSITIVE_INFINITY;
    if (windowMs !== Number.POSITIVE_INFINITY) assertNumber('windowMs', windowMs, { above: 0 });
    const measure = options.measure ?? 'time';
    if (measure !== 'time' && measure !== 'turns') {
      throw new InvalidArgumentError('measure', `expected 'time' or 'turns', got ${String(measure)}.`);
    }
    this.measure = measure;
    this.windowTurns = windowTurns;
    this.windowMs = windowMs;
    this.keepsTurns = Number.isFinite(windowTurns) || Number.isFinite(windowMs);
    const capacity = Number.isFinite(windowTurns) ? windowTurns : 64;
    this.ringAgent = new Int32Array(this.keepsTurns ? capacity : 0);
    this.ringDuration = new Float64Array(this.keepsTurns ? capacity : 0);
    this.ringAt = new Float64Array(this.keepsTurns ? capacity : 0);
    if (!Array.isArray(options.agents)) {
      throw new InvalidArgumentError(
        'agents',
        `expected an array of agent ids, got ${String(options.agents)}.`,
      );
    }
    const targets = options.targets;
    for (const agentId of options.agents) {
      if (targets !== undefined && targets[agentId] === undefined) {
        throw new InvalidArgumentError(
          'targets',
          `agent "${agentId}" has no target weight: list every agent, or omit targets for equal shares.`,
        );
      }
      this.addAgentUnnormalised(agentId, targets === undefined ? 1 : targets[agentId]);
    }
    if (targets !== undefined) {
      for (const agentId of Object.keys(targets)) this.registry.indexOf(agentId);
    }
    this.normaliseTargets();
  }

  /** The agents, in the order they were added. */
  get agentIds(): readonly string[] {
    return this.registry.ids;
  }

  /** Turns currently in the window. */
  get turns(): number {
    return this.totalCount;
  }

  /**
   * Adds an agent to the floor.
   *
   * @param agentId - a new id.
   * @param weight - its relative target weight (> 0). Default: the mean of the existing weights,
   *   so a newcomer gets an equal share.
   * @example
   * ```ts
   * talk.addAgent('dave'); // targets become equal quarters when the others were equal
   * ```
   */
  addAgent(agentId: string, weight?: number): void {
    let sum = 0;
    for (const w of this.weights) sum += w;
    this.addAgentUnnormalised(agentId, weight ?? (this.weights.length === 0 ? 1 : sum / this.weights.length));
    this.normaliseTargets();
  }

  /**
   * Replaces target weights (relative, > 0). Agents not listed keep their weight.
   *
   * @param weights - agent id → weight.
   * @example
   * ```ts
   * talk.setTargets({ alice: 3 }); // alice now aims for 3 / (3 + others' weights)
   * ```
   */
  setTargets(weights: Readonly<Record<string, number>>): void {
    const updates: [number, number][] = [];
    for (const agentId of Object.keys(weights)) {
      updates.push([this.registry.indexOf(agentId), assertWeight(agentId, weights[agentId])]);
    }
    for (const [index, weight] of updates) this.weights[index] = weight;
    this.normaliseTargets();
  }

  /**
   * Records a finished turn and slides the window.
   *
   * @param turn - who spoke, for how long, and when the turn ended (not earlier than the latest
   *   time already seen).
   * @throws {@link UnknownAgentError} for an agent not on the floor; {@link InvalidArgumentError}
   *   for a negative duration or a time going backwards.
   * @example
   * ```ts
   * talk.record({ agentId: 'bob', durationMs: 3200, at: clock.now() });
   * ```
   */
  record(turn: TalkTurn): void {
    const index = this.registry.indexOf(turn.agentId);
    const durationMs = assertNumber('turn.durationMs', turn.durationMs, { min: 0 });
    this.advanceTo(turn.at);
    this.counts[index] = (this.counts[index] as number) + 1;
    this.times[index] = (this.times[index] as number) + durationMs;
    this.totalCount++;
    this.totalTimeMs += durationMs;
    if (!this.keepsTurns) return;
    const capacity = this.ringAgent.length;
    if (this.totalCount > capacity) {
      if (Number.isFinite(this.windowTurns)) this.evictOldest();
      else this.grow();
    }
    const slot = (this.head + this.totalCount - 1) % this.ringAgent.length;
    this.ringAgent[slot] = index;
    this.ringDuration[slot] = durationMs;
    this.ringAt[slot] = turn.at;
  }

  /**
   * Moves the window's clock to `nowMs`, dropping turns that ended at or before `nowMs − windowMs`.
   * Only matters with a finite `windowMs`; `record()` calls it for you.
   *
   * @param nowMs - scheduler ms, not earlier than the latest time seen.
   * @example
   * ```ts
   * talk.advanceTo(clock.now()); // forget turns older than windowMs
   * ```
   */
  advanceTo(nowMs: number): void {
    assertNumber('at', nowMs);
    if (nowMs < this.latestAt) {
      throw new InvalidArgumentError(
        'at',
        `time went backwards: ${nowMs} ms is before ${this.latestAt} ms. Record turns in time order.`,
      );
    }
    this.latestAt = nowMs;
    if (!Number.isFinite(this.windowMs)) return;
    const horizon = nowMs - this.windowMs;
    while (this.totalCount > 0 && (this.ringAt[this.head] as number) <= horizon) this.evictOldest();
  }

  /**
   * The agent's share of the window (time or turns, per `measure`), 0..1; 0 while the window is empty.
   *
   * @param agentId - an agent on the floor.
   * @returns the share.
   * @example
   * ```ts
   * if (talk.shareOf('alice') > talk.targetOf('alice')) console.log('alice is ahead');
   * ```
   */
  shareOf(agentId: string): number {
    const index = this.registry.indexOf(agentId);
    // Sums are kept incrementally; ignore sub-nanosecond drift and clamp rounding below zero.
    if (this.measure === 'time' && this.totalTimeMs > 1e-6) {
      const share = (this.times[index] as number) / this.totalTimeMs;
      return share < 0 ? 0 : share > 1 ? 1 : share;
    }
    return this.totalCount === 0 ? 0 : (this.counts[index] as number) / this.totalCount;
  }

  /**
   * The agent's normalised target share, 0..1.
   *
   * @param agentId - an agent on the floor.
   * @returns the target.
   * @example
   * ```ts
   * talk.targetOf('bob'); // 1/3 with three equal agents
   * ```
   */
  targetOf(agentId: string): number {
    return this.targets[this.registry.indexOf(agentId)] as number;
  }

  /**
   * Every agent's share.
   *
   * @returns agent id → share (sums to 1, or all 0 while the window is empty).
   * @example
   * ```ts
   * console.table(talk.shares());
   * ```
   */
  shares(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const agentId of this.registry.ids) out[agentId] = this.shareOf(agentId);
    return out;
  }

  /**
   * A plain copy of counts, times, shares and targets.
   *
   * @returns the snapshot.
   * @example
   * ```ts
   * log.push({ at: clock.now(), talk: talk.snapshot() });
   * ```
   */
  snapshot(): TalkShareSnapshot {
    const talkCounts: Record<string, number> = {};
    const talkTimeMs: Record<string, number> = {};
    const targets: Record<string, number> = {};
    const ids = this.registry.ids;
    for (let i = 0; i < ids.length; i++) {
      const agentId = ids[i] as string;
      talkCounts[agentId] = this.counts[i] as number;
      talkTimeMs[agentId] = this.times[i] as number;
      targets[agentId] = this.targets[i] as number;
    }
    return { turns: this.totalCount, talkCounts, talkTimeMs, shares: this.shares(), targets };
  }

  private addAgentUnnormalised(agentId: string, weight: unknown): void {
    const checked = assertWeight(agentId, weight);
    this.registry.add(agentId);
    this.weights.push(checked);
    this.targets.push(0);
    this.counts.push(0);
    this.times.push(0);
  }

  private normaliseTargets(): void {
    let sum = 0;
    for (const weight of this.weights) sum += weight;
    for (let i = 0; i < this.weights.length; i++) this.targets[i] = (this.weights[i] as number) / sum;
  }

  private evictOldest(): void {
    const slot = this.head;
    const index = this.ringAgent[slot] as number;
    const count = (this.counts[index] as number) - 1;
    this.counts[index] = count;
    // Reset sums exactly at zero so floating-point drift cannot accumulate.
    this.times[index] = count === 0 ? 0 : (this.times[index] as number) - (this.ringDuration[slot] as number);
    this.totalCount--;
    this.totalTimeMs = this.totalCount === 0 ? 0 : this.totalTimeMs - (this.ringDuration[slot] as number);
    this.head = (slot + 1) % this.ringAgent.length;
  }

  private grow(): void {
    const oldLength = this.ringAgent.length;
    const live = this.totalCount - 1;
    const agent = new Int32Array(oldLength * 2);
    const duration = new Float64Array(oldLength * 2);
    const at = new Float64Array(oldLength * 2);
    for (let i = 0; i < live; i++) {
      const slot = (this.head + i) % oldLength;
      agent[i] = this.ringAgent[slot] as number;
      duration[i] = this.ringDuration[slot] as number;
      at[i] = this.ringAt[slot] as number;
    }
    this.ringAgent = agent;
    this.ringDuration = duration;
    this.ringAt = at;
    this.head = 0;
  }
}

function assertWeight(agentId: string, weight: unknown): number {
  return assertNumber(`targets.${agentId}`, weight, { above: 0 });
}
