import { isObservable, type Observable } from 'rxjs';
import { type CallOptions, SPECIFICATION_VERSION } from '../provider/specification';
import type { SttCapabilities, SttEvent, SttModel, SttRequest } from '../provider/stt-model';
import type { PoolRequirements } from './pool-member';
import { requiringLanguage, runPooledCall } from './pooled-call';
import type { ProviderPool } from './provider-pool';
import { replayInput } from './replay-input';

/**
 * Options of {@link createPooledSttModel}.
 *
 * @example
 * ```ts
 * const options: PooledSttModelOptions = { capabilities: { streaming: true, partials: true }, firstEventTimeoutMs: 3000 };
 * ```
 */
export interface PooledSttModelOptions {
  /** The capabilities to advertise: what every member can do. Default: clips only, no partials. */
  capabilities?: SttCapabilities;
  /** The model id to report. Default `stt-pool`. */
  modelId?: string;
  /** Requirements added to every request (a request's `language` is added too). */
  requires?: PoolRequirements;
  /** Per-attempt time to the first transcript event, ms; overrides the pool's. */
  firstEventTimeoutMs?: number;
  /** Rewrites a request for a member. Default: unchanged. */
  adaptRequest?: (request: SttRequest, provider: string) => SttRequest;
}

/**
 * An {@link SttModel} backed by a {@link ProviderPool} of STT models: each `transcribe` call is one
 * pool request. Live audio (an Observable of frames) is buffered for the request's lifetime so a
 * fallback member transcribes the utterance from its start.
 *
 * @param pool - the pool.
 * @param options - advertised capabilities, requirements, timeout and per-member rewrites.
 * @returns an STT model.
 * @example
 * ```ts
 * const stt = createPooledSttModel(pool, { firstEventTimeoutMs: 3000 });
 * stt.transcribe({ audio: frames }).subscribe((event) => console.log(event.text));
 * ```
 */
export function createPooledSttModel(
  pool: ProviderPool<SttModel>,
  options: PooledSttModelOptions = {},
): SttModel {
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'argentum-pool',
    modelId: options.modelId ?? 'stt-pool',
    capabilities: options.capabilities ?? { streaming: false, partials: false },
    transcribe(request: SttRequest, callOptions?: CallOptions): Observable<SttEvent> {
      return runPooledCall(
        pool,
        options,
        () => {
          const replay = isObservable(request.audio) ? replayInput(request.audio) : undefined;
          return {
            request: replay === undefined ? request : { ...request, audio: replay.observable },
            requires: requiringLanguage(options.requires, request.language),
            replay,
          };
        },
        (model, adapted) => model.transcribe(adapted, callOptions),
      );
    },
  };
}
