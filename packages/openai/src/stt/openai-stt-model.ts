import {
  AudioFormatError,
  type AudioFrame,
  type CallOptions,
  encodeWav,
  InvalidArgumentError,
  NetworkError,
  realtimeScheduler,
  SPECIFICATION_VERSION,
  type SpecificationVersion,
  type SttCapabilities,
  type SttEvent,
  type SttInput,
  type SttModel,
  type SttRequest,
} from '@argentum/core';
import { toFile } from 'openai';
import { concatMap, defer, isObservable, type Observable, of, toArray } from 'rxjs';
import { withCallPolicy } from '../internal/call-policy';
import { assertOptionalNumber } from '../internal/validate';
import type { OpenAIModelConfig } from '../openai-provider';
import type { OpenAISttModelId, OpenAISttOptions } from './openai-stt-options';

function collectFrames(audio: SttInput): Observable<readonly AudioFrame[]> {
  return isObservable(audio) ? audio.pipe(toArray()) : of(audio);
}

/** Concatenates frames of one format into a WAV file. */
function framesToWav(frames: readonly AudioFrame[]): Uint8Array {
  const first = frames[0];
  if (first === undefined) {
    throw new InvalidArgumentError('audio', 'expected at least one frame to transcribe, got none.');
  }
  let length = 0;
  for (const frame of frames) {
    if (frame.sampleRate !== first.sampleRate || frame.channels !== first.channels) {
      throw new AudioFormatError(
        `Frames to transcribe must share one format: got ${frame.sampleRate} Hz × ${frame.channels} after ${first.sampleRate} Hz × ${first.channels}; resample first.`,
      );
    }
    length += frame.samples.length;
  }
  const samples = new Int16Array(length);
  let offset = 0;
  for (const frame of frames) {
    samples.set(frame.samples, offset);
    offset += frame.samples.length;
  }
  return encodeWav(samples, { sampleRate: first.sampleRate, channels: first.channels });
}

/**
 * A transcription model over OpenAI's `audio.transcriptions` endpoint. Create it with
 * `createOpenAI().transcription(id, options)`.
 *
 * Each subscription to {@link OpenAISttModel.transcribe} collects the clip (an array of frames,
 * or an Observable of frames until it completes), uploads it as a WAV file (multipart), and
 * emits the transcript: with streaming (`gpt-4o*-transcribe` by default) a
 * `transcript-partial` per `transcript.text.delta` (the text so far) then `transcript-final` at
 * `transcript.text.done`; without, one `transcript-final`. Then it completes. Unsubscribing aborts
 * the upload or the stream.
 *
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 *
 * const stt = createOpenAI().transcription('gpt-4o-mini-transcribe', { language: 'en' });
 * stt.transcribe({ audio: clipFrames }).subscribe((event) => {
 *   if (event.type === 'transcript-final') console.log('user said:', event.text);
 * });
 * ```
 */
export class OpenAISttModel implements SttModel {
  /** The spec version implemented (`v1`). */
  readonly specificationVersion: SpecificationVersion = SPECIFICATION_VERSION;
  /** `openai`. */
  readonly provider: string;
  /** The OpenAI model id. */
  readonly modelId: string;
  /** Finished clips only (not live audio); partials when streaming. */
  readonly capabilities: SttCapabilities;

  readonly #options: OpenAISttOptions;
  readonly #config: OpenAIModelConfig;
  readonly #stream: boolean;

  /**
   * Use `createOpenAI().transcription(id, options)` rather than this constructor.
   * @param modelId - the OpenAI transcription model id.
   * @param options - streaming, language, temperature.
   * @param config - provider internals.
   * @internal
   */
  constructor(modelId: OpenAISttModelId, options: OpenAISttOptions, config: OpenAIModelConfig) {
    assertOptionalNumber('temperature', options.temperature, { min: 0, max: 1 });
    this.modelId = modelId;
    this.provider = config.policy.provider;
    this.#options = options;
    this.#config = config;
    this.#stream = options.stream ?? /^gpt-4o.*transcribe/.test(modelId);
    this.capabilities = { streaming: false, partials: this.#stream };
  }

  /**
   * Transcribes a clip (cold; one upload per subscription).
   * @param request - the audio (frames of one format), language and prompt.
   * @param options - scheduler (stamps `at`, runs retries and timeouts) and per-call headers.
   * @returns partials (when streaming), then one `transcript-final`.
   * @example
   * ```ts
   * const final = await lastValueFrom(stt.transcribe({ audio: frames }).pipe(filter((e) => e.type === 'transcript-final')));
   * ```
   */
  transcribe(request: SttRequest, options: CallOptions = {}): Observable<SttEvent> {
    return defer(() => {
      const scheduler = options.scheduler ?? realtimeScheduler;
      const language = request.language ?? this.#options.language;
      const base = {
        model: this.modelId,
        ...(language === undefined ? {} : { language }),
        ...(request.prompt === undefined ? {} : { prompt: request.prompt }),
        ...(this.#options.temperature === undefined ? {} : { temperature: this.#options.temperature }),
      };
      const requestOptions = (signal: AbortSignal) => ({
        signal,
        ...(options.headers === undefined ? {} : { headers: options.headers }),
      });
      return collectFrames(request.audio).pipe(
        concatMap((frames) => {
          const wav = framesToWav(frames);
          return withCallPolicy<SttEvent>(
            async (signal, emit) => {
              const client = this.#config.client();
              const file = await toFile(wav, 'audio.wav', { type: 'audio/wav' });
              const languageField = language === undefined ? {} : { language };
              if (!this.#stream) {
                const result = await client.audio.transcriptions.create(
                  { ...base, file, response_format: 'json' },
                  requestOptions(signal),
                );
                emit({ type: 'transcript-final', text: result.text, ...languageField, at: scheduler.now() });
                return;
              }
              const stream = await client.audio.transcriptions.create(
                { ...base, file, stream: true },
                requestOptions(signal),
              );
              let text = '';
              let finished = false;
              for await (const event of stream) {
                if (signal.aborted) return;
                if (event.type === 'transcript.text.delta') {
                  text += event.delta;
                  emit({ type: 'transcript-partial', text, at: scheduler.now() });
                } else if (event.type === 'transcript.text.done' && !finished) {
                  finished = true;
                  emit({ type: 'transcript-final', text: event.text, ...languageField, at: scheduler.now() });
                }
              }
              if (signal.aborted || finished) return;
              throw new NetworkError({
                provider: this.provider,
                message:
                  'the transcription stream ended before `transcript.text.done`; the transcript is incomplete.',
              });
            },
            this.#config.policy,
            scheduler,
          );
        }),
      );
    });
  }
}
