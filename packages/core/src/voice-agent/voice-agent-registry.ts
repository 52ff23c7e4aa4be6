import { UnknownAgentError } from '../auction/auction-errors';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { VoiceAgent } from './voice-agent';

/**
 * The agents a voice session can route to, by name. The first registered agent is the default
 * unless another is named.
 *
 * @example
 * ```ts
 * const registry = new VoiceAgentRegistry([createConversationAgent({ llm }), createEchoAgent()]);
 * registry.get('echo'); // the echo agent
 * registry.defaultAgent.name; // 'conversation'
 * ```
 */
export class VoiceAgentRegistry {
  readonly #agents = new Map<string, VoiceAgent>();
  #defaultName: string | undefined;

  /**
   * @param agents - the initial agents (names must be unique).
   * @param defaultName - the default agent's name; defaults to the first agent.
   * @throws {@link InvalidArgumentError} for a duplicate or empty name; {@link UnknownAgentError} for an unknown default.
   */
  constructor(agents: readonly VoiceAgent[] = [], defaultName?: string) {
    for (const agent of agents) this.register(agent);
    if (defaultName !== undefined) this.setDefault(defaultName);
  }

  /**
   * Adds an agent.
   * @param agent - the agent.
   * @returns this registry.
   * @throws {@link InvalidArgumentError} when the name is empty or taken.
   * @example
   * ```ts
   * registry.register(createEchoAgent({ name: 'echo-2' }));
   * ```
   */
  register(agent: VoiceAgent): this {
    if (typeof agent?.name !== 'string' || agent.name.length === 0 || typeof agent.handle !== 'function') {
      throw new InvalidArgumentError(
        'agent',
        'expected a VoiceAgent with a non-empty name and a handle() method.',
      );
    }
    if (this.#agents.has(agent.name)) {
      throw new InvalidArgumentError(
        'agent',
        `an agent named "${agent.name}" is already registered; names must be unique.`,
      );
    }
    this.#agents.set(agent.name, agent);
    this.#defaultName ??= agent.name;
    return this;
  }

  /**
   * Makes `name` the default agent.
   * @param name - a registered agent's name.
   * @throws {@link UnknownAgentError} when no agent has that name.
   * @example
   * ```ts
   * registry.setDefault('echo');
   * ```
   */
  setDefault(name: string): void {
    if (!this.#agents.has(name)) throw new UnknownAgentError(name, 'VoiceAgentRegistry');
    this.#defaultName = name;
  }

  /**
   * Looks an agent up.
   * @param name - the agent's name.
   * @returns the agent.
   * @throws {@link UnknownAgentError} when no agent has that name.
   * @example
   * ```ts
   * const agent = registry.get('conversation');
   * ```
   */
  get(name: string): VoiceAgent {
    const agent = this.#agents.get(name);
    if (agent === undefined) throw new UnknownAgentError(name, 'VoiceAgentRegistry');
    return agent;
  }

  /**
   * Tells whether an agent is registered.
   * @param name - the agent's name.
   * @returns `true` when registered.
   * @example
   * ```ts
   * registry.has('echo');
   * ```
   */
  has(name: string): boolean {
    return this.#agents.has(name);
  }

  /** The registered agents, in registration order. */
  get agents(): readonly VoiceAgent[] {
    return [...this.#agents.values()];
  }

  /**
   * The default agent.
   * @throws {@link UnknownAgentError} when the registry is empty.
   */
  get defaultAgent(): VoiceAgent {
    if (this.#defaultName === undefined) throw new UnknownAgentError('(default)', 'VoiceAgentRegistry');
    return this.get(this.#defaultName);
  }
}
