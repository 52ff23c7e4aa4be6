import { filter, map, type Observable } from 'rxjs';
import { assertAgentId } from '../auction/agent-registry';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { LlmMessage, LlmModel, LlmTextDeltaEvent } from '../provider/llm-model';
import type {
  Agent,
  AgentBid,
  BidContext,
  ListenContext,
  ListenerReaction,
  Persona,
  RespondContext,
} from './agent';
import { OfflineDebateAgent, validatePersona } from './offline-debate-agent';

/**
 * Options of {@link LlmAgent}.
 *
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 *
 * const options: LlmAgentOptions = {
 *   id: 'ada',
 *   persona: { name: 'Ada', stance: 'for', role: 'urban planner' },
 *   model: createOpenAI().chat('gpt-4o-mini'),
 *   temperature: 0.9,
 * };
 * ```
 */
export interface LlmAgentOptions {
  /** The agent id. */
  id: string;
  /** Its persona (turned into the system prompt). */
  persona: Persona;
  /** The model that writes its turns. */
  model: LlmModel;
  /** Sampling temperature; defaults to 0.8. */
  temperature?: number;
  /** Token cap of one turn; defaults to 160. */
  maxOutputTokens?: number;
  /** Seed for the model (where supported) and for the bid and reaction heuristics; defaults to 0. */
  seed?: number;
  /**
   * Builds the system prompt; defaults to {@link LlmAgent.defaultSystemPrompt}.
   * @param persona - the persona.
   * @param context - the turn's context.
   */
  systemPrompt?: (persona: Persona, context: RespondContext) => string;
}

/**
 * An agent whose turns are written by any {@link LlmModel} (e.g. `@argentum/openai`): the
 * persona becomes the system prompt, the heard transcript becomes the messages (its own lines as
 * `assistant`, the others' as `user` lines prefixed with the speaker's name), and the model's
 * `text-delta`s stream straight into TTS, sentence by sentence. The model is called with the
 * conversation's scheduler; unsubscribing aborts the request.
 *
 * Bids and listener reactions use the same persona-driven heuristics as the
 * {@link OfflineDebateAgent} (seeded, instant), so an auction or a beat costs no model call;
 * override `bid` / `interject` in a subclass to ask the model instead.
 *
 * @example
 * ```ts
 * import { LlmAgent } from '@argentum/core';
 * import { createOpenAI } from '@argentum/openai';
 *
 * const openai = createOpenAI();
 * const ada = new LlmAgent({
 *   id: 'ada',
 *   persona: { name: 'Ada', stance: 'for', role: 'urban planner', style: 'precise' },
 *   model: openai.chat('gpt-4o-mini'),
 * });
 * ```
 */
export class LlmAgent implements Agent {
  /** The agent id. */
  readonly id: string;
  /** Its persona. */
  readonly persona: Persona;
  /** The model. */
  readonly model: LlmModel;
  /** Sampling temperature. */
  readonly temperature: number;
  /** Token cap of one turn. */
  readonly maxOutputTokens: number;
  private readonly seed: number;
  private readonly heuristics: OfflineDebateAgent;
  private readonly systemPrompt: (persona: Persona, context: RespondContext) => string;

  /**
   * @param options - id, persona, model and sampling settings.
   * @throws {@link InvalidArgumentError} for a bad id, persona, model or setting.
   */
  constructor(options: LlmAgentOptions) {
    this.id = assertAgentId('id', options?.id);
    this.persona = validatePersona(options.persona);
    if (typeof options.model?.stream !== 'function') {
      throw new InvalidArgumentError('model', 'expected an LlmModel (an object with a stream() method).');
    }
    this.model = options.model;
    this.temperature = assertNumber('temperature', options.temperature ?? 0.8, { min: 0, max: 2 });
    this.maxOutputTokens = assertNumber('maxOutputTokens', options.maxOutputTokens ?? 160, {
      min: 1,
      integer: true,
    });
    this.seed = assertNumber('seed', options.seed ?? 0, { integer: true });
    this.heuristics = new OfflineDebateAgent({
      id: this.id,
      persona: this.persona,
      seed: this.seed,
      thinkingMs: 0,
      bidLatencyMs: 0,
    });
    this.systemPrompt = options.systemPrompt ?? LlmAgent.defaultSystemPrompt;
  }

