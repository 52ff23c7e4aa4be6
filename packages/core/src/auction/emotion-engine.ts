import { defer, map, type OperatorFunction } from 'rxjs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { ProsodyHints } from '../provider/tts-model';
import { assertAgentId } from './agent-registry';
import type { BidMultiplierSource } from './auction-types';
import { analyzeTextCues } from './text-cues';

/**
 * Something that stirs an agent's (simulated) feelings:
 * - `interrupted` / `challenged` / `supported`: conversational events aimed at the agent;
 * - `utterance`: text the agent said or heard, read with {@link analyzeTextCues}.
 *
 * @example
 * ```ts
 * engine.observe({ type: 'challenged', agentId: 'alice', at: clock.now() });
 * engine.observe({ type: 'utterance', agentId: 'alice', text: 'That is simply wrong!', at: clock.now() });
 * ```
 */
export type EmotionEvent =
  | {
      /** Discriminator. */
      type: 'interrupted' | 'challenged' | 'supported';
      /** The agent affected. */
      agentId: string;
      /** Scheduler ms. */
      at: number;
    }
  | {
      /** Discriminator. */
      type: 'utterance';
      /** The agent affected. */
      agentId: string;
      /** The text. */
      text: string;
      /** Scheduler ms. */
      at: number;
    };

/**
 * An agent's smoothed affect.
 *
 * @example
 * ```ts
 * const { arousal, valence }: EmotionState = emotions.stateOf('alice');
 * if (arousal > 0.5 && valence < 0) console.log('alice is upset');
 * ```
 */
export interface EmotionState {
  /** −1 (subdued) .. 1 (agitated); 0 is calm. */
  arousal: number;
  /** −1 (negative) .. 1 (positive); 0 is neutral. */
  valence: number;
}

/**
 * Options of {@link EmotionEngine}.
 *
 * @example
 * ```ts
 * // Let emotion move bids by at most ±5 % and keep voices steady.
 * const emotions = new EmotionEngine({ maxBidShift: 0.05, stabilityGain: 0.1 });
 * ```
 */
export interface EmotionOptions {
  /** EMA smoothing λ in (0, 1]. Default 0.3. */
  smoothing?: number;
  /** Deadband on |arousal|: inside it bids and prosody are untouched, ≥ 0. Default 0.1. */
  deadband?: number;
  /** Bid multiplier change per unit of arousal beyond the deadband, ≥ 0. Default 0.3. */
  bidGain?: number;
  /** Cap on how far emotion may move a bid: the multiplier stays in `1 ± maxBidShift`, 0..1. Default 0.15. */
  maxBidShift?: number;
  /** Speaking-rate change per unit of arousal beyond the deadband, ≥ 0. Default 0.15. */
  rateGain?: number;
  /** Voice stability at calm, 0..1. Default 0.5. */
  baseStability?: number;
  /** Stability lost per unit of arousal beyond the deadband, ≥ 0. Default 0.3. */
  stabilityGain?: number;
}

/**
 * What {@link emotion} emits after each event.
 *
 * @example
 * ```ts
 * events$.pipe(emotion()).subscribe((snapshot: EmotionSnapshot) => voices.set(snapshot.agentId, snapshot.prosody));
 * ```
 */
export interface EmotionSnapshot {
  /** Discriminator. */
  type: 'emotion';
  /** The event's time, scheduler ms. */
  at: number;
  /** The agent whose state changed. */
  agentId: string;
  /** Its new arousal. */
  arousal: number;
  /** Its new valence. */
  valence: number;
  /** Its bid multiplier. */
  multiplier: number;
  /** Its TTS prosody hints. */
  prosody: ProsodyHints;
}

/** Observation (arousal, valence) of each conversational event. */
const EVENT_AFFECT = {
  interrupted: { arousal: 0.6, valence: -0.5 },
  challenged: { arousal: 0.5, valence: -0.3 },
  supported: { arousal: 0.2, valence: 0.6 },
} as const;

