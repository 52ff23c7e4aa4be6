import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { UnknownAgentError } from './auction-errors';

/**
 * Checks that `agentId` is a non-empty string.
 * @internal
 */
export function assertAgentId(argument: string, agentId: unknown): string {
  if (typeof agentId !== 'string' || agentId.length === 0) {
    throw new InvalidArgumentError(argument, `expected a non-empty agent id string, got ${String(agentId)}.`);
  }
  return agentId;
}

/**
 * Maps agent ids to dense indexes (0, 1, 2, … in insertion order) so that per-agent state can
 * live in flat arrays.
 * @internal
 */
export class AgentRegistry {
  /** The ids, in insertion order. */
  readonly ids: string[] = [];
  private readonly indexes = new Map<string, number>();

  /**
   * @param component - the owning component's name, for error messages.
   * @param agents - the initial ids (validated, no duplicates).
   */
  constructor(
    private readonly component: string,
    agents: readonly string[] = [],
  ) {
    if (!Array.isArray(agents)) {
      throw new InvalidArgumentError('agents', `expected an array of agent ids, got ${String(agents)}.`);
    }
    for (const agentId of agents) this.add(agentId);
  }

  /** Number of agents. */
  get size(): number {
    return this.ids.length;
  }

  /** Adds an id and returns its index; throws on duplicates and invalid ids. */
  add(agentId: string): number {
    assertAgentId('agentId', agentId);
    if (this.indexes.has(agentId)) {
      throw new InvalidArgumentError(
        'agentId',
        `agent "${agentId}" is already registered in ${this.component}.`,
      );
    }
    const index = this.ids.length;
    this.ids.push(agentId);
    this.indexes.set(agentId, index);
    return index;
  }

  /** The index of `agentId`, or -1. */
  find(agentId: string): number {
    return this.indexes.get(agentId) ?? -1;
  }

  /** The index of `agentId`; throws {@link UnknownAgentError} when it is not registered. */
  indexOf(agentId: string): number {
    const index = this.indexes.get(agentId);
    if (index === undefined) throw new UnknownAgentError(String(agentId), this.component);
    return index;
  }
}
