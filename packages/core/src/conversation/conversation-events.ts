import type { AuctionResult } from '../auction/auction-types';
import type { CancelReason } from '../controller/audio-controller';
import type { InterruptDecision } from '../interrupt/interrupt-types';
import type { InterjectionType } from './agent';

/**
 * Fields every {@link ConversationEvent} carries.
 *
 * @example
 * ```ts
 * const { at, sequence }: ConversationEventBase = event;
 * ```
 */
export interface ConversationEventBase {
  /** When it happened, scheduler ms. */
  at: number;
  /** Its position in the run's event log, from 0 (no gaps). */
  sequence: number;
}

/**
 * An agent as announced in the {@link ConversationStartEvent}.
 *
 * @example
 * ```ts
 * for (const agent of startEvent.agents) console.log(agent.name, agent.stance, agent.targetShare);
 * ```
 */
export interface ConversationAgentInfo {
  /** The agent id. */
  agentId: string;
  /** Its persona name. */
  name: string;
  /** Its stance. */
  stance: 'for' | 'against' | 'neutral';
  /** The TTS voice it speaks with. */
  voice: string;
  /** Its target talk share, 0..1. */
  targetShare: number;
}

/**
 * The run began. Always the first event.
 *
 * @example
 * ```ts
 * if (event.type === 'start') console.log(`${event.topic} (${event.preset}, seed ${event.seed})`);
 * ```
 */
export interface ConversationStartEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'start';
  /** The topic. */
  topic: string;
  /** The preset's id. */
  preset: string;
  /** The seed of every random choice the conversation makes. */
  seed: number;
  /** The agents, in the order given. */
  agents: ConversationAgentInfo[];
  /** The output sample rate (the controller's). */
  sampleRate: number;
  /** The audio-time limit, ms (`Infinity` when none). */
  maxDurationMs: number;
  /** The turn limit (`Infinity` when none). */
  maxTurns: number;
}

/**
 * How one agent's bid went:
 * `bid` (a positive offer), `pass` (0 or no bid), `timeout` (no answer within the bid timeout),
 * `error` (the agent failed; see the `fault` event), `backoff` (the agent is rate-limited and
 * was not asked), `excluded` (the current speaker, when consecutive turns are not allowed).
 *
 * @example
 * ```ts
 * const late = auction.bids.filter((bid) => bid.status === 'timeout');
 * ```
 */
export type BidStatus = 'bid' | 'pass' | 'timeout' | 'error' | 'backoff' | 'excluded';

/**
 * One agent's line in an {@link AuctionEvent}.
 *
 * @example
 * ```ts
 * const record: BidRecord | undefined = auction.bids.find((bid) => bid.agentId === 'ada');
 * console.log(record?.amount, record?.multipliers.total);
 * ```
 */
export interface BidRecord {
  /** The agent. */
  agentId: string;
  /** What happened to its bid. */
  status: BidStatus;
  /** The tokens it offered (before clamping to its balance). */
  requestedAmount: number;
  /** The tokens entered in the auction: `min(requested, balance)`. */
  amount: number;
  /** The evidence quality it claimed, when any. */
  evidenceQuality: number | undefined;
  /** Its balance when the auction was resolved. */
  balance: number;
  /** Time from the request to the answer (or the timeout), ms. */
  latencyMs: number;
  /** Its multipliers: pacing, reputation, emotion, and their product. */
  multipliers: {
    /** From the talk-share pacing controller. */
    pacing: number;
    /** From the reputation tracker. */
    reputation: number;
    /** From the emotion engine. */
    emotion: number;
    /** Their product: what the resolver applied. */
    total: number;
  };
}

/**
 * An auction for the next turn was resolved. `result` is the resolver's full explanation
 * (effective bids, win probabilities, the draw); the winner pays its bid.
 *
 * @example
 * ```ts
 * if (event.type === 'auction') console.log(event.auctionId, event.winner, event.price, event.prefetch);
 * ```
 */
