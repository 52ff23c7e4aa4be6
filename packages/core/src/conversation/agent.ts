import type { ObservableInput, SchedulerLike } from 'rxjs';

/**
 * Who an agent is: the name it speaks under, its position on the topic and its temperament. The
 * offline agent builds its lines from it; an {@link LlmAgent} turns it into a system prompt; the
 * default listener heuristics read the traits.
 *
 * @example
 * ```ts
 * const ada: Persona = {
 *   name: 'Ada',
 *   stance: 'for',
 *   role: 'urban planner',
 *   style: 'precise, cites numbers',
 *   assertiveness: 0.7,
 *   agreeableness: 0.4,
 *   verbosity: 0.5,
 * };
 * ```
 */
export interface Persona {
  /** The name the agent speaks under (and is addressed by). */
  name: string;
  /** Its position on the topic: `for`, `against` or `neutral` (a moderator or a sceptic). */
  stance: 'for' | 'against' | 'neutral';
  /** A short description of who it is, e.g. `economist`; used in prompts and openers. */
  role?: string;
  /** How it talks, e.g. `blunt, uses short sentences`; used in prompts. */
  style?: string;
  /** How readily it takes the floor, interjects and interrupts, 0..1. Default 0.5. */
  assertiveness?: number;
  /** How readily it agrees and supports, 0..1. Default 0.5. */
  agreeableness?: number;
  /** How long its turns are, 0 (one sentence) .. 1 (the preset's maximum). Default 0.5. */
  verbosity?: number;
  /** The TTS voice name or id; defaults to the agent id. */
  voice?: string;
}

/**
 * One contribution that was heard, as kept in the conversation's context: what agents read to
 * decide what to say next. Only words whose audio actually went out are kept (a cut turn keeps
 * its heard part).
 *
 * @example
 * ```ts
 * const last: TranscriptEntry | undefined = context.transcript.at(-1);
 * if (last?.agentId !== context.agentId) reply(last?.text);
 * ```
 */
export interface TranscriptEntry {
  /** The speaker. */
  agentId: string;
  /** The speaker's persona name. */
  name: string;
  /** A turn on the floor, or an interjection under someone else's turn. */
  kind: 'turn' | 'interjection';
  /** The turn it belongs to (for an interjection: the turn it was made under). */
  turnId: string;
  /** The heard text. */
  text: string;
  /** Whether the turn was cut by a hard interrupt (its text ends where the cut fell). */
  interrupted: boolean;
  /** When it started, scheduler ms. */
  at: number;
}

/**
 * What every agent call sees: the topic, the heard transcript, the agent's own standing, and the
 * context version the call was made for. The conversation drops a result whose version is stale.
 *
 * @example
 * ```ts
 * function mood(context: ConversationContext): string {
 *   return context.talkShare > context.targetShare ? 'let others speak' : 'speak up';
 * }
 * ```
 */
export interface ConversationContext {
  /** The debate topic or question. */
  topic: string;
  /** The agent being asked. */
  agentId: string;
  /** The context version this call was made for; it grows whenever what was heard changes. */
  version: number;
  /** The time of the call, scheduler ms. */
  now: number;
  /** The conversation's clock: time anything the agent does on it (and pass it to model calls). */
  scheduler: SchedulerLike;
  /** How many turns have started so far. */
  turnCount: number;
  /** The agent on the floor (or the last one), `null` before the first turn. */
  speakerId: string | null;
  /** The most recent heard contributions, oldest first (at most the `contextTurns` option). */
  transcript: readonly TranscriptEntry[];
  /** Every agent's persona, by agent id. */
  personas: Readonly<Record<string, Persona>>;
  /** The agent's token balance. */
  balance: number;
  /** The agent's share of recent talk time, 0..1. */
  talkShare: number;
  /** The agent's target share, 0..1. */
  targetShare: number;
}

/**
 * What {@link Agent.bid} sees: the context plus the auction it bids in.
 *
 * @example
 * ```ts
 * const bid = (context: BidContext) => of({ amount: Math.min(3, context.balance) });
 * ```
 */
export interface BidContext extends ConversationContext {
  /** The auction's id, `auction-N`. */
  auctionId: string;
}

/**
 * What {@link Agent.respond} sees: the context plus the turn it speaks.
 *
 * @example
 * ```ts
 * const respond = (context: RespondContext) => of(`I will be brief, in ${context.maxSentences} sentences.`);
 * ```
 */
export interface RespondContext extends ConversationContext {
  /** The turn's id, `turn-N`. */
  turnId: string;
  /** `turn` after winning an auction; `interrupt` when it cut the previous speaker. */
  mode: 'turn' | 'interrupt';
  /** The most sentences the turn should have (the preset's limit scaled by verbosity). */
  maxSentences: number;
}

