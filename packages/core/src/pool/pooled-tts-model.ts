import { from, isObservable, type Observable } from 'rxjs';
import type { SampleRate } from '../audio/audio-frame';
import { type CallOptions, SPECIFICATION_VERSION } from '../provider/specification';
import type { TextInput, TtsCapabilities, TtsEvent, TtsModel, TtsRequest } from '../provider/tts-model';
import type { PoolRequirements } from './pool-member';
import { requiringLanguage, runPooledCall } from './pooled-call';
import type { ProviderPool } from './provider-pool';
import { type ReplayedInput, replayInput } from './replay-input';

/**
 * Options of {@link createPooledTtsModel}.
 *
 * @example
 * ```ts
 * const options: PooledTtsModelOptions = {
 *   sampleRate: 24000,
 *   capabilities: { streamingInput: true, streamingOutput: true, alignedMarks: false, multiContextCancel: false },
 *   adaptRequest: (request, provider) => ({ ...request, voice: provider === 'openai' ? 'coral' : 'Rachel' }),
 * };
 * ```
 */
export interface PooledTtsModelOptions {
  /** The rate every member is asked for (unless a request names one), so audio is uniform whatever member speaks. */
  sampleRate: SampleRate;
  /** The capabilities to advertise: what every member can do. Default: streaming output only. */
  capabilities?: TtsCapabilities;
  /** The model id to report. Default `tts-pool`. */
  modelId?: string;
  /** Requirements added to every request (a request's `language` is added too). */
  requires?: PoolRequirements;
  /** Per-attempt time to first audio, ms; overrides the pool's. */
  firstEventTimeoutMs?: number;
  /** Rewrites a request for a member (its voice names, say). Default: unchanged. */
  adaptRequest?: (request: TtsRequest, provider: string) => TtsRequest;
}

function replayableText(text: TextInput): { text: TextInput; replay: ReplayedInput<string> | undefined } {
  if (typeof text === 'string') return { text, replay: undefined };
  if (isObservable(text)) {
    const replay = replayInput(text);
    return { text: replay.observable, replay };
  }
  if (Symbol.asyncIterator in text) {
    const replay = replayInput(from(text as AsyncIterable<string>));
    return { text: replay.observable, replay };
  }
  return { text: Array.from(text as Iterable<string>), replay: undefined };
}

/**
 * A {@link TtsModel} backed by a {@link ProviderPool} of TTS models: each `synthesize` call is one
 * pool request, so it is routed, timed out, failed over and recorded by the pool. Streamed text
 * (LLM deltas) is buffered for the request's lifetime so a fallback member gets all of it.
 *
 * @param pool - the pool.
 * @param options - output rate, advertised capabilities, requirements and per-member rewrites.
 * @returns a TTS model that the rest of Argentum (voice agent, controllers) uses like any other.
 * @example
 * ```ts
 * const tts = createPooledTtsModel(pool, { sampleRate: 24000, firstEventTimeoutMs: 700 });
 * const session = new VoiceAgentSession({ conversationId, agents, stt, tts });
 * ```
 */
export function createPooledTtsModel(pool: ProviderPool<TtsModel>, options: PooledTtsModelOptions): TtsModel {
  const capabilities: TtsCapabilities = options.capabilities ?? {
    streamingInput: false,
    streamingOutput: true,
    alignedMarks: false,
    multiContextCancel: false,
  };
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'argentum-pool',
    modelId: options.modelId ?? 'tts-pool',
    capabilities,
    sampleRate: options.sampleRate,
    synthesize(request: TtsRequest, callOptions?: CallOptions): Observable<TtsEvent> {
      return runPooledCall(
        pool,
        options,
        () => {
          const { text, replay } = replayableText(request.text);
          return {
            request: { ...request, text, sampleRate: request.sampleRate ?? options.sampleRate },
            requires: requiringLanguage(options.requires, request.language),
            replay,
          };
        },
        (model, adapted) => model.synthesize(adapted, callOptions),
      );
    },
  };
}