export interface AuctionEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'auction';
  /** `auction-N`, the resolver's id. */
  auctionId: string;
  /** The turn it allocates (`turn-N`). */
  turnId: string;
  /** Who was speaking when the bids were collected (`null` for the opening auction). */
  speakerId: string | null;
  /** Every agent's bid, in agent order. */
  bids: BidRecord[];
  /** The resolver's result (entries with multipliers and probabilities, winner, reason, draw). */
  result: AuctionResult;
  /** The winner, or `null` when nobody bid. */
  winner: string | null;
  /** The tokens the winner paid. */
  price: number;
  /** Talk shares when resolved, by agent. */
  talkShares: Record<string, number>;
  /** The lead time in force: how long before the planned handoff the bids were requested, ms. */
  leadTimeMs: number;
  /** The reserve prefetch: `hit` (the predicted agent won, its audio is reused), `miss` (cancelled), `none`. */
  prefetch: 'hit' | 'miss' | 'none';
}

/**
 * An agent took the floor: its first segment's first sample went out.
 * `gapMs` is the silence since the previous turn's last sample (negative: overlap).
 *
 * @example
 * ```ts
 * if (event.type === 'turn-start') console.log(`${event.agentId} after ${event.gapMs} ms`);
 * ```
 */
export interface TurnStartEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'turn-start';
  /** `turn-N`, from 1. */
  turnId: string;
  /** The agent. */
  agentId: string;
  /** How it got the floor. */
  cause: 'auction' | 'interrupt';
  /** The auction it won, or `null` after an interrupt. */
  auctionId: string | null;
  /** The interrupt that gave it the floor, or `null`. */
  interruptId: string | null;
  /** The planned start, scheduler ms. */
  plannedAt: number;
  /** The actual first sample, scheduler ms. */
  actualAt: number;
  /** Silence since the previous turn ended, ms (`null` for the first turn). */
  gapMs: number | null;
  /** Whether its opening came from the reserve prefetch. */
  prefetched: boolean;
  /** From requesting its response to its first audio, ms. */
  firstAudioLatencyMs: number;
}

/**
 * A segment started playing: a sentence of a turn (`kind: 'turn'`, a primary segment) or an
 * interjection clip (`kind: 'interjection'`, an overlay).
 *
 * @example
 * ```ts
 * if (event.type === 'segment-start') console.log(event.segmentId, event.kind, event.text);
 * ```
 */
export interface SegmentStartEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'segment-start';
  /** `segment-N` for turn sentences, `clip-N` for interjections; also the controller's segment id. */
  segmentId: string;
  /** The turn it belongs to (for an interjection: the turn it was made under). */
  turnId: string;
  /** The speaking agent. */
  agentId: string;
  /** Turn sentence or interjection. */
  kind: 'turn' | 'interjection';
  /** The text spoken. */
  text: string;
  /** The planned start, scheduler ms. */
  plannedAt: number;
  /** The actual first sample, scheduler ms. */
  actualAt: number;
  /** `actualAt − plannedAt`, ms. */
  driftMs: number;
  /** From requesting its audio to the first chunk, ms. */
  firstChunkLatencyMs: number;
  /** The commit guard in force, ms. */
  commitGuardMs: number;
  /** The p95 of first-audio latencies so far, ms (`NaN` before any). */
  firstChunkP95Ms: number;
}

/**
 * A word or sentence boundary of a turn's segment went out. Listeners react at beats.
 *
 * @example
 * ```ts
 * if (event.type === 'beat' && event.missed) console.warn(`beat ${event.index} off by ${event.driftMs} ms`);
 * ```
 */
export interface ConversationBeatEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'beat';
  /** The segment. */
  segmentId: string;
  /** The turn. */
  turnId: string;
  /** The speaker. */
  agentId: string;
  /** Index among the segment's beats. */
  index: number;
  /** Word or sentence. */
  kind: 'word' | 'sentence';
  /** The word or sentence starting here. */
  text: string;
  /** Where it starts in the segment's audio, ms. */
  offsetMs: number;
  /** Its length, ms (0 when unknown). */
  durationMs: number;
  /** Planned time, scheduler ms. */
  plannedAt: number;
  /** Actual time, scheduler ms. */
  actualAt: number;
  /** `actualAt − plannedAt`, ms. */
  driftMs: number;
  /** Whether the drift exceeded the controller's tolerance. */
  missed: boolean;
}