/**
 * The emotion engine, heuristic mode: per-agent arousal and valence smoothed by an exponential
 * moving average of observations (from events and text cues), with two outputs:
 *
 * - a **bid multiplier** — agitated agents bid more eagerly, subdued ones less — equal to 1 while
 *   `|arousal| ≤ deadband` and otherwise `1 + bidGain·(arousal ∓ deadband)`, capped to
 *   `1 ± maxBidShift` so emotion can colour the auction but never decide it alone;
 * - **prosody hints** for TTS ({@link ProsodyHints}): speaking `rate = 1 + rateGain·a` and voice
 *   `stability = baseStability − stabilityGain·a` (lower = more expressive), where `a` is the
 *   arousal beyond the deadband.
 *
 * Each observation `o` moves the state `s ← (1 − λ)·s + λ·o`; values stay in −1..1.
 *
 * @example
 * ```ts
 * import { EmotionEngine } from '@argentum/core';
 *
 * const emotions = new EmotionEngine();
 * emotions.observe({ type: 'interrupted', agentId: 'alice', at: 1000 });
 * emotions.observe({ type: 'utterance', agentId: 'alice', text: 'No, that is WRONG!', at: 1500 });
 * emotions.stateOf('alice'); // { arousal: ≈ 0.26, valence: ≈ −0.23 }
 * emotions.multiplierOf('alice'); // ≈ 1.05
 * emotions.prosodyOf('alice'); // { rate: ≈ 1.02, stability: ≈ 0.45 }
 * ```
 */
export class EmotionEngine implements BidMultiplierSource {
  /** EMA smoothing λ. */
  readonly smoothing: number;
  /** Deadband on |arousal|. */
  readonly deadband: number;
  /** Bid multiplier per unit arousal. */
  readonly bidGain: number;
  /** Cap on the bid change. */
  readonly maxBidShift: number;
  /** Rate change per unit arousal. */
  readonly rateGain: number;
  /** Stability at calm. */
  readonly baseStability: number;
  /** Stability change per unit arousal. */
  readonly stabilityGain: number;
  private readonly states = new Map<string, EmotionState>();

  /**
   * @param options - smoothing, deadband, gains and caps; all optional.
   * @throws {@link InvalidArgumentError} for values out of range.
   */
  constructor(options: EmotionOptions = {}) {
    this.smoothing = assertNumber('smoothing', options.smoothing ?? 0.3, { above: 0, max: 1 });
    this.deadband = assertNumber('deadband', options.deadband ?? 0.1, { min: 0, max: 1 });
    this.bidGain = assertNumber('bidGain', options.bidGain ?? 0.3, { min: 0 });
    this.maxBidShift = assertNumber('maxBidShift', options.maxBidShift ?? 0.15, { min: 0, max: 1 });
    this.rateGain = assertNumber('rateGain', options.rateGain ?? 0.15, { min: 0, max: 0.5 });
    this.baseStability = assertNumber('baseStability', options.baseStability ?? 0.5, { min: 0, max: 1 });
    this.stabilityGain = assertNumber('stabilityGain', options.stabilityGain ?? 0.3, { min: 0 });
  }

