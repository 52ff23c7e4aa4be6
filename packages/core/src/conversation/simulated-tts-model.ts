import { from, isObservable, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { assertSampleRate, type SampleRate } from '../audio/audio-frame';
import { decibelsToGain } from '../audio/gain-envelope';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import type { BeatEstimate } from '../controller/estimate-beats';
import { estimateBeats } from '../controller/estimate-beats';
import { resolveVoiceProfile, type VoiceProfile } from '../controller/voice-profile';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { createRandom, type RandomSource } from '../internal/random';
import { assertNumber } from '../internal/validate';
import type { CallOptions } from '../provider/specification';
import type { TextInput, TtsCapabilities, TtsEvent, TtsModel, TtsRequest } from '../provider/tts-model';

/**
 * Options of {@link SimulatedTtsModel}.
 *
 * @example
 * ```ts
 * const options: SimulatedTtsModelOptions = {
 *   sampleRate: 16000,
 *   seed: 7,
 *   firstChunkLatencyMs: { medianMs: 180, spread: 0.35 },
 *   voices: { ada: { wordsPerSecond: 2.8, toneHz: 210 } },
 * };
 * ```
 */
export interface SimulatedTtsModelOptions {
  /** The rate of the audio it emits unless a request asks for another; defaults to 16000. */
  sampleRate?: number;
  /** Seed of the latency draws; defaults to 0. */
  seed?: number;
  /**
   * Time from subscription to the first chunk, ms: a constant, a log-normal draw (`medianMs`
   * and `spread` = σ of the logarithm; seeded), or a function of the request and its number
   * (from 0, in subscription order). Defaults to `{ medianMs: 150, spread: 0.3 }`.
   */
  firstChunkLatencyMs?:
    | number
    | {
        /** The median, ms. */
        medianMs: number;
        /** σ of the logarithm (0 = constant). */
        spread: number;
      }
    | ((request: TtsRequest, requestIndex: number) => number);
  /** Voice profile overrides of every voice (see {@link VoiceProfile}). */
  voiceProfile?: Partial<VoiceProfile>;
  /**
   * Per-voice overrides by voice name. A voice not listed gets the base profile with a tone
   * derived from its name (so every agent sounds different) .
   */
  voices?: Readonly<Record<string, Partial<VoiceProfile>>>;
}

const CAPABILITIES: TtsCapabilities = Object.freeze({
  streamingInput: false,
  streamingOutput: true,
  alignedMarks: true,
  multiContextCancel: true,
});

/**
 * An offline {@link TtsModel} for simulations and tests: "speaks" text as a quiet tone per word
 * (the same voice as the {@link SimAudioController}), with word and sentence marks that are
 * exact for the audio it renders, after a seeded first-chunk latency. Under a virtual clock a
 * whole conversation synthesizes in a fraction of real time and replays identically.
 *
 * A request's text may be a string or a stream of pieces (they are joined first). Prosody `rate`
 * scales the voice's words per second. The stream emits, after the latency, every mark, the audio
 * in 20 ms chunks and `end`, all at once; unsubscribing before then cancels it.
 *
 * @example
 * ```ts
 * import { SimulatedTtsModel, createVirtualClock } from '@argentum/core';
 *
 * const clock = createVirtualClock();
 * const tts = new SimulatedTtsModel({ seed: 1, firstChunkLatencyMs: 120 });
 * tts.synthesize({ text: 'Hello there.', voice: 'ada' }, { scheduler: clock.scheduler })
 *   .subscribe((event) => console.log(event.type, event.at)); // mark … audio … end, at 120
 * clock.flush();
 * ```
 */
export class SimulatedTtsModel implements TtsModel {
  /** The spec version. */
  readonly specificationVersion = 'v1' as const;
  /** Always `argentum`. */
  readonly provider = 'argentum';
  /** Always `simulated-tts`. */
  readonly modelId = 'simulated-tts';
  /** Marks are exact; output streams; cancel per request. */
  readonly capabilities: TtsCapabilities = CAPABILITIES;
  /** The default output rate. */
  readonly sampleRate: SampleRate;
  private readonly latency: (request: TtsRequest, index: number) => number;
  private readonly base: VoiceProfile;
  private readonly voices = new Map<string, VoiceProfile>();
  private readonly overrides: Readonly<Record<string, Partial<VoiceProfile>>>;
  private readonly baseOverrides: Partial<VoiceProfile>;
  private requestCount = 0;

  /**
   * @param options - rate, seed, latency and voices.
   * @throws {@link InvalidArgumentError} for an option out of range.
   * @throws {@link UnsupportedSampleRateError} for an unsupported rate.
   */
  constructor(options: SimulatedTtsModelOptions = {}) {
    this.sampleRate = assertSampleRate(options.sampleRate ?? 16000);
    this.baseOverrides = options.voiceProfile ?? {};
    this.base = resolveVoiceProfile(this.baseOverrides, 'voiceProfile');
    this.overrides = options.voices ?? {};
    for (const [name, profile] of Object.entries(this.overrides)) {
      this.voices.set(name, resolveVoiceProfile({ ...this.baseOverrides, ...profile }, `voices.${name}`));
    }
    this.latency = latencyFunction(
      options.firstChunkLatencyMs,
      createRandom(assertNumber('seed', options.seed ?? 0)),
    );
  }

  /**
   * The profile a voice speaks with: its override, else the base profile with a tone derived
   * from the name (120–260 Hz).
   *
   * @param voice - the voice name (`undefined`: the base profile).
   * @returns the complete profile.
   * @example
   * ```ts
   * tts.voiceProfile('ada').toneHz; // the same on every run
   * ```
   */
  voiceProfile(voice: string | undefined): VoiceProfile {
    if (voice === undefined) return this.base;
    let profile = this.voices.get(voice);
    if (profile === undefined) {
      profile = resolveVoiceProfile({ ...this.baseOverrides, toneHz: toneOf(voice) }, `voices.${voice}`);
      this.voices.set(voice, profile);
    }
    return profile;
  }

  /**
   * Synthesizes the text as simulated speech.
   *
   * @param request - text (whole or streamed), voice, rate and prosody.
   * @param options - the scheduler that times the latency and stamps events.
   * @returns the cold event stream: marks, audio chunks, `end`.
   * @example
   * ```ts
   * tts.synthesize({ text: 'One more point.', voice: 'bruno', sampleRate: 24000 }).subscribe(handle);
   * ```
   */
  synthesize(request: TtsRequest, options: CallOptions = {}): Observable<TtsEvent> {
    const scheduler = options.scheduler ?? realtimeScheduler;
    const sampleRate =
      request.sampleRate === undefined ? this.sampleRate : assertSampleRate(request.sampleRate);
    return new Observable<TtsEvent>((subscriber) => {
      const index = this.requestCount++;
      const startedAt = scheduler.now();
      const latencyMs = assertNumber('firstChunkLatencyMs', this.latency(request, index), { min: 0 });
      let timer: Subscription | undefined;
      const textSubscription = collectText(request.text).subscribe({
        next: (text) => {
          const profile = this.profileFor(request);
          const delay = Math.max(0, startedAt + latencyMs - scheduler.now());
          timer = scheduler.schedule(() => {
            emitSpeech(subscriber, text, profile, sampleRate, scheduler);
          }, delay);
        },
        error: (error: unknown) => subscriber.error(error),
      });
      return () => {
        textSubscription.unsubscribe();
        timer?.unsubscribe();
      };
    });
  }

  private profileFor(request: TtsRequest): VoiceProfile {
    const profile = this.voiceProfile(request.voice);
    const rate = request.prosody?.rate;
    if (rate === undefined || rate === 1) return profile;
    assertNumber('prosody.rate', rate, { above: 0 });
    const wordsPerSecond = Math.min(20, profile.wordsPerSecond * rate);
    const wordBreakMs = Math.min(profile.wordBreakMs, (1000 / wordsPerSecond) * 0.5);
    return { ...profile, wordsPerSecond, wordBreakMs };
  }
}

function emitSpeech(
  subscriber: { next(event: TtsEvent): void; complete(): void; readonly closed: boolean },
  text: string,
  profile: VoiceProfile,
  sampleRate: SampleRate,
  scheduler: SchedulerLike,
): void {
  const at = scheduler.now();
  const estimate = estimateBeats(text, profile);
  for (const beat of estimate.beats) {
    subscriber.next({
      type: 'mark',
      kind: beat.kind,
      text: beat.text,
      offsetMs: beat.offsetMs,
      durationMs: beat.durationMs,
      aligned: true,
      at,
    });
  }
  const samples = renderTones(estimate, profile, sampleRate);
  const chunk = Math.round((20 * sampleRate) / 1000);
  for (let start = 0; start < samples.length && !subscriber.closed; start += chunk) {
    subscriber.next({
      type: 'audio',
      frame: {
        samples: samples.subarray(start, Math.min(samples.length, start + chunk)),
        sampleRate,
        channels: 1,
        timestamp: (start * 1000) / sampleRate,
      },
      at,
    });
  }
  if (subscriber.closed) return;
  subscriber.next({ type: 'end', durationMs: (samples.length * 1000) / sampleRate, at });
  subscriber.complete();
}

/** Rise and fall of each simulated word, ms (as the simulated controller voice). */
const WORD_EDGE_MS = 5;

/**
 * Renders a beat estimate as mono PCM16: a sine at the profile's tone while each word lasts, with
 * raised-cosine edges, silence in the breaks — the simulated controller's voice, computed with an
 * oscillator recurrence (one multiply-add per sample) so that hours of speech render in well under
 * a second.
 */
function renderTones(estimate: BeatEstimate, profile: VoiceProfile, sampleRate: SampleRate): Int16Array {
  const total = Math.round((estimate.durationMs * sampleRate) / 1000);
  const samples = new Int16Array(total);
  const amplitude = 32767 * decibelsToGain(profile.toneGainDb);
  if (!(amplitude > 0)) return samples;
  const step = (2 * Math.PI * profile.toneHz) / sampleRate;
  const coefficient = 2 * Math.cos(step);
  const edge = Math.max(1, Math.round((WORD_EDGE_MS * sampleRate) / 1000));
  const envelope = new Float64Array(edge);
  for (let i = 0; i < edge; i++) envelope[i] = 0.5 - 0.5 * Math.cos((Math.PI * i) / edge);
  for (const beat of estimate.beats) {
    if (beat.kind !== 'word') continue;
    const start = Math.round((beat.offsetMs * sampleRate) / 1000);
    const end = Math.min(total, Math.round(((beat.offsetMs + beat.durationMs) * sampleRate) / 1000));
    const length = end - start;
    let previous = -Math.sin(step);
    let current = 0;
    for (let i = 0; i < length; i++) {
      const distance = i < length - 1 - i ? i : length - 1 - i;
      const gain = distance >= edge ? amplitude : amplitude * (envelope[distance] as number);
      samples[start + i] = Math.round(gain * current);
      const next = coefficient * current - previous;
      previous = current;
      current = next;
    }
  }
  return samples;
}

/** Joins a request's text (a string or a stream of pieces) into one string. */
function collectText(text: TextInput): Observable<string> {
  if (typeof text === 'string') {
    return new Observable<string>((subscriber) => {
      subscriber.next(text);
      subscriber.complete();
    });
  }
  const source = isObservable(text)
    ? (text as Observable<string>)
    : from(text as Iterable<string> | AsyncIterable<string>);
  return new Observable<string>((subscriber) => {
    let joined = '';
    return source.subscribe({
      next: (piece) => {
        joined += piece;
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        subscriber.next(joined);
        subscriber.complete();
      },
    });
  });
}

function latencyFunction(
  option: SimulatedTtsModelOptions['firstChunkLatencyMs'],
  random: RandomSource,
): (request: TtsRequest, index: number) => number {
  if (typeof option === 'function') return option;
  if (typeof option === 'number') {
    assertNumber('firstChunkLatencyMs', option, { min: 0 });
    return () => option;
  }
  const { medianMs, spread } = option ?? { medianMs: 150, spread: 0.3 };
  assertNumber('firstChunkLatencyMs.medianMs', medianMs, { min: 0 });
  assertNumber('firstChunkLatencyMs.spread', spread, { min: 0 });
  if (typeof option === 'object' && option !== null && !('medianMs' in option)) {
    throw new InvalidArgumentError(
      'firstChunkLatencyMs',
      'expected a number, { medianMs, spread } or a function.',
    );
  }
  return () => medianMs * Math.exp(spread * normal(random));
}

/** A standard normal draw (Box–Muller). @internal */
export function normal(random: RandomSource): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A stable tone for a voice name, 120–260 Hz (FNV-1a hash). */
function toneOf(voice: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < voice.length; i++) {
    hash ^= voice.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return 120 + ((hash >>> 0) % 141);
}