/**
 * What {@link Agent.interject} sees, at a beat of someone else's turn.
 *
 * @example
 * ```ts
 * const interject = (context: ListenContext) => (context.beat.kind === 'sentence' ? of({ type: 'interjection', interjectionType: 'support', text: 'Right.', importance: 0.7 }) : EMPTY);
 * ```
 */
export interface ListenContext extends ConversationContext {
  /** The turn being listened to. */
  turnId: string;
  /** The speaker's words heard so far in this turn. */
  heardText: string;
  /** The beat just played: a word or sentence start of the speaker. */
  beat: {
    /** Word or sentence. */
    kind: 'word' | 'sentence';
    /** The word or sentence starting here. */
    text: string;
    /** Its index among the segment's beats. */
    index: number;
  };
  /** Whether this agent may still interrupt now (budget, tokens, no interrupt pending). */
  canInterrupt: boolean;
}

/**
 * An agent's bid for the next turn: tokens it offers (clamped to its balance) and, optionally,
 * the evidence quality of what it would say (the enhanced resolver's gate prefers well-supported
 * bids).
 *
 * @example
 * ```ts
 * const bid: AgentBid = { amount: 4, evidenceQuality: 0.8 };
 * ```
 */
export interface AgentBid {
  /** Tokens offered, finite and ≥ 0; 0 passes. */
  amount: number;
  /** Evidence quality of the intended contribution, 0..1. */
  evidenceQuality?: number;
}

/**
 * A listener's reaction at a beat:
 * - `interjection`: a short line to say under the speaker (ducked), of a type and importance —
 *   the interjection planner plays it only above its threshold and within cooldowns and quotas;
 * - `interrupt`: a wish to take the floor now, with an urgency 0..1 — the interrupt policy decides.
 *
 * @example
 * ```ts
 * const reaction: ListenerReaction = { type: 'interjection', interjectionType: 'challenge', text: 'Source?', importance: 0.8 };
 * ```
 */
export type ListenerReaction =
  | {
      /** Discriminator. */
      type: 'interjection';
      /** Agreement, a request for clarity, or disagreement. */
      interjectionType: InterjectionType;
      /** The words (sanitized and capped before they are spoken). */
      text: string;
      /** How much it matters, 0..1. */
      importance: number;
    }
  | {
      /** Discriminator. */
      type: 'interrupt';
      /** How badly the agent wants the floor, 0..1. */
      urgency: number;
    };

/**
 * The kinds of interjection: `support` (agreement, a backchannel), `clarify` (a quick question),
 * `challenge` (disagreement).
 *
 * @example
 * ```ts
 * const kind: InterjectionType = 'clarify';
 * ```
 */
export type InterjectionType = 'support' | 'clarify' | 'challenge';

/**
 * A participant of an {@link AuctionConversation}. Every method may return an `Observable`, a
 * `Promise`, an async iterable or an array (anything RxJS `from` accepts); Observables are
 * cancelled by unsubscribing when the conversation no longer needs the answer (a stale context,
 * a timeout), other inputs are merely ignored then. Errors are reported as `fault` events and the
 * conversation carries on. Implementations: {@link OfflineDebateAgent} (no network),
 * {@link LlmAgent} (any {@link LlmModel}).
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 *
 * const echo: Agent = {
 *   id: 'echo',
 *   persona: { name: 'Echo', stance: 'neutral' },
 *   bid: () => of({ amount: 1 }),
 *   respond: (context) => of(`I heard: ${context.transcript.at(-1)?.text ?? 'nothing yet'}.`),
 *   interject: () => [], // never reacts
 * };
 * ```
 */
export interface Agent {
  /** A unique, non-empty id (also the speaker name on the audio controller). */
  readonly id: string;
  /** Who the agent is. */
  readonly persona: Persona;
  /**
   * Bids for the next turn. Emit one {@link AgentBid} (the first is used) or complete empty to
   * pass. Called concurrently for every agent, with a timeout.
   * @param context - the auction's context.
   */
  bid(context: BidContext): ObservableInput<AgentBid>;
  /**
   * Speaks a turn: the text, as deltas (any split; sentences are cut from the stream as they
   * complete and sent to TTS one by one).
   * @param context - the turn's context.
   */
  respond(context: RespondContext): ObservableInput<string>;
  /**
   * Reacts (or not) at a beat of someone else's turn: emit at most one {@link ListenerReaction},
   * or complete empty.
   * @param context - the beat's context.
   */
  interject(context: ListenContext): ObservableInput<ListenerReaction>;
}
