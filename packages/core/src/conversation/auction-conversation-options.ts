import type { SchedulerLike } from 'rxjs';
import type { AuctionResolver } from '../auction/auction-types';
import type { AudioController } from '../controller/audio-controller';
import type { LeadTimeController } from '../governor/lead-time-controller';
import type { InterruptPolicy } from '../interrupt/interrupt-types';
import type { LatencyProfiler } from '../latency/latency-profiler';
import type { TtsModel } from '../provider/tts-model';
import type { Agent } from './agent';
import type { ConversationPreset, ConversationPresetId } from './conversation-preset';

/**
 * Options of {@link AuctionConversation}. Only `agents`, `tts` and `controller` are required;
 * everything else defaults from the preset (`debate_snappy` unless given).
 *
 * @example
 * ```ts
 * const options: AuctionConversationOptions = {
 *   agents,
 *   tts: new SimulatedTtsModel({ seed: 7 }),
 *   controller: new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler }),
 *   scheduler: clock.scheduler,
 *   topic: 'Should cities ban cars from their centres?',
 *   preset: 'debate_snappy',
 *   seed: 7,
 *   maxDurationMs: 3 * 60_000,
 * };
 * ```
 */
export interface AuctionConversationOptions {
  /** The participants, 2 or more, with unique ids. */
  agents: readonly Agent[];
  /**
   * The speech synthesis: one model for every agent, or one per agent id (every agent must be
   * listed). Requests ask for the controller's sample rate and the persona's voice.
   */
  tts: TtsModel | Readonly<Record<string, TtsModel>>;
  /** Plays the segments and mixes the output; use the same scheduler as the conversation. */
  controller: AudioController;
  /** The topic, given to agents in every context. Defaults to `an open question`. */
  topic?: string;
  /** A built-in preset id or a preset object. Defaults to `debate_snappy`. */
  preset?: ConversationPresetId | ConversationPreset;
  /** Seed of every random choice (auction draws, gaps); a safe integer. Defaults to 0. */
  seed?: number;
  /** The clock; defaults to the real-time scheduler. Pass a virtual clock's scheduler to simulate. */
  scheduler?: SchedulerLike;
  /**
   * Stop after this much audio time, ms > 0: no auction is held after it, and the turn on the
   * floor ends with the sentence it is speaking. Defaults to `Infinity` (then give `maxTurns`).
   */
  maxDurationMs?: number;
  /** Stop after this many turns, an integer ≥ 1. Defaults to `Infinity`. */
  maxTurns?: number;
  /** Relative talk-share targets by agent id (> 0 each); defaults to equal shares. */
  targets?: Readonly<Record<string, number>>;
  /**
   * The auction resolver; defaults to an {@link EnhancedAuctionResolver} with the preset's
   * temperature, seeded from `seed`, with pacing × reputation × emotion multipliers.
   */
  resolver?: AuctionResolver;
  /**
   * The interrupt policy; defaults to a {@link WindowedInterruptPolicy} with the preset's budgets
   * and its fee (`interrupt.baseFee`). Any policy works, e.g. a {@link DynamicFeeInterruptPolicy}.
   */
  interruptPolicy?: InterruptPolicy;
  /** The lead-time controller; defaults to an {@link AimdLeadTimeController} with the preset's bounds. */
  leadTime?: LeadTimeController;
  /** Where latencies are recorded; defaults to a new profiler on the scheduler. */
  profiler?: LatencyProfiler;
  /** How many recent transcript entries agents see, an integer ≥ 1. Defaults to 12. */
  contextTurns?: number;
}

/**
 * Options of {@link AuctionConversation.stop}: where the speaker on the floor stops.
 *
 * @example
 * ```ts
 * const options: ConversationStopOptions = { at: 'word' };
 * conversation.stop(options);
 * ```
 */
export interface ConversationStopOptions {
  /**
   * `sentence` (the default): the speaker finishes the sentence it is saying; `word`: it stops at
   * its next word beat (the end of the word it is saying), with a short fade.
   */
  at?: 'sentence' | 'word';
}
