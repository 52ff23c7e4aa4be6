import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { assertAgentId } from '../auction/agent-registry';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createRandom, type RandomSource } from '../internal/random';
import { assertNumber } from '../internal/validate';
import type {
  Agent,
  AgentBid,
  BidContext,
  ConversationContext,
  InterjectionType,
  ListenContext,
  ListenerReaction,
  Persona,
  RespondContext,
  TranscriptEntry,
} from './agent';
import {
  aspectOf,
  drawSlots,
  fill,
  INTERJECTIONS,
  type LineKind,
  lineTemplate,
  pick,
  topicTerms,
} from './debate-corpus';
import { normal } from './simulated-tts-model';

/**
 * Options of {@link OfflineDebateAgent}.
 *
 * @example
 * ```ts
 * const options: OfflineDebateAgentOptions = {
 *   id: 'ada',
 *   persona: { name: 'Ada', stance: 'for', assertiveness: 0.7 },
 *   seed: 11,
 *   thinkingMs: { medianMs: 400, spread: 0.4 },
 * };
 * ```
 */
export interface OfflineDebateAgentOptions {
  /** The agent id. */
  id: string;
  /** Its persona. */
  persona: Persona;
  /** Seed of its choices; defaults to 0 (give each agent its own). */
  seed?: number;
  /**
   * Simulated "thinking": the time to its first sentence, ms, a constant or a seeded log-normal
   * draw. Defaults to `{ medianMs: 350, spread: 0.35 }`. Later sentences follow 80–200 ms apart.
   */
  thinkingMs?:
    | number
    | {
        /** The median, ms. */
        medianMs: number;
        /** σ of the logarithm (0 = constant). */
        spread: number;
      };
  /** Simulated bid latency, ms (uniform 20–120 ms by default). */
  bidLatencyMs?: number;
  /** How the motion is named in lines, e.g. `a car ban`; defaults to `this proposal` / `the motion` / `the plan`. */
  motion?: string;
  /** Words of the topic to talk about; defaults to plural-looking words of the topic. */
  topicTerms?: readonly string[];
  /** How often it reacts at a sentence beat of another speaker, 0..1. Defaults to 0.3 (scaled by assertiveness). */
  reactivity?: number;
}

/**
 * An agent that needs no network: persona-driven debate lines from a built-in grammar, fully
 * deterministic from its seed (and the conversation's seed-driven order of calls). Its turns
 * open by answering the previous speaker — a rebuttal naming them when they disagree, agreement
 * when they are on its side, a question for a neutral moderator — then add claims, evidence
 * (places, years, percentages), questions and concessions on the topic's terms and generic
 * debate dimensions. It never says the same sentence twice in a run (hundreds of distinct
 * sentences per agent are available: enough for a 10-minute debate and more), and its
 * interjections never reuse one of its last six interjection lines.
 *
 * It bids more when it disagrees with the speaker and when it talked less than its target, reacts
 * at sentence beats with support, clarification or challenge interjections, and sometimes asks to
 * interrupt a speaker it strongly disagrees with. Thinking, bidding and reacting take seeded
 * simulated time on the conversation's scheduler.
 *
 * @example
 * ```ts
 * import { OfflineDebateAgent } from '@argentum/core';
 *
 * const agents = [
 *   new OfflineDebateAgent({ id: 'ada', persona: { name: 'Ada', stance: 'for', assertiveness: 0.8 }, seed: 1 }),
 *   new OfflineDebateAgent({ id: 'bruno', persona: { name: 'Bruno', stance: 'against' }, seed: 2 }),
 *   new OfflineDebateAgent({ id: 'chen', persona: { name: 'Chen', stance: 'neutral', agreeableness: 0.8 }, seed: 3 }),
 * ];
 * ```
 */
export class OfflineDebateAgent implements Agent {
  /** The agent id. */
  readonly id: string;
  /** Its persona. */
  readonly persona: Persona;
  private readonly random: RandomSource;
  private readonly thinking: () => number;
  private readonly bidLatencyMs: number | undefined;
  private readonly motion: string | undefined;
  private readonly terms: readonly string[] | undefined;
  private readonly reactivity: number;
  private readonly said = new Set<string>();
  /** Its latest interjection lines, newest last (never reused while in here). */
  private readonly recentInterjections: string[] = [];
  private lastSentence = '';

  /**
   * @param options - id, persona, seed and simulated timings.
   * @throws {@link InvalidArgumentError} for a bad id, persona or option.
   */
  constructor(options: OfflineDebateAgentOptions) {
    this.id = assertAgentId('id', options?.id);
    this.persona = validatePersona(options.persona);
    this.random = createRandom(assertNumber('seed', options.seed ?? 0, { integer: true }));
    const thinking = options.thinkingMs ?? { medianMs: 350, spread: 0.35 };
    if (typeof thinking === 'number') {
      assertNumber('thinkingMs', thinking, { min: 0 });
      this.thinking = () => thinking;
    } else {
      assertNumber('thinkingMs.medianMs', thinking.medianMs, { min: 0 });
      assertNumber('thinkingMs.spread', thinking.spread, { min: 0 });
      this.thinking = () => thinking.medianMs * Math.exp(thinking.spread * normal(this.random));
    }
    this.bidLatencyMs =
      options.bidLatencyMs === undefined
        ? undefined
        : assertNumber('bidLatencyMs', options.bidLatencyMs, { min: 0 });
    this.motion = options.motion;
    this.terms = options.topicTerms;
    this.reactivity = assertNumber('reactivity', options.reactivity ?? 0.3, { min: 0, max: 1 });
  }

