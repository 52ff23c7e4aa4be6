import type { Observable } from 'rxjs';
import type { CallOptions, ModelIdentity } from './specification';

/** A message of a conversation context, in the shape every chat LLM accepts. */
export interface LlmMessage {
  /** Who said it. */
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** The text. */
  content: string;
  /** For `tool` messages: the id of the call this answers. */
  toolCallId?: string;
  /** For `assistant` messages that called tools: the calls. */
  toolCalls?: readonly LlmToolCall[];
  /** Optional speaker name (multi-agent conversations). */
  name?: string;
}

/** A tool the LLM may call. */
export interface LlmToolDefinition {
  /** Tool name. */
  name: string;
  /** What it does, for the model. */
  description: string;
  /** JSON Schema of its parameters. */
  parameters: Record<string, unknown>;
}

/** A tool call made by the LLM. */
export interface LlmToolCall {
  /** The vendor's id of the call. */
  id: string;
  /** The tool's name. */
  name: string;
  /** The arguments as the JSON text the model produced. */
  argumentsJson: string;
}

/** One completion request. */
export interface LlmRequest {
  /** The conversation so far, oldest first. */
  messages: readonly LlmMessage[];
  /** Sampling temperature. */
  temperature?: number;
  /** Upper bound on generated tokens. */
  maxOutputTokens?: number;
  /** Tools the model may call. */
  tools?: readonly LlmToolDefinition[];
  /** Seed, for vendors that support reproducible sampling. */
  seed?: number;
  /** Stop sequences. */
  stop?: readonly string[];
}

/** What an LLM can do. */
export interface LlmCapabilities {
  /** Streams deltas as they are generated. */
  readonly streaming: boolean;
  /** Supports tool calls. */
  readonly tools: boolean;
}

/** Token counts of a completion. */
export interface LlmUsage {
  /** Prompt tokens. */
  inputTokens: number;
  /** Generated tokens. */
  outputTokens: number;
}

/** A piece of generated text. */
export interface LlmTextDeltaEvent {
  /** Discriminator. */
  type: 'text-delta';
  /** The new text. */
  text: string;
  /** Arrival time, scheduler ms. */
  at: number;
}

/** A complete tool call (emitted once its arguments are complete). */
export interface LlmToolCallEvent extends LlmToolCall {
  /** Discriminator. */
  type: 'tool-call';
  /** Arrival time, scheduler ms. */
  at: number;
}

/** Why generation stopped. */
export type LlmFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/** Generation finished. */
export interface LlmEndEvent {
  /** Discriminator. */
  type: 'end';
  /** Why it stopped. */
  finishReason: LlmFinishReason;
  /** Token usage, when the vendor reports it. */
  usage?: LlmUsage;
  /** Arrival time, scheduler ms. */
  at: number;
}

/** The events of a completion stream. */
export type LlmEvent = LlmTextDeltaEvent | LlmToolCallEvent | LlmEndEvent;

/**
 * A chat LLM. `stream()` is cold: each subscription makes one request, emits `text-delta` (and
 * `tool-call`) events and one `end`, then completes; failures are typed {@link ProviderError}s;
 * unsubscribing aborts the request.
 *
 * @example
 * ```ts
 * llm.stream({ messages: [{ role: 'user', content: 'Hi!' }] })
 *   .pipe(filter((e) => e.type === 'text-delta'))
 *   .subscribe((e) => process.stdout.write(e.text));
 * ```
 */
export interface LlmModel extends ModelIdentity {
  /** What the model can do. */
  readonly capabilities: LlmCapabilities;
  /**
   * Streams a completion.
   * @param request - messages and sampling settings.
   * @param options - scheduler and headers.
   */
  stream(request: LlmRequest, options?: CallOptions): Observable<LlmEvent>;
}
