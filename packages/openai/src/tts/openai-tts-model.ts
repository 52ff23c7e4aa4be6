import {
  type AudioFrame,
  AudioFramer,
  assertSampleRate,
  type CallOptions,
  InvalidArgumentError,
  ProtocolError,
  pcm16BytesToSamples,
  realtimeScheduler,
  type SampleRate,
  SPECIFICATION_VERSION,
  type SpecificationVersion,
  StreamingResampler,
  samplesToPcm16Bytes,
  type TtsCapabilities,
  type TtsEvent,
  type TtsModel,
  type TtsRequest,
} from '@argentum/core';
import { concatMap, defer, type Observable } from 'rxjs';
import { withCallPolicy } from '../internal/call-policy';
import { collectText } from '../internal/collect-text';
import { assertOptionalNumber } from '../internal/validate';
import type { OpenAIModelConfig } from '../openai-provider';
import { estimateMarks } from './estimate-marks';
import type { OpenAITtsModelId, OpenAITtsOptions } from './openai-tts-options';

/** The rate of OpenAI's `pcm` response format. */
const OPENAI_PCM_SAMPLE_RATE: SampleRate = 24_000;

/**
 * Turns PCM16 byte chunks at 24 kHz into frames at the requested rate: straight into the framer,
 * or through the streaming resampler (carrying an odd trailing byte between chunks) first. A
 * large chunk is resampled one frame's worth at a time, and its frames are yielded as they are
 * completed, so the first frame of a chunk never waits for the whole chunk to be converted.
 */
class PcmPipeline {
  readonly #framer: AudioFramer;
  readonly #resampler: StreamingResampler | undefined;
  /** Native bytes resampled per step: one output frame's worth of input. */
  readonly #sliceBytes: number;
  #carry: number | undefined;
  /** Bytes of native (24 kHz) audio received. */
  nativeBytes = 0;

  constructor(sampleRate: SampleRate, frameDurationMs: number) {
    this.#framer = new AudioFramer({ sampleRate, channels: 1, frameDurationMs });
    this.#resampler =
      sampleRate === OPENAI_PCM_SAMPLE_RATE
        ? undefined
        : new StreamingResampler({ inputRate: OPENAI_PCM_SAMPLE_RATE, outputRate: sampleRate, channels: 1 });
    this.#sliceBytes = 2 * Math.max(1, Math.round((OPENAI_PCM_SAMPLE_RATE * frameDurationMs) / 1000));
  }