  /**
   * Bids from temperament, disagreement with the speaker and its talk share.
   *
   * @param context - the auction's context.
   * @returns one bid, after a short simulated latency.
   * @example
   * ```ts
   * agent.bid(context).subscribe((bid) => console.log(bid.amount));
   * ```
   */
  bid(context: BidContext): Observable<AgentBid> {
    const assertiveness = this.persona.assertiveness ?? 0.5;
    const disagreement = this.disagreesWith(context.speakerId, context) ? 1.5 : 0;
    const hunger = context.targetShare > 0 ? Math.max(0, 1 - context.talkShare / context.targetShare) : 0;
    const amount = Math.max(
      0,
      1 + 4 * assertiveness + disagreement + 2 * hunger + 2 * (this.random.next() - 0.5),
    );
    const evidenceQuality = Math.min(1, 0.3 + 0.6 * this.random.next());
    const latency = this.bidLatencyMs ?? 20 + 100 * this.random.next();
    return delayed(context.scheduler, latency, (subscriber) => {
      subscriber.next({
        amount: Math.round(amount * 100) / 100,
        evidenceQuality: Math.round(evidenceQuality * 100) / 100,
      });
      subscriber.complete();
    });
  }

  /**
   * Speaks a turn: sentences from the grammar, the first after the thinking time, then one every
   * 80–200 ms, each sent in two deltas.
   *
   * @param context - the turn's context.
   * @returns the text deltas.
   * @example
   * ```ts
   * agent.respond(context).subscribe((delta) => process.stdout.write(delta));
   * ```
   */
  respond(context: RespondContext): Observable<string> {
    const sentences = this.compose(context);
    const delays = sentences.map((_, index) =>
      index === 0 ? this.thinking() : 80 + 120 * this.random.next(),
    );
    return new Observable<string>((subscriber) => {
      let index = 0;
      let timer: Subscription | undefined;
      const next = (): void => {
        const sentence = sentences[index] as string;
        const split = sentence.indexOf(' ', Math.floor(sentence.length / 2));
        const prefix = index === 0 ? '' : ' ';
        if (split > 0) {
          subscriber.next(prefix + sentence.slice(0, split));
          subscriber.next(sentence.slice(split));
        } else {
          subscriber.next(prefix + sentence);
        }
        index++;
        if (index >= sentences.length) subscriber.complete();
        else timer = context.scheduler.schedule(next, delays[index] as number);
      };
      timer = context.scheduler.schedule(next, delays[0] as number);
      return () => timer?.unsubscribe();
    });
  }

  /**
   * Reacts at sentence beats (rarely at word beats): support for an ally, challenge for an
   * opponent, clarification when neutral; an interrupt request when it strongly disagrees.
   *
   * @param context - the beat's context.
   * @returns at most one reaction, after a short simulated latency.
   * @example
   * ```ts
   * agent.interject(context).subscribe((reaction) => console.log(reaction.type));
   * ```
   */
  interject(context: ListenContext): Observable<ListenerReaction> {
    const assertiveness = this.persona.assertiveness ?? 0.5;
    const agreeableness = this.persona.agreeableness ?? 0.5;
    const roll = this.random.next();
    const latency = 30 + 120 * this.random.next();
    const opposed = this.disagreesWith(context.speakerId, context);
    const chance = context.beat.kind === 'sentence' ? this.reactivity * (0.5 + assertiveness) : 0;
    let reaction: ListenerReaction | undefined;
    if (roll < chance) {
      const interruptRoll = this.random.next();
      if (
        opposed &&
        context.canInterrupt &&
        context.heardText.length > 0 &&
        interruptRoll < 0.3 * assertiveness * (1.2 - agreeableness)
      ) {
        reaction = {
          type: 'interrupt',
          urgency: Math.min(1, 0.55 + 0.45 * this.random.next() + 0.2 * assertiveness),
        };
      } else {
        const speakerStance =
          context.speakerId === null ? undefined : context.personas[context.speakerId]?.stance;
        const type =
          this.persona.stance === 'neutral' || speakerStance === 'neutral'
            ? this.random.next() < 0.6
              ? 'clarify'
              : 'support'
            : opposed
              ? this.random.next() < agreeableness * 0.5
                ? 'clarify'
                : 'challenge'
              : 'support';
        const importance = Math.min(1, 0.25 + 0.55 * this.random.next() + 0.3 * assertiveness);
        reaction = {
          type: 'interjection',
          interjectionType: type,
          text: this.interjectionLine(type),
          importance,
        };
      }
    }
    return delayed(context.scheduler, latency, (subscriber) => {
      if (reaction !== undefined) subscriber.next(reaction);
      subscriber.complete();
    });
  }

