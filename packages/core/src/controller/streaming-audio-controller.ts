import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { GuardBand, type GuardBandOptions } from '../latency/guard-band';
import { LatencyProfiler } from '../latency/latency-profiler';
import type { TtsModel } from '../provider/tts-model';
import type { AudioSegment, PlaybackBeatEvent } from './audio-controller';
import { AudioControllerBase } from './audio-controller-base';
import type { AudioControllerOptions, SegmentSource } from './audio-controller-options';
import { estimateBeats } from './estimate-beats';
import { ttsSegmentSource } from './sim-audio-controller';
import { createVoiceLookup, type VoiceProfile, type VoiceProfileOptions } from './voice-profile';

/**
 * The latency-profiler stage under which a {@link StreamingAudioController} records each segment's
 * first-chunk latency (from subscribing to its TTS stream to its first `audio` event).
 *
 * @example
 * ```ts
 * controller.profiler.stageStats(TTS_FIRST_CHUNK_STAGE).p95;
 * ```
 */
export const TTS_FIRST_CHUNK_STAGE = 'tts-first-chunk';

/**
 * The guard band a {@link StreamingAudioController} uses unless told otherwise: p95 of the
 * first-chunk latency + 50 ms, never under 250 ms (the floor rules until 59 samples).
 *
 * @example
 * ```ts
 * new StreamingAudioController({ sampleRate: 24000, guardBand: { ...DEFAULT_TTS_GUARD_BAND, bufferMs: 80 } });
 * ```
 */
export const DEFAULT_TTS_GUARD_BAND: Readonly<GuardBandOptions> = Object.freeze({
  floorMs: 250,
  bufferMs: 50,
});

/**
 * Options of {@link StreamingAudioController}.
 *
 * @example
 * ```ts
 * const options: StreamingAudioControllerOptions = { sampleRate: 24000, tts, guardBand: { floorMs: 300 } };
 * ```
 */
export interface StreamingAudioControllerOptions extends AudioControllerOptions, VoiceProfileOptions {
  /**
   * The model that speaks text segments (`tts.synthesize({ text, voice, sampleRate })`, with this
   * controller's scheduler). Without it only TTS-stream segments can be played.
   */
  tts?: TtsModel;
  /**
   * Where first-chunk latencies and beat drift are recorded; defaults to a new profiler on the
   * controller's scheduler. Pass a shared one to see every stage of a pipeline together.
   */
  profiler?: LatencyProfiler;
  /** The guard band over the first-chunk latency; defaults to {@link DEFAULT_TTS_GUARD_BAND}. */
  guardBand?: GuardBandOptions;
  /** The profiler stage of first-chunk latencies; defaults to {@link TTS_FIRST_CHUNK_STAGE}. */
  firstChunkStage?: string;
}

/**
 * An {@link AudioController} driven by a TTS provider's events: audio chunks play as they arrive,
 * beats come from the provider's marks (or, for a provider that sends none, from sentence
 * boundaries estimated from the text and rescaled to the real duration), and each beat reports its
 * planned and actual time (`driftMs`; `missed` beyond ±250 ms by default).
 *
 * Every segment's first-chunk latency is recorded in {@link StreamingAudioController.profiler}
 * (stage `tts-first-chunk`) and every beat's drift with `recordDrift`; the p95 and the guard band
 * (`max(floor, p95 + buffer)`) are readable at any time. A planner that wants beats on schedule
 * starts segments `guardBandMs` after requesting them: `play({ …, startAt: now + guardBandMs })`.
 *
 * Text segments go through the `tts` model; they take its marks when it sends any
 * (`beats: 'auto'`).
 *
 * @example
 * ```ts
 * import { StreamingAudioController } from '@argentum/core';
 * import { createElevenLabs } from '@argentum/elevenlabs';
 *
 * const tts = createElevenLabs().tts();
 * const controller = new StreamingAudioController({ sampleRate: 24000, tts });
 * controller.output.subscribe((frame) => transport.send(frame));
 * const startAt = controller.scheduler.now() + controller.guardBandMs;
 * controller.play({ kind: 'text', speaker: 'agent', text: reply, startAt }).subscribe((event) => {
 *   if (event.type === 'beat' && event.missed) console.warn('late beat', event.driftMs);
 * });
 * console.log(controller.firstChunkP95Ms, controller.guardBandMs);
 * ```
 */
