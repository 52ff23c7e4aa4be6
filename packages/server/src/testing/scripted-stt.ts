import {
  type AudioFrame,
  realtimeScheduler,
  SPECIFICATION_VERSION,
  type SttEvent,
  type SttModel,
} from '@argentum/core';
import { from, isObservable, Observable } from 'rxjs';

/** Options of {@link createScriptedStt}. */
export interface ScriptedSttOptions {
  /**
   * What the n-th utterance says: a list (utterances past its end are heard as silence, `''`), or a
   * function of the utterance index and its audio length in ms.
   */
  transcripts: readonly string[] | ((index: number, audioMs: number) => string);
  /** Delay after the utterance's audio ends, in ms on the call's scheduler. Default 50. */
  latencyMs?: number;
}

/**
 * An offline `SttModel` for tests and load runs: it consumes each utterance's audio and
 * answers with a scripted final transcript `latencyMs` after the audio ends.
 *
 * @param options - the script and latency.
 * @returns the model.
 * @example
 * ```ts
 * const stt = createScriptedStt({ transcripts: ['hello there', 'stop'] });
 * ```
 */
export function createScriptedStt(options: ScriptedSttOptions): SttModel {
  let calls = 0;
  const latencyMs = options.latencyMs ?? 50;
  const script = options.transcripts;
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'argentum-testing',
    modelId: 'scripted',
    capabilities: { streaming: false, partials: false },
    transcribe(request, callOptions) {
      const scheduler = callOptions?.scheduler ?? realtimeScheduler;
      return new Observable<SttEvent>((subscriber) => {
        const index = calls++;
        const audio = isObservable(request.audio)
          ? request.audio
          : from(request.audio as readonly AudioFrame[]);
        let timer: { unsubscribe(): void } | undefined;
        // Only the audio's length matters here: sum it as frames pass, holding none of them.
        let audioMs = 0;
        const subscription = audio.subscribe({
          next: (frame) => {
            audioMs += (frame.samples.length * 1000) / (frame.channels * frame.sampleRate);
          },
          complete: () => {
            const text = typeof script === 'function' ? script(index, audioMs) : (script[index] ?? '');
            timer = scheduler.schedule(() => {
              subscriber.next({ type: 'transcript-final', text, at: scheduler.now() });
              subscriber.complete();
            }, latencyMs);
          },
          error: (error: unknown) => subscriber.error(error),
        });
        return () => {
          subscription.unsubscribe();
          timer?.unsubscribe();
        };
      });
    },
  };
}
