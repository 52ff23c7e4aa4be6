import { catchError, defer, map, type Observable, of, reduce } from 'rxjs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { LlmModel } from '../provider/llm-model';
import type { DialogueContext } from './dialogue-context';
import { type AgentCallOptions, providerCallOptions } from './voice-agent';
import type { VoiceAgentRegistry } from './voice-agent-registry';

/**
 * Which agent answers a turn, and why.
 *
 * @example
 * ```ts
 * const decision: RouteDecision = { agent: 'summarization', reason: 'keyword "sum up"' };
 * ```
 */
export interface RouteDecision {
  /** The chosen agent's name. */
  agent: string;
  /** A human-readable reason, for logs. */
  reason: string;
}

/**
 * Picks the agent for each user turn.
 *
 * @example
 * ```ts
 * const router: VoiceAgentRouter = { route: (_t, _c, registry) => of({ agent: registry.defaultAgent.name, reason: 'default' }) };
 * ```
 */
export interface VoiceAgentRouter {
  /**
   * Decides.
   * @param transcript - what the user said.
   * @param context - the conversation so far.
   * @param registry - the available agents.
   * @param options - the scheduler, and headers (the correlation id) to pass on to provider calls.
   * @returns a cold stream of exactly one decision naming a registered agent.
   */
  route(
    transcript: string,
    context: DialogueContext,
    registry: VoiceAgentRegistry,
    options?: AgentCallOptions,
  ): Observable<RouteDecision>;
}

/** A keyword rule of {@link createKeywordRouter}. */
export interface KeywordRule {
  /** The agent to pick. */
  agent: string;
  /** Words or phrases that pick it (matched case-insensitively on word boundaries), or a pattern. */
  keywords: readonly string[] | RegExp;
}

/** Options of {@link createKeywordRouter}. */
export interface KeywordRouterOptions {
  /** The rules, tried in order; the first match wins. */
  rules: readonly KeywordRule[];
  /** What decides when no rule matches: another router (e.g. the LLM intent router) or the registry's default. */
  fallback?: VoiceAgentRouter;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A router of keyword rules: "sum up" → the summarization agent, and so on; unmatched turns go to
 * the fallback router or the default agent.
 *
 * @param options - rules and fallback.
 * @returns the router.
 * @throws {@link InvalidArgumentError} for a rule with no keywords.
 * @example
 * ```ts
 * const router = createKeywordRouter({
 *   rules: [{ agent: 'summarization', keywords: ['sum up', 'summary', 'recap'] }],
 *   fallback: createLlmIntentRouter({ llm }),
 * });
 * ```
 */
export function createKeywordRouter(options: KeywordRouterOptions): VoiceAgentRouter {
  const rules = options.rules.map((rule) => {
    if (rule.keywords instanceof RegExp)
      return { agent: rule.agent, pattern: rule.keywords, label: String(rule.keywords) };
    if (rule.keywords.length === 0) {
      throw new InvalidArgumentError(
        'rules',
        `the rule for "${rule.agent}" has no keywords; give at least one.`,
      );
    }
    const pattern = new RegExp(
      `(^|[^\\p{L}\\p{N}])(${rule.keywords.map((word) => escapeRegExp(word.trim())).join('|')})(?=$|[^\\p{L}\\p{N}])`,
      'iu',
    );
    return { agent: rule.agent, pattern, label: rule.keywords.join(', ') };
  });
  return {
    route: (transcript, context, registry, callOptions) =>
      defer(() => {
        for (const rule of rules) {
          const match = rule.pattern.exec(transcript);
          if (match !== null && registry.has(rule.agent)) {
            const word = (match[2] ?? match[0]).trim();
            return of({ agent: rule.agent, reason: `keyword "${word}"` });
          }
        }
        if (options.fallback !== undefined)
          return options.fallback.route(transcript, context, registry, callOptions);
        return of({ agent: registry.defaultAgent.name, reason: 'no keyword matched: default agent' });
      }),
  };
}

/** Options of {@link createLlmIntentRouter}. */
export interface LlmIntentRouterOptions {
  /** The LLM that classifies the user's intent. */
  llm: LlmModel;
  /** How many recent turns the classifier sees besides the transcript. Default 4. */
  historyTurns?: number;
}

/**
 * A router that asks an LLM which agent fits the user's request, from each agent's description. An
 * answer that names no registered agent (or an LLM failure) falls back to the default agent, so a
 * turn is never lost to routing.
 *
 * @param options - the classifier LLM.
 * @returns the router.
 * @example
 * ```ts
 * const router = createLlmIntentRouter({ llm: openai.languageModel('gpt-4o-mini') });
 * ```
 */
export function createLlmIntentRouter(options: LlmIntentRouterOptions): VoiceAgentRouter {
  const historyTurns = options.historyTurns ?? 4;
  return {
    route: (transcript, context, registry, callOptions = {}) =>
      defer(() => {
        const agents = registry.agents;
        const fallback = registry.defaultAgent.name;
        const catalogue = agents.map((agent) => `- ${agent.name}: ${agent.description}`).join('\n');
        const recent = context.turns
          .slice(-historyTurns - 1, -1)
          .filter((turn) => turn.role !== 'tool')
          .map((turn) => `${turn.role}: ${turn.text}`)
          .join('\n');
        return options.llm
          .stream(
            {
              messages: [
                {
                  role: 'system',
                  content: `Route the user's request to one agent. Agents:\n${catalogue}\nAnswer with the agent's name only.`,
                },
                {
                  role: 'user',
                  content: `${recent === '' ? '' : `Recent turns:\n${recent}\n\n`}Request: ${transcript}`,
                },
              ],
              temperature: 0,
              maxOutputTokens: 16,
            },
            providerCallOptions(callOptions),
          )
          .pipe(
            reduce((text, event) => (event.type === 'text-delta' ? text + event.text : text), ''),
            map((answer): RouteDecision => {
              const cleaned = answer
                .trim()
                .toLowerCase()
                .replace(/[^\p{L}\p{N}_-]+/gu, ' ');
              const words = cleaned.split(' ').filter((word) => word.length > 0);
              const chosen = agents.find((agent) => words.includes(agent.name.toLowerCase()));
              return chosen === undefined
                ? {
                    agent: fallback,
                    reason: `intent classifier answered "${answer.trim().slice(0, 40)}": default agent`,
                  }
                : { agent: chosen.name, reason: `intent classifier chose "${chosen.name}"` };
            }),
            catchError(() => of({ agent: fallback, reason: 'intent classifier failed: default agent' })),
          );
      }),
  };
}