export class StreamingAudioController extends AudioControllerBase {
  /** The profiler that receives first-chunk latencies and beat drift. */
  readonly profiler: LatencyProfiler;
  /** The guard band over the first-chunk latency. */
  readonly guardBand: GuardBand;
  /** The profiler stage of first-chunk latencies. */
  readonly firstChunkStage: string;
  private readonly tts: TtsModel | undefined;
  private readonly voiceOf: (voice: string | undefined, speaker: string) => VoiceProfile;

  /**
   * @param options - format, clock, TTS model, profiler, guard band and the shared options.
   * @throws {@link InvalidArgumentError} for an invalid option;
   * {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format.
   */
  constructor(options: StreamingAudioControllerOptions) {
    super(options);
    this.tts = options.tts;
    this.profiler = options.profiler ?? new LatencyProfiler({ scheduler: this.scheduler });
    this.firstChunkStage = options.firstChunkStage ?? TTS_FIRST_CHUNK_STAGE;
    if (typeof this.firstChunkStage !== 'string' || this.firstChunkStage.length === 0) {
      throw new InvalidArgumentError('firstChunkStage', 'expected a non-empty stage name.');
    }
    this.guardBand = new GuardBand(
      this.profiler.estimator(this.firstChunkStage),
      options.guardBand ?? DEFAULT_TTS_GUARD_BAND,
    );
    this.voiceOf = createVoiceLookup(options);
  }

  /**
   * The estimated p95 of the first-chunk latency so far, ms (`NaN` before the first segment).
   *
   * @example
   * ```ts
   * if (controller.firstChunkP95Ms > 800) console.warn('slow TTS');
   * ```
   */
  get firstChunkP95Ms(): number {
    return this.profiler.estimator(this.firstChunkStage).quantile(0.95);
  }

  /**
   * The current guard band, ms: `max(floorMs, p95 + bufferMs)`, or the floor while fewer than 59
   * first-chunk latencies are known. Start a segment this long after requesting it to play its
   * beats on plan 95 % of the time.
   *
   * @example
   * ```ts
   * const startAt = controller.scheduler.now() + controller.guardBandMs;
   * ```
   */
  get guardBandMs(): number {
    return this.guardBand.commitGuardMs;
  }

  /**
   * Text goes through the `tts` model; a TTS stream plays as given.
   *
   * @param segment - the validated segment.
   * @returns its source.
   * @throws {@link InvalidArgumentError} for a text segment when no `tts` model was configured.
   */
  protected openSource(segment: AudioSegment): SegmentSource {
    const profile = this.voiceOf(segment.voice, segment.speaker);
    if (segment.kind === 'tts') return ttsSegmentSource(segment, profile);
    const tts = this.tts;
    if (tts === undefined) {
      throw new InvalidArgumentError(
        'segment',
        "a text segment needs a TTS model: construct the controller with { tts }, or play { kind: 'tts', events: tts.synthesize(…) }.",
      );
    }
    const events = tts.synthesize(
      { text: segment.text, voice: segment.voice, sampleRate: this.format.sampleRate },
      { scheduler: this.scheduler },
    );
    const estimate = estimateBeats(segment.text, profile);
    return {
      events,
      estimatedBeats: estimate.beats.filter((beat) => beat.kind === 'sentence'),
      estimatedDurationMs: estimate.durationMs,
      providerMarks: 'prefer',
    };
  }

  /**
   * Records the first-chunk latency in the profiler.
   *
   * @param latencyMs - ms from subscribing to the TTS stream to its first audio.
   */
  protected override onFirstAudio(latencyMs: number): void {
    this.profiler.record(this.firstChunkStage, latencyMs);
  }

  /**
   * Records the beat's planned and actual times in the profiler.
   *
   * @param beat - the beat that went out.
   */
  protected override onBeat(beat: PlaybackBeatEvent): void {
    this.profiler.recordDrift(beat.plannedAt, beat.actualAt);
  }
}