/**
 * A listener's interjection accepted by the planner either played (ducked under the speaker
 * through the single duck lease) or was dropped before a sample went out.
 *
 * @example
 * ```ts
 * if (event.type === 'interjection' && event.outcome === 'played') console.log(`${event.agentId}: ${event.text}`);
 * ```
 */
export interface InterjectionEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'interjection';
  /** `clip-N`: the clip's segment id. */
  clipId: string;
  /** The interjecting agent. */
  agentId: string;
  /** The speaker it reacts to. */
  targetAgentId: string;
  /** The turn it was made under. */
  turnId: string;
  /** Support, clarify or challenge. */
  interjectionType: InterjectionType;
  /** The sanitized, capped text. */
  text: string;
  /** Its importance, 0..1. */
  importance: number;
  /** The threshold the planner held this listener to, 0..1 (the base threshold plus its balance penalties). */
  threshold: number;
  /** `played` (its first sample went out) or `dropped`. */
  outcome: 'played' | 'dropped';
  /**
   * Why it was dropped: `not-ready` (audio too late), `speaker-finished` (the turn ended first),
   * `lease-busy` (another duck lease was active), `stale` (the context changed), `failed`.
   */
  reason: 'not-ready' | 'speaker-finished' | 'lease-busy' | 'stale' | 'failed' | null;
  /** The duck lease's id (`lease-N`), when played. */
  leaseId: string | null;
  /** How much the speaker was ducked, dB. */
  duckGainDb: number;
  /** When its first sample went out, scheduler ms (`null` when dropped). */
  startedAt: number | null;
}

/**
 * The interrupt policy ruled on a listener's request to take the floor.
 *
 * @example
 * ```ts
 * if (event.type === 'interrupt-decision') console.log(event.decision.explanation);
 * ```
 */
export interface InterruptDecisionEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'interrupt-decision';
  /** `interrupt-N`. */
  interruptId: string;
  /** The requesting agent (the kicker). */
  agentId: string;
  /** The speaker it would cut. */
  speakerId: string;
  /** The turn it would cut. */
  turnId: string;
  /** The kicker's urgency, 0..1. */
  urgency: number;
  /** The policy's decision record (allowed, fee, reason, explanation, window counts). */
  decision: InterruptDecision;
}

/**
 * An allowed interrupt is being prepared: the kicker's audio is being generated for a cut at
 * `beatAt`; it commits only if that audio is ready by `readyBy`. Emitted when the preset's
 * `interrupt.provisional` is on.
 *
 * @example
 * ```ts
 * if (event.type === 'provisional-interrupt') console.log(`${event.agentId} may cut at ${event.beatAt}`);
 * ```
 */
export interface ProvisionalInterruptEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'provisional-interrupt';
  /** `interrupt-N`. */
  interruptId: string;
  /** The kicker. */
  agentId: string;
  /** The speaker. */
  speakerId: string;
  /** The segment to cut. */
  segmentId: string;
  /** The beat to cut at (its index in the segment; the cut falls where the word starts). */
  beatIndex: number;
  /** When that beat plays, scheduler ms. */
  beatAt: number;
  /** The commit guard used, ms: the beat is at least this far ahead of the decision. */
  commitGuardMs: number;
  /** The readiness deadline, scheduler ms. */
  readyBy: number;
}

/**
 * A hard interrupt's outcome: `committed` — the speaker is cut at a word beat at least
 * `commitGuardMs` after the decision, the kicker's audio was ready (`audioReadyAt ≤ readyBy`),
 * the floor crosses over in `crossfadeMs`, the fee is paid — or `fallen-back`: the speaker
 * finishes, nothing is charged.
 *
 * @example
 * ```ts
 * if (event.type === 'interrupt') console.log(event.interruptId, event.outcome, event.reason, event.crossfadeMs);
 * ```
 */
