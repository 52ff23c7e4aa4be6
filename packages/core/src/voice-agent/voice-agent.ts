import type { Observable, SchedulerLike } from 'rxjs';
import type { CallOptions } from '../provider/specification';
import type { DialogueContext } from './dialogue-context';

/**
 * A request from an agent to run a tool on the client (a `client_tool_call` on the wire). The
 * session sends it, waits for the result, records it as a `tool` turn and asks the agent again.
 *
 * @example
 * ```ts
 * const call: AgentToolCall = { type: 'tool-call', toolCallId: 'call-1', toolName: 'open_page', parameters: { url: '/pricing' } };
 * ```
 */
export interface AgentToolCall {
  /** Discriminator. */
  type: 'tool-call';
  /** A unique id for the call. */
  toolCallId: string;
  /** The tool's name, as the client registered it. */
  toolName: string;
  /** The tool's arguments. */
  parameters: Record<string, unknown>;
}

/**
 * What an agent's response stream carries: text deltas to speak (strings, concatenated in order)
 * and client tool calls.
 *
 * @example
 * ```ts
 * const output: AgentOutput = 'Hello ';
 * ```
 */
export type AgentOutput = string | AgentToolCall;

/** What an agent gets besides the context and transcript. */
export interface AgentCallOptions {
  /** The clock for anything timed. */
  scheduler?: SchedulerLike;
  /**
   * Headers to pass on to every provider call the agent makes for this turn: the session's
   * `x-correlation-id` (and W3C `traceparent` when an OpenTelemetry propagator is installed).
   */
  headers?: Record<string, string>;
}

/** The provider call options of an agent call: its scheduler and headers, nothing undefined. @internal */
export function providerCallOptions(options: AgentCallOptions): CallOptions {
  return {
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  };
}

/**
 * An agent of a voice conversation: given the conversation so far and what the user just said, it
 * answers with a stream of text deltas (and maybe client tool calls). The stream is cold;
 * unsubscribing (the user barged in) must cancel the work underneath, e.g. abort the LLM call.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 *
 * const shout: VoiceAgent = {
 *   name: 'shout',
 *   description: 'Repeats what the user said, loudly.',
 *   handle: (_context, transcript) => of(`${transcript.toUpperCase()}!`),
 * };
 * ```
 */
export interface VoiceAgent {
  /** A unique name, used by routers and reported in events. */
  readonly name: string;
  /** What the agent is for: the LLM intent router shows it to the classifier. */
  readonly description: string;
  /**
   * Answers one user turn.
   * @param context - the conversation so far; the current user turn is already its last turn.
   * @param transcript - what the user just said.
   * @param options - the scheduler, and headers (the correlation id) to pass on to provider calls.
   * @returns a cold stream of text deltas and tool calls that completes when the answer is complete.
   */
  handle(context: DialogueContext, transcript: string, options?: AgentCallOptions): Observable<AgentOutput>;
}
