import {
  createAudioFrame,
  realtimeScheduler,
  type SampleRate,
  SPECIFICATION_VERSION,
  type TextInput,
  type TtsEvent,
  type TtsModel,
} from '@argentum/core';
import { defer, from, isObservable, Observable, of, reduce } from 'rxjs';

/** Options of {@link createToneTts}. */
export interface ToneTtsOptions {
  /** The rate of its audio unless a request asks for another. Default 16 000. */
  sampleRate?: SampleRate;
  /** How long each word sounds, in ms (rounded to a multiple of 20, at least 20). Default 240. */
  msPerWord?: number;
  /** Delay before the first audio, in ms on the call's scheduler. Default 20. */
  firstByteMs?: number;
  /**
   * Length of each audio event, in ms (rounded to a multiple of 20, at least 20; a word's last
   * chunk may be shorter). Default 20. Streaming TTS services send chunks of 100 ms and more; a larger chunk makes a
   * load test spend less time in the simulated provider.
   */
  chunkMs?: number;
}

const tones = new Map<string, Int16Array>();

/** One word's tone burst (10 ms fades, 40 ms of silence after), cached per pitch, rate and length. */
function wordTone(frequency: number, rate: number, msPerWord: number, fade: number): Int16Array {
  const key = `${frequency}/${rate}/${msPerWord}`;
  let tone = tones.get(key);
  if (tone === undefined) {
    tone = new Int16Array(Math.round((rate * msPerWord) / 1000));
    const toneSamples = Math.round((rate * (msPerWord - 40)) / 1000);
    for (let n = 0; n < toneSamples; n++) {
      const envelope = Math.min(1, n / fade, (toneSamples - n) / fade);
      tone[n] = Math.round(9000 * envelope * Math.sin((2 * Math.PI * frequency * n) / rate));
    }
    if (tones.size > 1024) tones.clear(); // 400 pitches × a few rates and lengths fit
    tones.set(key, tone);
  }
  return tone;
}

function collect(text: TextInput): Observable<string> {
  if (typeof text === 'string') return of(text);
  if (isObservable(text)) return text.pipe(reduce((all, part) => all + part, ''));
  if (Symbol.asyncIterator in Object(text)) {
    return from(
      (async () => {
        let all = '';
        for await (const part of text as AsyncIterable<string>) all += part;
        return all;
      })(),
    );
  }
  return of([...(text as Iterable<string>)].join(''));
}

/**
 * A deterministic, offline `TtsModel` for tests and load runs: each word becomes a tone burst
 * (pitch from the word, 10 ms fades, a short gap) of `msPerWord`, in `chunkMs` frames, with an aligned
 * word `mark` before its audio. It waits for the whole text, then emits everything after
 * `firstByteMs`. Audible, so a browser test can check that sound arrived.
 *
 * @param options - rate, word length, first-byte delay and chunk length.
 * @returns the model.
 * @example
 * ```ts
 * const tts = createToneTts({ msPerWord: 200 });
 * tts.synthesize({ text: 'hello world' }).subscribe((event) => console.log(event.type));
 * ```
 */
export function createToneTts(options: ToneTtsOptions = {}): TtsModel {
  const nativeRate = options.sampleRate ?? 16000;
  const msPerWord = Math.max(20, Math.round((options.msPerWord ?? 240) / 20) * 20);
  const firstByteMs = options.firstByteMs ?? 20;
  const chunkMs = Math.max(20, Math.round((options.chunkMs ?? 20) / 20) * 20);
  return {
    specificationVersion: SPECIFICATION_VERSION,
    provider: 'argentum-testing',
    modelId: 'tone',
    sampleRate: nativeRate,
    capabilities: {
      streamingInput: false,
      streamingOutput: true,
      alignedMarks: true,
      multiContextCancel: false,
    },
    synthesize(request, callOptions) {
      const scheduler = callOptions?.scheduler ?? realtimeScheduler;
      const rate = request.sampleRate ?? nativeRate;
      return defer(() => collect(request.text)).pipe(
        (source) =>
          new Observable<TtsEvent>((subscriber) => {
            let timer: { unsubscribe(): void } | undefined;
            const inner = source.subscribe({
              next: (text) => {
                timer = scheduler.schedule(() => {
                  const words = text.split(/\s+/).filter((word) => word.length > 0);
                  const perFrame = (rate * chunkMs) / 1000;
                  const fade = Math.round(rate * 0.01);
                  let offsetMs = 0;
                  for (const word of words) {
                    if (subscriber.closed) return;
                    const at = scheduler.now();
                    subscriber.next({
                      type: 'mark',
                      kind: 'word',
                      text: word,
                      offsetMs,
                      durationMs: msPerWord,
                      aligned: true,
                      at,
                    });
                    let hash = 0;
                    for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) % 997;
                    const tone = wordTone(300 + (hash % 400), rate, msPerWord, fade);
                    for (let start = 0; start < tone.length; start += perFrame) {
                      const samples = tone.slice(start, start + perFrame);
                      subscriber.next({
                        type: 'audio',
                        frame: createAudioFrame({
                          samples,
                          sampleRate: rate,
                          channels: 1,
                          timestamp: offsetMs + (start * 1000) / rate,
                        }),
                        at,
                      });
                    }
                    offsetMs += msPerWord;
                  }
                  subscriber.next({ type: 'end', durationMs: offsetMs, at: scheduler.now() });
                  subscriber.complete();
                }, firstByteMs);
              },
              error: (error: unknown) => subscriber.error(error),
            });
            return () => {
              inner.unsubscribe();
              timer?.unsubscribe();
            };
          }),
      );
    },
  };
}