export interface InterruptEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'interrupt';
  /** `interrupt-N`. */
  interruptId: string;
  /** The kicker. */
  agentId: string;
  /** The speaker. */
  speakerId: string;
  /** The turn being cut (or not). */
  turnId: string;
  /** What happened. */
  outcome: 'committed' | 'fallen-back';
  /**
   * Why: `audio-ready` (committed); `audio-not-ready` (the kicker's audio missed the deadline);
   * `no-beat` (no word beat far enough ahead); `speaker-finished`; `stale` (the context changed,
   * or the turn or time limit was reached before the cut); `failed` (the kicker's response or
   * audio failed; see the `fault` event).
   */
  reason: 'audio-ready' | 'audio-not-ready' | 'no-beat' | 'speaker-finished' | 'stale' | 'failed';
  /** The segment cut (or planned to be). */
  segmentId: string;
  /** The beat of the cut, or `null` when none was chosen. */
  beatIndex: number | null;
  /** The word at the cut, or `null`. */
  beatText: string | null;
  /** When the cut plays, scheduler ms, or `null`. */
  beatAt: number | null;
  /** When the policy allowed it, scheduler ms. */
  decidedAt: number;
  /** The commit guard used, ms. */
  commitGuardMs: number;
  /** The readiness deadline, scheduler ms (`null` without a beat). */
  readyBy: number | null;
  /** When the kicker's first audio arrived, scheduler ms (`null` if it did not in time). */
  audioReadyAt: number | null;
  /** The crossfade at the cut, ms (0 when fallen back). */
  crossfadeMs: number;
  /** Tokens charged (0 when fallen back). */
  fee: number;
  /** The kicker's first segment (`null` when fallen back). */
  kickerSegmentId: string | null;
}

/**
 * A segment stopped: played to its end, cut, or skipped before a sample went out.
 *
 * @example
 * ```ts
 * if (event.type === 'segment-end' && event.outcome !== 'end') console.log(event.segmentId, event.reason);
 * ```
 */
export interface SegmentEndEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'segment-end';
  /** The segment. */
  segmentId: string;
  /** Its turn. */
  turnId: string;
  /** The speaker. */
  agentId: string;
  /** Turn sentence or interjection. */
  kind: 'turn' | 'interjection';
  /** `end` (played to its last sample), `cancel` (cut while playing) or `skipped` (never started). */
  outcome: 'end' | 'cancel' | 'skipped';
  /** Why it was cut or skipped (`null` for `end`). */
  reason: CancelReason | 'interrupt' | 'failed' | 'not-ready' | 'stale' | 'finished' | null;
  /** How much of its audio went out, ms. */
  playedMs: number;
  /** The words heard. */
  heardText: string;
  /** When its first sample went out (`null` if never), scheduler ms. */
  startedAt: number | null;
}

/**
 * A turn ended. `talkMs` is the time from its first to its last sample (what pacing counts).
 *
 * @example
 * ```ts
 * if (event.type === 'turn-end') console.log(event.turnId, event.outcome, event.talkMs);
 * ```
 */
export interface TurnEndEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'turn-end';
  /** The turn. */
  turnId: string;
  /** The speaker. */
  agentId: string;
  /**
   * `completed`; `interrupted` (cut by a committed interrupt); `truncated` (its response failed
   * or stalled part-way, what was said stands); `failed` (nothing was said); `cancelled` (the run
   * stopped).
   */
  outcome: 'completed' | 'interrupted' | 'truncated' | 'failed' | 'cancelled';
  /** When its first sample went out, or `null` if none did. */
  startedAt: number | null;
  /** Talk time, ms. */
  talkMs: number;
  /** What was heard of it. */
  heardText: string;
  /** The kicker, when interrupted. */
  interruptedBy: string | null;
  /** Tokens its auction cost (the winning bid; 0 after an interrupt, whose fee is on the interrupt). */
  price: number;
}

/**
 * Pacing feedback after a turn: shares, targets, the multipliers the next auction will use, and timing health.
 *
 * @example
 * ```ts
 * if (event.type === 'pacing') console.log(event.shares, event.fairness, event.leadTimeMs);
 * ```
 */