  *push(chunk: Uint8Array): Generator<AudioFrame> {
    this.nativeBytes += chunk.byteLength;
    const resampler = this.#resampler;
    if (resampler === undefined) {
      yield* this.#framer.push(chunk);
      return;
    }
    let bytes = chunk;
    if (this.#carry !== undefined) {
      bytes = new Uint8Array(chunk.byteLength + 1);
      bytes[0] = this.#carry;
      bytes.set(chunk, 1);
      this.#carry = undefined;
    }
    if (bytes.byteLength % 2 === 1) {
      this.#carry = bytes[bytes.byteLength - 1];
      bytes = bytes.subarray(0, bytes.byteLength - 1);
    }
    for (let start = 0; start < bytes.byteLength; start += this.#sliceBytes) {
      const slice = bytes.subarray(start, start + this.#sliceBytes);
      yield* this.#framer.push(samplesToPcm16Bytes(resampler.process(pcm16BytesToSamples(slice))));
    }
  }

  flush(): AudioFrame[] {
    const frames =
      this.#resampler === undefined
        ? []
        : [...this.#framer.push(samplesToPcm16Bytes(this.#resampler.flush()))];
    const last = this.#framer.flush();
    if (last !== undefined) frames.push(last);
    return frames;
  }
}

/**
 * A speech model over OpenAI's `audio.speech` endpoint with `response_format: 'pcm'` (raw 24 kHz
 * PCM16 mono). Create it with `createOpenAI().speech(id, options)`.
 *
 * Each subscription to {@link OpenAITtsModel.synthesize} waits for the whole text (the endpoint
 * takes a complete input; streamed text is joined first), makes one request, and emits `audio`
 * events as the response body arrives — framed into exact 20 ms frames (timestamps from 0 ms)
 * and resampled when the request asks for another `sampleRate` — never buffering the whole
 * response. The API gives no timestamps, so `mark` events (one per sentence, then one per word)
 * are **estimated**: offsets proportional to character positions over the measured audio
 * duration, `aligned: false`, emitted when the audio is complete (just before `end`). Then `end`
 * with the audio's duration, and completion. Unsubscribing aborts the request.
 *
 * @example
 * ```ts
 * import { createOpenAI } from '@argentum/openai';
 *
 * const tts = createOpenAI().speech('gpt-4o-mini-tts', { voice: 'coral', instructions: 'Warm and calm.' });
 * tts.synthesize({ text: 'Hello there. How are you?', sampleRate: 16000 }).subscribe((event) => {
 *   if (event.type === 'audio') speaker.write(event.frame);
 *   if (event.type === 'mark') console.log(event.kind, event.text, event.offsetMs);
 * });
 * ```
 */
export class OpenAITtsModel implements TtsModel {
  /** The spec version implemented (`v1`). */
  readonly specificationVersion: SpecificationVersion = SPECIFICATION_VERSION;
  /** `openai`. */
  readonly provider: string;
  /** The OpenAI model id. */
  readonly modelId: string;
  /** Whole-text input, streamed output, estimated (not aligned) marks, no multi-context. */
  readonly capabilities: TtsCapabilities = {
    streamingInput: false,
    streamingOutput: true,
    alignedMarks: false,
    multiContextCancel: false,
  };
  /** 24 000 Hz, the rate of OpenAI's PCM output. */
  readonly sampleRate: SampleRate = OPENAI_PCM_SAMPLE_RATE;

  readonly #options: OpenAITtsOptions;
  readonly #config: OpenAIModelConfig;
  readonly #frameDurationMs: number;

  /**
   * Use `createOpenAI().speech(id, options)` rather than this constructor.
   * @param modelId - the OpenAI speech model id.
   * @param options - voice, speed, instructions, frame duration.
   * @param config - provider internals.
   * @internal
   */
  constructor(modelId: OpenAITtsModelId, options: OpenAITtsOptions, config: OpenAIModelConfig) {
    assertOptionalNumber('speed', options.speed, { min: 0.25, max: 4 });
    this.#frameDurationMs =
      assertOptionalNumber('frameDurationMs', options.frameDurationMs, { min: 1 }) ?? 20;
    this.modelId = modelId;
    this.provider = config.policy.provider;
    this.#options = options;
    this.#config = config;
  }

  /**
   * Synthesizes speech (cold; one request per subscription).
   * @param request - text (whole or streamed; joined before the request), voice, output rate and
   * `prosody.rate` (mapped to `speed`, 0.25..4).
   * @param options - scheduler (stamps `at`, runs retries and timeouts) and per-call headers.
   * @returns `audio` events as the audio arrives, estimated `mark`s, then one `end`.
   * @example
   * ```ts
   * const events = await lastValueFrom(tts.synthesize({ text: 'Hi!', voice: 'nova' }).pipe(toArray()));
   * ```
   */
  synthesize(request: TtsRequest, options: CallOptions = {}): Observable<TtsEvent> {
    return defer(() => {
      const scheduler = options.scheduler ?? realtimeScheduler;
      const sampleRate = assertSampleRate(request.sampleRate ?? OPENAI_PCM_SAMPLE_RATE);
      const speed = assertOptionalNumber('prosody.rate', request.prosody?.rate ?? this.#options.speed, {
        min: 0.25,
        max: 4,
      });
      const voice = request.voice ?? this.#options.voice ?? 'alloy';
      const instructions = this.#options.instructions;
      return collectText(request.text).pipe(
        concatMap((text) => {
          if (text.trim() === '') {
            throw new InvalidArgumentError('text', 'expected some text to speak, got an empty string.');
          }
          return withCallPolicy<TtsEvent>(
            async (signal, emit) => {
              const client = this.#config.client();
              const response = await client.audio.speech.create(
                {
                  model: this.modelId,
                  voice,
                  input: text,
                  response_format: 'pcm',
                  ...(speed === undefined ? {} : { speed }),
                  ...(instructions === undefined ? {} : { instructions }),
                },
                { signal, ...(options.headers === undefined ? {} : { headers: options.headers }) },
              );
              if (response.body === null) {
                throw new ProtocolError({
                  provider: this.provider,
                  message: 'the speech response has no body.',
                });
              }
              const pipeline = new PcmPipeline(sampleRate, this.#frameDurationMs);
              const reader = response.body.getReader();
              for (;;) {
                const { value, done } = await reader.read();
                if (done || signal.aborted) break;
                const at = scheduler.now();
                for (const frame of pipeline.push(value)) emit({ type: 'audio', frame, at });
              }
              if (signal.aborted) return;
              if (pipeline.nativeBytes < 2) {
                throw new ProtocolError({
                  provider: this.provider,
                  message: 'the speech response held no audio.',
                });
              }
              let at = scheduler.now();
              for (const frame of pipeline.flush()) emit({ type: 'audio', frame, at });
              const durationMs = (Math.floor(pipeline.nativeBytes / 2) / OPENAI_PCM_SAMPLE_RATE) * 1000;
              at = scheduler.now();
              for (const mark of estimateMarks(text, durationMs))
                emit({ type: 'mark', ...mark, aligned: false, at });
              emit({ type: 'end', durationMs, at });
            },
            this.#config.policy,
            scheduler,
          );
        }),
      );
    });
  }
}
