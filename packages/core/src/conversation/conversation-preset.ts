import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type {
  DEFAULT_BALANCE_PENALTY,
  DEFAULT_LAST_LISTENER_PENALTY,
  DEFAULT_REPEAT_GUARD_LINES,
} from './interjection-planner';

/**
 * The ids of the built-in presets.
 *
 * @example
 * ```ts
 * const id: ConversationPresetId = 'panel_civil';
 * ```
 */
export type ConversationPresetId = 'debate_snappy' | 'panel_civil';

/**
 * Every tunable of an {@link AuctionConversation} in one bundle: the auction's temperature and
 * token economy, interrupt budgets and fees, interjection rates, lead times, timeouts and the
 * shape of turns. Start from {@link presets} and override fields.
 *
 * @example
 * ```ts
 * const calmer: ConversationPreset = {
 *   ...presets.debateSnappy,
 *   id: 'debate_calmer',
 *   interrupt: { ...presets.debateSnappy.interrupt, globalBudget: 1 },
 * };
 * ```
 */
export interface ConversationPreset {
  /** The preset's id (`debate_snappy`, `panel_civil`, or your own). */
  id: string;
  /** One line saying what it is for. */
  description: string;
  /** Softmax temperature of the enhanced resolver, ≥ 0 (0 = highest effective bid wins). */
  resolverTemperature: number;
  /** The token economy. */
  tokens: {
    /** Cap on every balance, > 0. */
    capacity: number;
    /** Tokens earned per second of conversation, ≥ 0. */
    tokensPerSecond: number;
    /** Starting balance, 0..capacity. */
    initialBalance: number;
  };
  /** The shape of turns. */
  turns: {
    /** The most sentences in one turn (scaled down by a persona's verbosity), ≥ 1. */
    maxSentences: number;
    /** The silence aimed for between two speakers, ms ≥ 0 (human turn-taking: ≈ 200 ms). */
    handoffGapMs: number;
    /** Random spread of that gap, ± ms ≥ 0 (seeded). */
    handoffJitterMs: number;
    /** The silence between two sentences of one turn, ms ≥ 0. */
    sentenceGapMs: number;
    /** Whether the same agent may win two turns in a row. */
    allowConsecutiveTurns: boolean;
  };
  /** Hard interrupts. */
  interrupt: {
    /** Sliding window of the budgets, ms > 0. */
    windowMs: number;
    /** Interrupts allowed on the floor per window (integer ≥ 0). */
    globalBudget: number;
    /** Interrupts allowed per agent per window (integer ≥ 0). */
    perAgentBudget: number;
    /** The fee of one interrupt, tokens ≥ 0 (charged when it commits). */
    baseFee: number;
    /** The least urgency (0..1) a listener needs to ask for an interrupt. */
    minUrgency: number;
    /** The least commit guard, ms ≥ 0 (the guard band's floor, ruling until 59 latencies are known). */
    commitGuardFloorMs: number;
    /** Safety margin over the p95 first-audio latency, ms ≥ 0. */
    commitGuardBufferMs: number;
    /** The crossfade at the cut, ms ≥ 0 (shortened to the silence before the cut beat). */
    crossfadeMs: number;
    /** Whether to emit `provisional-interrupt` events while the kicker's audio is prepared. */
    provisional: boolean;
  };
  /** Interjections. */
  interjection: {
    /** Least importance (0..1) for an interjection to be played. */
    threshold: number;
    /** Least time between two interjections by one agent, ms ≥ 0. */
    cooldownMs: number;
    /** Least time between any two interjections, ms ≥ 0. */
    globalCooldownMs: number;
    /** Interjections allowed per agent per quota window (integer ≥ 0). */
    perAgentQuota: number;
    /** The quota window, ms > 0. */
    quotaWindowMs: number;
    /** The most interjections may be among all contributions (turns + interjections), 0..1. */
    maxShare: number;
    /** Hard cap on an interjection's length in characters (ellipsis included), ≥ 4. */
    maxCharacters: number;
    /** How much the speaker is ducked under an interjection, dB ≤ 0. */
    duckGainDb: number;
    /** The interjection's own gain, dB ≤ 0. */
    gainDb: number;
    /** How long after its beat an interjection may still start, ms > 0 (else it is dropped). */
    readyTimeoutMs: number;
    /**
     * Listeners react to something said: they are asked for a reaction (an interjection or an
     * interrupt request) only at a sentence beat after at least this many words of the current
     * turn were heard, in complete sentences — never at the turn's first sentence. Integer ≥ 0;
     * default {@link DEFAULT_MIN_HEARD_WORDS}.
     */
    minHeardWords?: number;
    /**
     * An agent may not repeat one of its own last this many played lines (integer ≥ 0); default
     * {@link DEFAULT_REPEAT_GUARD_LINES}.
     */
    repeatGuardLines?: number;
    /**
     * Threshold raise for the listener who interjected last, 0..1; default
     * {@link DEFAULT_LAST_LISTENER_PENALTY}.
     */
    lastListenerPenalty?: number;
    /**
     * Threshold raise per unit of a listener's excess share of the interjections, ≥ 0; default
     * {@link DEFAULT_BALANCE_PENALTY}.
     */
    balancePenalty?: number;
  };
  /**
   * Talk-share pacing: how the pacing bid multiplier follows each agent's share error
   * (`1 − gain × (relative error beyond a 2 % deadband)`, clamped to 0.02..20). Optional; without
   * it {@link DEFAULT_CONVERSATION_PACING} applies.
   */
  pacing?: {
    /**
     * Weight of the newest share error in its moving average, 0 < λ ≤ 1. The talk share is
     * already a running average over the conversation, so 1 (no further averaging) follows it
     * without lag; smaller values keep an early speaker's surplus in the error for turns after
     * its share fell below target, which shuts it out and lets another agent run over.
     */
    smoothing: number;
    /** Gain from relative share error to multiplier, ≥ 0 (15: 8.5 % over target → the floor). */
    gain: number;
  };
  /** The AIMD lead time: how early bids and the next speaker's audio are requested before a handoff. */
  leadTime: {
    /** Starting lead time, ms. */
    initialMs: number;
    /** Least lead time, ms ≥ 0. */
    minMs: number;
    /** Largest lead time, ms. */
    maxMs: number;
    /** Target share of late handoffs, 0 < p < 1. */
    targetMissRate: number;
  };
  /** Timeouts and fallbacks. */
  timeouts: {
    /** A bid not received by then counts as a pass, ms > 0. */
    bidMs: number;
    /** A reaction not received by then is ignored, ms > 0. */
    interjectMs: number;
    /** The first sentence of a response must arrive by then, else the turn fails, ms > 0. */
    firstSentenceMs: number;
    /** Longest silence between two text deltas before the response is cut short, ms > 0. */
    textIdleMs: number;
    /** The first audio of a segment must arrive by then, else it is skipped, ms > 0. */
    firstAudioMs: number;
  };
  /** Backoff of an agent whose provider said "rate limited" (without a retry-after). */
  backoff: {
    /** First backoff, ms > 0. */
    initialMs: number;
    /** Growth per consecutive rate limit, ≥ 1. */
    factor: number;
    /** Longest backoff, ms. */
    maxMs: number;
  };
  /** Most agent and TTS tasks in flight at once across the conversation, integer ≥ 1. */
  maxConcurrentTasks: number;
}

