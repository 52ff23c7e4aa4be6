import {
  assertSampleRate,
  type CallOptions,
  InvalidArgumentError,
  type ProsodyHints,
  readWav,
  realtimeScheduler,
  type SampleRate,
  type TtsCapabilities,
  type TtsEvent,
  type TtsModel,
  type TtsRequest,
} from '@argentum/core';
import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { EngineParameters, SpeechEngine } from '../internal/mespeak-engine';
import { MespeakError } from '../mespeak-error';
import { engineVoiceForLanguage, resolveEngineParameters } from './engine-parameters';
import { estimateWordTimings, spokenWords } from './marks/estimate-word-timings';
import { analyseSpeechActivity } from './marks/speech-activity';
import type { MespeakVoiceSettings } from './mespeak-voices';
import { SentenceSplitter } from './text/sentence-splitter';
import { TextCleaner } from './text/text-cleaner';
import { textPieces } from './text-pieces';
import { MESPEAK_SAMPLE_RATE, UtteranceAudio } from './utterance-audio';

/**
 * Everything a {@link MespeakTtsModel} is built from; assembled by `createMespeak`.
 * @internal
 */
export interface MespeakTtsModelConfig {
  readonly voices: Readonly<Record<string, MespeakVoiceSettings>>;
  readonly voice: string;
  readonly prosody: ProsodyHints | undefined;
  readonly maxSentenceChars: number;
  readonly maxSentencePauseMs: number;
  readonly engine: SpeechEngine;
}

interface Plan {
  readonly parameters: EngineParameters;
  readonly sampleRate: SampleRate;
  readonly pieces: Observable<string>;
}

/**
 * Offline text-to-speech with the mespeak engine (eSpeak compiled to JavaScript): real speech, no
 * network, no key. Created by `createMespeak().speech(voice)`.
 *
 * `synthesize()` returns a cold Observable. Each subscription cleans the text (markup, code fences
 * and emoji removed), splits it into sentences as the text arrives, and synthesizes one sentence per
 * scheduler turn; for each sentence it emits a `sentence` mark, one `word` mark per word (estimated,
 * `aligned: false`), then that sentence's audio as 20 ms frames stamped from the utterance start
 * (0, 20, 40 … ms), resampled when the request asks for another rate. After the last sentence it
 * emits the final zero-padded frame and one `end`, then completes. Empty text (or text that is only
 * markup) gives just an `end` with `durationMs: 0`.
 *
 * Streamed text (`Iterable`, `AsyncIterable` or `Observable` of deltas) is synthesized sentence by
 * sentence as sentences complete, and produces exactly the same audio and marks as the whole string.
 * Every event's `at` is `scheduler.now()`; under a virtual clock the output is byte-for-byte
 * repeatable. Unsubscribing stops the input and cancels the sentences not yet synthesized: no
 * further engine work, no timers left. Bad requests error the stream with an
 * `InvalidArgumentError` (or an `UnsupportedSampleRateError`); an engine failure
 * with a {@link MespeakError}.
 *
 * Synthesis is synchronous CPU work, about 30 ms per sentence once warm (the first call also loads
 * the engine and its data, a few hundred ms).
 *
 * @example
 * ```ts
 * import { createMespeak } from '@argentum/mespeak';
 *
 * const tts = createMespeak().speech('bruno');
 * tts.synthesize({ text: 'Let me answer that. First, the costs.', sampleRate: 24000 }).subscribe((event) => {
 *   if (event.type === 'mark') console.log(event.kind, event.text, event.offsetMs.toFixed(0));
 *   if (event.type === 'audio') speaker.write(event.frame);
 *   if (event.type === 'end') console.log(`${event.durationMs} ms of speech`);
 * });
 * ```
 */
export class MespeakTtsModel implements TtsModel {
  /** The provider spec version this model implements. */
  readonly specificationVersion = 'v1' as const;
  /** Always `mespeak`. */
  readonly provider = 'mespeak';
  /** The engine and its version, `mespeak-2.0.2`. */
  readonly modelId = 'mespeak-2.0.2';
  /** Streams input and output per sentence; marks are estimated; no multi-context cancel. */
  readonly capabilities: TtsCapabilities = {
    streamingInput: true,
    streamingOutput: true,
    alignedMarks: false,
    multiContextCancel: false,
  };
  /** The engine's native rate, 22 050 Hz; requests may ask for any supported rate. */
  readonly sampleRate: SampleRate = MESPEAK_SAMPLE_RATE;
  /** The voice used when a request names none. */
  readonly voice: string;
  /** The names of the voices requests may use. */
  readonly voices: readonly string[];

  readonly #config: MespeakTtsModelConfig;

  /**
   * @param config - voices, defaults and the engine.
   * @internal
   */
  constructor(config: MespeakTtsModelConfig) {
    this.#config = config;
    this.voice = config.voice;
    this.voices = Object.keys(config.voices);
  }