  /** A line of the type that is not among its last {@link INTERJECTION_MEMORY} interjections. */
  private interjectionLine(type: InterjectionType): string {
    const lines: readonly string[] = INTERJECTIONS[type];
    const fresh = lines.filter((line) => !this.recentInterjections.includes(line));
    const line = pick(this.random, fresh.length > 0 ? fresh : lines);
    this.recentInterjections.push(line);
    if (this.recentInterjections.length > INTERJECTION_MEMORY) this.recentInterjections.shift();
    return line;
  }

  private disagreesWith(agentId: string | null, context: ConversationContext): boolean {
    if (agentId === null || agentId === this.id) return false;
    const stance = context.personas[agentId]?.stance;
    return (
      stance !== undefined &&
      stance !== 'neutral' &&
      this.persona.stance !== 'neutral' &&
      stance !== this.persona.stance
    );
  }

  /** The sentences of one turn: an answer to the previous speaker, then the agent's own points. */
  private compose(context: RespondContext): string[] {
    const stance = this.persona.stance;
    const verbosity = this.persona.verbosity ?? 0.5;
    const limit = Math.max(1, context.maxSentences);
    const count = Math.max(
      1,
      Math.min(limit, Math.round(1 + (limit - 1) * (0.35 * verbosity + 0.65 * this.random.next()))),
    );
    const previous = lastTurnOfOther(context.transcript, this.id);
    const theirAspect = previous === undefined ? undefined : aspectOf(previous.text);
    const name = previous?.name ?? 'everyone';
    const base = {
      motion: this.motion ?? pick(this.random, ['this proposal', 'the motion', 'the plan', 'this policy']),
      terms: this.terms ?? topicTerms(context.topic),
      name,
      theirAspect,
    };
    const kinds: LineKind[] = [];
    if (previous !== undefined) {
      const relation = this.disagreesWith(previous.agentId, context)
        ? 'rebuttal'
        : stance === 'neutral'
          ? 'moderation'
          : context.personas[previous.agentId]?.stance === stance
            ? 'agreement'
            : 'rebuttal';
      kinds.push(context.mode === 'interrupt' && relation !== 'agreement' ? 'rebuttal' : relation);
    }
    while (kinds.length < count) {
      const roll = this.random.next();
      kinds.push(roll < 0.4 ? 'claim' : roll < 0.65 ? 'evidence' : roll < 0.82 ? 'question' : 'concession');
    }
    if (kinds.length > count) kinds.length = count;
    return kinds.map((kind) => this.line(kind, stance, base));
  }

  /** One fresh sentence: rerolled until it is not one the agent already said. */
  private line(
    kind: LineKind,
    stance: 'for' | 'against' | 'neutral',
    base: { motion: string; terms: readonly string[]; name: string; theirAspect: string | undefined },
  ): string {
    let sentence = '';
    for (let attempt = 0; attempt < 24; attempt++) {
      const template = lineTemplate(this.random, attempt < 12 ? kind : 'claim', stance);
      sentence = fill(template, drawSlots(this.random, base));
      if (!this.said.has(sentence)) break;
    }
    if (sentence === this.lastSentence || this.said.has(sentence)) {
      sentence = `${sentence.replace(/[.!?]$/u, '')}, and I will keep saying it.`;
    }
    this.said.add(sentence);
    this.lastSentence = sentence;
    return sentence;
  }
}

/** How many of its latest interjection lines an offline agent does not reuse. */
const INTERJECTION_MEMORY = 6;

function lastTurnOfOther(transcript: readonly TranscriptEntry[], self: string): TranscriptEntry | undefined {
  for (let i = transcript.length - 1; i >= 0; i--) {
    const entry = transcript[i] as TranscriptEntry;
    if (entry.kind === 'turn' && entry.agentId !== self && entry.text.length > 0) return entry;
  }
  return undefined;
}

/** Emits through `emit` after `delayMs` on the scheduler; unsubscribing cancels. */
function delayed<T>(
  scheduler: SchedulerLike,
  delayMs: number,
  emit: (subscriber: { next(value: T): void; complete(): void }) => void,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const timer = scheduler.schedule(() => emit(subscriber), delayMs);
    return () => timer.unsubscribe();
  });
}

/**
 * Checks a persona's fields.
 * @internal
 */
export function validatePersona(persona: Persona): Persona {
  if (typeof persona !== 'object' || persona === null) {
    throw new InvalidArgumentError('persona', 'expected a persona object with a name and a stance.');
  }
  if (typeof persona.name !== 'string' || persona.name.trim().length === 0) {
    throw new InvalidArgumentError('persona.name', 'expected a non-empty name.');
  }
  if (persona.stance !== 'for' && persona.stance !== 'against' && persona.stance !== 'neutral') {
    throw new InvalidArgumentError(
      'persona.stance',
      `expected 'for', 'against' or 'neutral', got ${String(persona.stance)}.`,
    );
  }
  for (const trait of ['assertiveness', 'agreeableness', 'verbosity'] as const) {
    if (persona[trait] !== undefined) assertNumber(`persona.${trait}`, persona[trait], { min: 0, max: 1 });
  }
  return persona;
}