  /**
   * The default system prompt: who the agent is, the topic, and how to speak (short spoken
   * sentences, no lists or markup, no name prefix, answer the last speaker).
   *
   * @param persona - the persona.
   * @param context - the turn's context.
   * @returns the prompt.
   * @example
   * ```ts
   * const prompt = LlmAgent.defaultSystemPrompt(persona, context);
   * ```
   */
  static defaultSystemPrompt(persona: Persona, context: RespondContext): string {
    const others = Object.entries(context.personas)
      .filter(([agentId]) => agentId !== context.agentId)
      .map(([, other]) => `${other.name} (${other.stance})`)
      .join(', ');
    const side =
      persona.stance === 'neutral'
        ? 'You are neutral: probe both sides.'
        : `You argue ${persona.stance} the motion.`;
    return [
      `You are ${persona.name}${persona.role === undefined ? '' : `, ${persona.role}`}, in a live spoken debate.`,
      `Topic: ${context.topic}`,
      side,
      persona.style === undefined ? '' : `Your style: ${persona.style}.`,
      `Other speakers: ${others}.`,
      `Speak in at most ${context.maxSentences} short spoken sentences. No lists, no markdown, no stage directions, do not start with your own name.`,
      'Answer what the last speaker said, by name when you disagree.',
    ]
      .filter((line) => line.length > 0)
      .join('\n');
  }

  /**
   * Bids with the persona heuristics (no model call).
   *
   * @param context - the auction's context.
   * @returns one bid.
   * @example
   * ```ts
   * agent.bid(context).subscribe((bid) => console.log(bid.amount));
   * ```
   */
  bid(context: BidContext): Observable<AgentBid> {
    return this.heuristics.bid(context);
  }

  /**
   * Streams a turn from the model.
   *
   * @param context - the turn's context.
   * @returns the model's text deltas.
   * @example
   * ```ts
   * agent.respond(context).subscribe((delta) => process.stdout.write(delta));
   * ```
   */
  respond(context: RespondContext): Observable<string> {
    const messages: LlmMessage[] = [{ role: 'system', content: this.systemPrompt(this.persona, context) }];
    for (const entry of context.transcript) {
      const text = entry.kind === 'interjection' ? `(interjecting) ${entry.text}` : entry.text;
      if (entry.agentId === this.id) messages.push({ role: 'assistant', content: text });
      else messages.push({ role: 'user', name: safeName(entry.agentId), content: `${entry.name}: ${text}` });
    }
    messages.push({
      role: 'user',
      content:
        context.mode === 'interrupt'
          ? 'You have just cut in. Make your point at once.'
          : context.transcript.length === 0
            ? 'Open the debate with your position.'
            : 'It is your turn.',
    });
    return this.model
      .stream(
        { messages, temperature: this.temperature, maxOutputTokens: this.maxOutputTokens, seed: this.seed },
        { scheduler: context.scheduler },
      )
      .pipe(
        filter((event): event is LlmTextDeltaEvent => event.type === 'text-delta'),
        map((event) => event.text),
      );
  }

  /**
   * Reacts with the persona heuristics (no model call).
   *
   * @param context - the beat's context.
   * @returns at most one reaction.
   * @example
   * ```ts
   * agent.interject(context).subscribe((reaction) => console.log(reaction));
   * ```
   */
  interject(context: ListenContext): Observable<ListenerReaction> {
    return this.heuristics.interject(context);
  }
}

/** A message `name` vendors accept: letters, digits, `_` and `-`. */
function safeName(agentId: string): string {
  return agentId.replace(/[^A-Za-z0-9_-]/gu, '_').slice(0, 64);
}