/**
 * How many words of a turn listeners hear before they may react, when a preset does not say
 * (`interjection.minHeardWords`): about one short sentence.
 *
 * @example
 * ```ts
 * const minHeardWords = preset.interjection.minHeardWords ?? DEFAULT_MIN_HEARD_WORDS; // 6
 * ```
 */
export const DEFAULT_MIN_HEARD_WORDS = 6;

/**
 * The talk-share pacing of a preset that does not say (`pacing`): no averaging of the share error
 * (the share already is a running average) and a gain of 15.
 *
 * @example
 * ```ts
 * const pacing = preset.pacing ?? DEFAULT_CONVERSATION_PACING; // { smoothing: 1, gain: 15 }
 * ```
 */
export const DEFAULT_CONVERSATION_PACING: Readonly<{ smoothing: number; gain: number }> = Object.freeze({
  smoothing: 1,
  gain: 15,
});

const debateSnappy: ConversationPreset = Object.freeze({
  id: 'debate_snappy',
  description: 'A lively debate: short turns, quick handoffs, frequent challenges and a few hard interrupts.',
  resolverTemperature: 0.5,
  tokens: Object.freeze({ capacity: 12, tokensPerSecond: 0.5, initialBalance: 6 }),
  turns: Object.freeze({
    maxSentences: 3,
    handoffGapMs: 180,
    handoffJitterMs: 120,
    sentenceGapMs: 300,
    allowConsecutiveTurns: false,
  }),
  interrupt: Object.freeze({
    windowMs: 60_000,
    globalBudget: 3,
    perAgentBudget: 1,
    baseFee: 2,
    minUrgency: 0.6,
    commitGuardFloorMs: 900,
    commitGuardBufferMs: 100,
    crossfadeMs: 60,
    provisional: true,
  }),
  interjection: Object.freeze({
    threshold: 0.55,
    cooldownMs: 12_000,
    globalCooldownMs: 4_000,
    perAgentQuota: 3,
    quotaWindowMs: 60_000,
    maxShare: 0.18,
    maxCharacters: 48,
    duckGainDb: -9,
    gainDb: -2,
    readyTimeoutMs: 900,
    minHeardWords: 6,
  }),
  pacing: Object.freeze({ smoothing: 1, gain: 15 }),
  leadTime: Object.freeze({ initialMs: 1_200, minMs: 300, maxMs: 5_000, targetMissRate: 0.05 }),
  timeouts: Object.freeze({
    bidMs: 600,
    interjectMs: 400,
    firstSentenceMs: 4_000,
    textIdleMs: 3_000,
    firstAudioMs: 3_000,
  }),
  backoff: Object.freeze({ initialMs: 2_000, factor: 2, maxMs: 30_000 }),
  maxConcurrentTasks: 8,
}) as ConversationPreset;