  /**
   * Synthesizes speech; see {@link MespeakTtsModel} for the event sequence.
   *
   * @param request - the text (whole or streamed), voice, output rate, prosody (`rate` scales the
   * speed, `pitchSemitones` shifts the pitch; the engine reaches about −6 to +8.7 semitones around
   * its default; `stability` is checked to be 0–1 and otherwise ignored, eSpeak has no such control)
   * and language (a BCP 47 tag; picks the matching eSpeak voice, keeping the voice's variant and
   * pitch).
   * @param options - the scheduler that paces the work and stamps `at` (default: real time).
   * @returns a cold Observable of `mark`, `audio` and `end` events.
   * @example
   * ```ts
   * const events = await lastValueFrom(
   *   tts.synthesize({ text: llmDeltas$, voice: 'dara', prosody: { rate: 1.1 } }).pipe(toArray()),
   * );
   * ```
   */
  synthesize(request: TtsRequest, options: CallOptions = {}): Observable<TtsEvent> {
    return new Observable<TtsEvent>((subscriber) => {
      const scheduler = options.scheduler ?? realtimeScheduler;
      let plan: Plan;
      try {
        plan = this.#plan(request);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      const cleaner = new TextCleaner();
      const splitter = new SentenceSplitter(this.#config.maxSentenceChars);
      const audio = new UtteranceAudio(plan.sampleRate);
      const queue: string[] = [];
      let inputDone = false;
      let action: Subscription | undefined;

      const run = (): void => {
        action = undefined;
        try {
          const sentence = queue.shift();
          if (sentence !== undefined) {
            this.#speakSentence(sentence, plan, audio, scheduler, subscriber);
          } else if (inputDone) {
            for (const frame of audio.finish())
              subscriber.next({ type: 'audio', frame, at: scheduler.now() });
            subscriber.next({ type: 'end', durationMs: audio.emittedDurationMs, at: scheduler.now() });
            subscriber.complete();
            return;
          }
        } catch (error) {
          subscriber.error(error);
          return;
        }
        next();
      };
      const next = (): void => {
        if (action !== undefined || subscriber.closed) return;
        if (queue.length > 0 || inputDone) action = scheduler.schedule(run);
      };

      const input = plan.pieces.subscribe({
        next: (piece) => {
          queue.push(...splitter.push(cleaner.push(piece)));
          next();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          queue.push(...splitter.push(cleaner.end()), ...splitter.end());
          inputDone = true;
          next();
        },
      });
      return () => {
        input.unsubscribe();
        action?.unsubscribe();
        action = undefined;
        queue.length = 0;
      };
    });
  }

  #plan(request: TtsRequest): Plan {
    if (typeof request !== 'object' || request === null) {
      throw new InvalidArgumentError('request', 'expected an object such as { text: "Hello." }.');
    }
    const name = request.voice ?? this.voice;
    const voice = Object.hasOwn(this.#config.voices, name) ? this.#config.voices[name] : undefined;
    if (voice === undefined) {
      throw new InvalidArgumentError(
        'request.voice',
        `unknown voice ${JSON.stringify(name)}: use one of ${this.voices.join(', ')}, or register it with createMespeak({ voices }).`,
      );
    }
    const sampleRate =
      request.sampleRate === undefined ? this.sampleRate : assertSampleRate(request.sampleRate);
    let engineVoice = voice.engineVoice;
    if (request.language !== undefined) {
      const matched =
        typeof request.language === 'string'
          ? engineVoiceForLanguage(request.language, engineVoice)
          : undefined;
      if (matched === undefined) {
        throw new InvalidArgumentError(
          'request.language',
          `mespeak has no voice for ${JSON.stringify(request.language)}; leave language out or use a language it ships (see MESPEAK_ENGINE_VOICES).`,
        );
      }
      engineVoice = matched;
    }
    const prosody = { ...this.#config.prosody, ...request.prosody };
    const parameters = resolveEngineParameters(voice, prosody, engineVoice);
    return { parameters, sampleRate, pieces: textPieces(request.text) };
  }

  #speakSentence(
    sentence: string,
    plan: Plan,
    audio: UtteranceAudio,
    scheduler: SchedulerLike,
    subscriber: Subscriber<TtsEvent>,
  ): void {
    const wav = readWav(this.#config.engine.synthesize(sentence, plan.parameters));
    if (wav.format.sampleRate !== MESPEAK_SAMPLE_RATE || wav.format.channels !== 1) {
      throw new MespeakError(
        `the engine produced ${wav.format.sampleRate} Hz, ${wav.format.channels}-channel audio instead of 22050 Hz mono; reinstall mespeak 2.0.2.`,
      );
    }
    const samples = wav.samples;
    const activity = analyseSpeechActivity(samples, MESPEAK_SAMPLE_RATE);
    const keptMs = Math.min(activity.durationMs, activity.voicedEndMs + this.#config.maxSentencePauseMs);
    const kept = samples.subarray(0, Math.ceil((keptMs * MESPEAK_SAMPLE_RATE) / 1000));
    const timings = estimateWordTimings(spokenWords(sentence), activity, plan.parameters.speed);
    const offsetMs = audio.sourceDurationMs;
    const at = scheduler.now();
    subscriber.next({
      type: 'mark',
      kind: 'sentence',
      text: sentence,
      offsetMs: round(offsetMs + activity.voicedStartMs),
      durationMs: round(activity.voicedEndMs - activity.voicedStartMs),
      aligned: false,
      at,
    });
    for (const word of timings) {
      if (subscriber.closed) return;
      subscriber.next({
        type: 'mark',
        kind: 'word',
        text: word.text,
        offsetMs: round(offsetMs + word.startMs),
        durationMs: round(word.durationMs),
        aligned: false,
        at,
      });
    }
    for (const frame of audio.push(kept)) {
      if (subscriber.closed) return;
      subscriber.next({ type: 'audio', frame, at: scheduler.now() });
    }
  }
}

/** Rounds to 0.01 ms, keeping marks readable and still monotone. */
function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