  /**
   * Folds one event into the agent's state.
   *
   * @param event - what happened.
   * @returns the agent's new state (a copy).
   * @throws {@link InvalidArgumentError} for an unknown event type or missing text.
   * @example
   * ```ts
   * emotions.observe({ type: 'supported', agentId: 'bob', at: clock.now() });
   * ```
   */
  observe(event: EmotionEvent): EmotionState {
    const agentId = assertAgentId('event.agentId', event?.agentId);
    assertNumber('event.at', event.at);
    let arousal: number;
    let valence: number;
    if (event.type === 'utterance') {
      const cues = analyzeTextCues(event.text);
      arousal = cues.arousal;
      valence = cues.valence;
    } else if (event.type === 'interrupted' || event.type === 'challenged' || event.type === 'supported') {
      arousal = EVENT_AFFECT[event.type].arousal;
      valence = EVENT_AFFECT[event.type].valence;
    } else {
      throw new InvalidArgumentError(
        'event.type',
        `unknown emotion event ${JSON.stringify((event as { type?: unknown }).type)}; expected interrupted, challenged, supported or utterance.`,
      );
    }
    let state = this.states.get(agentId);
    if (state === undefined) {
      state = { arousal: 0, valence: 0 };
      this.states.set(agentId, state);
    }
    const keep = 1 - this.smoothing;
    state.arousal = keep * state.arousal + this.smoothing * arousal;
    state.valence = keep * state.valence + this.smoothing * valence;
    return { arousal: state.arousal, valence: state.valence };
  }

  /**
   * The agent's current state.
   *
   * @param agentId - any agent id.
   * @returns a copy of its state (calm and neutral when it has no history).
   * @example
   * ```ts
   * const { arousal, valence } = emotions.stateOf('alice');
   * ```
   */
  stateOf(agentId: string): EmotionState {
    const state = this.states.get(agentId);
    return { arousal: state?.arousal ?? 0, valence: state?.valence ?? 0 };
  }

  /**
   * The agent's bid multiplier, within `1 ± maxBidShift`.
   *
   * @param agentId - any agent id.
   * @returns the multiplier (1 inside the deadband or with no history).
   * @example
   * ```ts
   * const resolver = new EnhancedAuctionResolver({ multipliers: [pacing, emotions] });
   * ```
   */
  multiplierOf(agentId: string): number {
    const multiplier = 1 + this.bidGain * this.excessArousal(agentId);
    const low = 1 - this.maxBidShift;
    const high = 1 + this.maxBidShift;
    return multiplier < low ? low : multiplier > high ? high : multiplier;
  }

  /**
   * TTS prosody hints for the agent's next utterance.
   *
   * @param agentId - any agent id.
   * @returns `rate` (≈ 0.5..1.5, 1 = normal) and `stability` (0..1).
   * @example
   * ```ts
   * tts.synthesize({ text, prosody: emotions.prosodyOf('alice') });
   * ```
   */
  prosodyOf(agentId: string): ProsodyHints {
    const excess = this.excessArousal(agentId);
    const stability = this.baseStability - this.stabilityGain * excess;
    return {
      rate: 1 + this.rateGain * excess,
      stability: stability < 0 ? 0 : stability > 1 ? 1 : stability,
    };
  }

  private excessArousal(agentId: string): number {
    const arousal = this.states.get(agentId)?.arousal ?? 0;
    if (arousal > this.deadband) return arousal - this.deadband;
    if (arousal < -this.deadband) return arousal + this.deadband;
    return 0;
  }
}

/**
 * An RxJS operator from emotion events to per-agent snapshots (state, bid multiplier, prosody).
 * Each subscription has its own engine.
 *
 * @param options - engine options.
 * @returns the operator.
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { emotion } from '@argentum/core';
 *
 * of({ type: 'challenged', agentId: 'bob', at: 0 } as const)
 *   .pipe(emotion())
 *   .subscribe((snapshot) => console.log(snapshot.prosody));
 * ```
 */
export function emotion(options: EmotionOptions = {}): OperatorFunction<EmotionEvent, EmotionSnapshot> {
  new EmotionEngine(options);
  return (events) =>
    defer(() => {
      const engine = new EmotionEngine(options);
      return events.pipe(
        map((event): EmotionSnapshot => {
          const state = engine.observe(event);
          return {
            type: 'emotion',
            at: event.at,
            agentId: event.agentId,
            arousal: state.arousal,
            valence: state.valence,
            multiplier: engine.multiplierOf(event.agentId),
            prosody: engine.prosodyOf(event.agentId),
          };
        }),
      );
    });
}