const panelCivil: ConversationPreset = Object.freeze({
  id: 'panel_civil',
  description:
    'A courteous panel: longer turns, relaxed handoffs, mostly supportive interjections, rare interrupts.',
  resolverTemperature: 0.8,
  tokens: Object.freeze({ capacity: 10, tokensPerSecond: 0.35, initialBalance: 5 }),
  turns: Object.freeze({
    maxSentences: 4,
    handoffGapMs: 250,
    handoffJitterMs: 100,
    sentenceGapMs: 380,
    allowConsecutiveTurns: false,
  }),
  interrupt: Object.freeze({
    windowMs: 120_000,
    globalBudget: 1,
    perAgentBudget: 1,
    baseFee: 4,
    minUrgency: 0.85,
    commitGuardFloorMs: 1_000,
    commitGuardBufferMs: 150,
    crossfadeMs: 80,
    provisional: true,
  }),
  interjection: Object.freeze({
    threshold: 0.6,
    cooldownMs: 20_000,
    globalCooldownMs: 6_000,
    perAgentQuota: 2,
    quotaWindowMs: 90_000,
    maxShare: 0.15,
    maxCharacters: 40,
    duckGainDb: -12,
    gainDb: -3,
    readyTimeoutMs: 900,
    minHeardWords: 8,
  }),
  pacing: Object.freeze({ smoothing: 1, gain: 10 }),
  leadTime: Object.freeze({ initialMs: 1_500, minMs: 400, maxMs: 6_000, targetMissRate: 0.05 }),
  timeouts: Object.freeze({
    bidMs: 800,
    interjectMs: 500,
    firstSentenceMs: 5_000,
    textIdleMs: 4_000,
    firstAudioMs: 4_000,
  }),
  backoff: Object.freeze({ initialMs: 2_000, factor: 2, maxMs: 30_000 }),
  maxConcurrentTasks: 6,
}) as ConversationPreset;

/**
 * The built-in presets, by camel-case name; their `id`s are `debate_snappy` and `panel_civil`.
 *
 * | | `debateSnappy` | `panelCivil` |
 * |---|---|---|
 * | resolver temperature | 0.5 | 0.8 |
 * | sentences per turn (max) | 3 | 4 |
 * | handoff gap | 180 ± 120 ms | 250 ± 100 ms |
 * | interrupts | 3/min on the floor, 1/min each, fee 2 | 1 per 2 min, fee 4 |
 * | interjections | threshold 0.55, ≤ 18 % of contributions | threshold 0.6, ≤ 15 % |
 * | pacing (share error smoothing, gain) | 1, 15 | 1, 10 |
 * | lead time (AIMD, 5 % misses) | from 1.2 s | from 1.5 s |
 *
 * @example
 * ```ts
 * import { AuctionConversation, presets } from '@argentum/core';
 *
 * const conversation = new AuctionConversation({ agents, tts, controller, preset: presets.panelCivil });
 * ```
 */
export const presets: Readonly<{
  /** `debate_snappy`: a lively debate. */
  debateSnappy: ConversationPreset;
  /** `panel_civil`: a courteous panel. */
  panelCivil: ConversationPreset;
}> = Object.freeze({ debateSnappy, panelCivil });

/**
 * Finds a built-in preset by id, or passes a preset object through.
 *
 * @param preset - `debate_snappy`, `panel_civil`, or a {@link ConversationPreset}.
 * @returns the preset.
 * @throws {@link InvalidArgumentError} for an unknown id.
 * @example
 * ```ts
 * resolveConversationPreset('debate_snappy').interrupt.globalBudget; // 3
 * ```
 */
export function resolveConversationPreset(
  preset: ConversationPresetId | ConversationPreset,
): ConversationPreset {
  if (typeof preset === 'object' && preset !== null) return preset;
  if (preset === 'debate_snappy') return debateSnappy;
  if (preset === 'panel_civil') return panelCivil;
  throw new InvalidArgumentError(
    'preset',
    `unknown preset ${JSON.stringify(preset)}: use 'debate_snappy', 'panel_civil' or a ConversationPreset object.`,
  );
}
