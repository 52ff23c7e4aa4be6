import type { Observable } from 'rxjs';
import type { LlmCapabilities, LlmEvent, LlmModel, LlmRequest } from '../provider/llm-model';
import { type CallOptions, SPECIFICATION_VERSION } from '../provider/specification';
import type { PoolRequirements } from './pool-member';
import { runPooledCall } from './pooled-call';
import type { ProviderPool } from './provider-pool';

/**
 * Options of {@link createPooledLlmModel}.
 *
 * @example
 * ```ts
 * const options: PooledLlmModelOptions = { capabilities: { streaming: true, tools: true }, firstEventTimeoutMs: 2000 };
 * ```
 */
export interface PooledLlmModelOptions {
  /** The capabilities to advertise: what every member can do. Default: streaming, no tools. */
  capabilities?: LlmCapabilities;
  /** The model id to report. Default `llm-pool`. */
  modelId?: string;
  /** Requirements added to every request (requests with tools also require the `tools` feature). */
  requires?: PoolRequirements;
  /** Per-attempt time to first token, ms; overrides the pool's. */
  firstEventTimeoutMs?: number;
  /** Rewrites a request for a member. Default: unchanged. */
  adaptRequest?: (request: LlmRequest, provider: string) => LlmRequest;
}

/**
 * An {@link LlmModel} backed by a {@link ProviderPool} of LLMs: each `stream` call is one pool
 * request (routed, timed out before the first token, failed over, recorded). A request carrying
 * tools requires members with the `tools` feature.
 *
 * @param pool - the pool.
 * @param options - advertised capabilities, requirements, timeout and per-member rewrites.
 * @returns an LLM model.
 * @example
 * ```ts
 * const llm = createPooledLlmModel(pool, { firstEventTimeoutMs: 2000 });
 * llm.stream({ messages: [{ role: 'user', content: 'Hi!' }] }).subscribe(console.log);
 * ```
 */
export function createPooledLlmModel(
  pool: ProviderPool<LlmModel>,
  options: PooledLlmModelOptions = {},
): LlmModel {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'argentum-pool',
    modelId: options.modelId ?? 'llm-pool',
    capabilities: options.capabilities ?? { streaming: true, tools: false },
    stream(request: LlmRequest, callOptions?: CallOptions): Observable<LlmEvent> {
      const features = [...(options.requires?.features ?? [])];
      if ((request.tools?.length ?? 0) > 0 && !features.includes('tools')) features.push('tools');
      const requires: PoolRequirements = { ...options.requires, features };
      return runPooledCall(
        pool,
        options,
        () => ({ request, requires }),
        (model, adapted) => model.stream(adapted, callOptions),
      );
    },
  };
}