export interface PacingEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'pacing';
  /** The turn just counted. */
  turnId: string;
  /** Talk shares, by agent. */
  shares: Record<string, number>;
  /** Target shares, by agent. */
  targets: Record<string, number>;
  /** Smoothed share errors, by agent. */
  errors: Record<string, number>;
  /** Pacing multipliers, by agent. */
  multipliers: Record<string, number>;
  /** Token balances, by agent. */
  balances: Record<string, number>;
  /** Jain's fairness index on share/target so far. */
  fairness: number;
  /** The AIMD lead time now, ms. */
  leadTimeMs: number;
  /** Recent share of late handoffs. */
  missRate: number;
  /** The commit guard now, ms. */
  commitGuardMs: number;
  /** p95 of first-audio latencies, ms (`NaN` before any). */
  firstChunkP95Ms: number;
}

/**
 * Something failed and the conversation worked around it: the event says what and how.
 * - `task`: what was being done;
 * - `code`: `timeout`, `rate-limited`, `stalled` (text stopped arriving), `late-audio`, or the
 *   error's own `code` (`server-error`, …), or `error` for a non-Argentum error;
 * - `action`: `skipped` (the result is not used), `truncated` (the turn ends with what was
 *   said), `fallback` (a default was used), `backoff` (the agent sits out until `retryAfterMs`).
 *
 * @example
 * ```ts
 * if (event.type === 'fault') console.warn(`${event.task} ${event.code}: ${event.action}`);
 * ```
 */
export interface FaultEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'fault';
  /** The agent concerned, or `null`. */
  agentId: string | null;
  /** The turn concerned, or `null`. */
  turnId: string | null;
  /** What was being done. */
  task: 'bid' | 'respond' | 'interject' | 'synthesize' | 'interrupt';
  /** What went wrong. */
  code: string;
  /** The error's message. */
  message: string;
  /** What the conversation did about it. */
  action: 'skipped' | 'truncated' | 'fallback' | 'backoff';
  /** For `backoff`: how long the agent sits out, ms. */
  retryAfterMs: number | null;
}

/**
 * The run is over. Always the last event; the stream completes right after.
 *
 * @example
 * ```ts
 * if (event.type === 'end') console.log(`${event.reason} after ${event.turns} turns`);
 * ```
 */
export interface ConversationEndEvent extends ConversationEventBase {
  /** Discriminator. */
  type: 'end';
  /**
   * `max-duration`, `max-turns`, `no-bids` (nobody could speak), `stopped` (a graceful
   * {@link AuctionConversation.stop}), or `cancelled`.
   */
  reason: 'max-duration' | 'max-turns' | 'no-bids' | 'stopped' | 'cancelled';
  /** Turns started. */
  turns: number;
  /** Interjections played. */
  interjections: number;
  /** Interrupts committed. */
  interrupts: number;
  /** From the start to the last sample, ms. */
  durationMs: number;
}

/**
 * Everything an {@link AuctionConversation} reports, discriminated on `type`. In order for one
 * turn: `auction` → `turn-start` → (`segment-start`, `beat`…, `segment-end`)… → `turn-end` →
 * `pacing`; listeners' `interjection`s and `interrupt-decision` / `provisional-interrupt` /
 * `interrupt` come between beats, `fault`s whenever something fails.
 *
 * @example
 * ```ts
 * conversation.events$.subscribe((event) => {
 *   switch (event.type) {
 *     case 'turn-start':
 *       console.log(`${event.turnId}: ${event.agentId} after a ${event.gapMs} ms gap`);
 *       break;
 *     case 'interrupt':
 *       console.log(event.interruptId, event.outcome, event.reason);
 *       break;
 *   }
 * });
 * ```
 */
export type ConversationEvent =
  | ConversationStartEvent
  | AuctionEvent
  | TurnStartEvent
  | SegmentStartEvent
  | ConversationBeatEvent
  | InterjectionEvent
  | InterruptDecisionEvent
  | ProvisionalInterruptEvent
  | InterruptEvent
  | SegmentEndEvent
  | TurnEndEvent
  | PacingEvent
  | FaultEvent
  | ConversationEndEvent;
