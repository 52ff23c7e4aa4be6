import type { Observer, SchedulerLike, Subscription } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import { stereoToMono } from '../audio/pcm16';
import { StreamingResampler } from '../audio/resampler';
import { SpeechDetector, type SpeechDetectorOptions } from '../audio/vad/speech-detector';
import type { VadEvent } from '../audio/vad/vad-event';
import { removeItem } from '../internal/remove-item';
import type { SttEvent, SttModel } from '../provider/stt-model';
import type { VadModel } from '../provider/vad-model';
import { SampleRing } from './sample-buffer';
import { UserUtterance } from './user-utterance';

/** What {@link UserInput} reports to its session. @internal */
export interface UserInputHandlers {
  /** The VAD heard speech start at `onsetAt`; return `false` to ignore this speech entirely. */
  speechStart(onsetAt: number): boolean;
  /** The speech that began the current utterance ended at `endAt` (the utterance is closed). */
  speechEnd(endAt: number): void;
  /** The voice stopped or came back (gaps between words), at `at` in audio time. */
  voicedChange(voiced: boolean, at: number): void;
  /** The latest VAD score (throttled). */
  vadScore(score: number): void;
  /** A partial transcript of the current utterance. */
  partial(text: string): void;
  /** The utterance's transcription finished (its finals are in `utterance.text`). */
  transcribed(utterance: UserUtterance): void;
  /** The STT failed (the utterance is then reported transcribed with no text). */
  sttError(error: unknown): void;
}

/** Settings of {@link UserInput}. @internal */
export interface UserInputSettings {
  vad: VadModel;
  detector: SpeechDetectorOptions;
  maxUtteranceMs: number;
  preRollMs: number;
  vadScoreIntervalMs: number;
  voicedThreshold: number;
  stt: SttModel;
  language: string | undefined;
  scheduler: SchedulerLike;
  /** Headers of every STT call (the correlation id). */
  headers: Record<string, string>;
}

/**
 * The user's side of a voice session: frames → mono at the VAD's rate → speech detector →
 * utterances (with pre-roll, cut at the maximum length) → one STT call per utterance, fed live.
 * @internal
 */
export class UserInput {
  readonly #settings: UserInputSettings;
  readonly #handlers: UserInputHandlers;
  readonly #detector: SpeechDetector;
  /** The STT calls running (a list, not a `Set`: see `removeItem`). */
  readonly #subscriptions: Subscription[] = [];
  #resampler: StreamingResampler | undefined;
  /** The last `preRollMs` of audio while no utterance is open (mono, at the VAD's rate). */
  readonly #preRoll: SampleRing;
  /** Audio time at which the pre-roll's newest sample ends. */
  #preRollEndAt = 0;
  #utterance: UserUtterance | undefined;
  #lastScoreAt = Number.NEGATIVE_INFINITY;
  #voiced = false;

  constructor(settings: UserInputSettings, handlers: UserInputHandlers) {
    this.#settings = settings;
    this.#handlers = handlers;
    this.#detector = new SpeechDetector(settings.vad, settings.detector);
    this.#preRoll = new SampleRing((settings.preRollMs * settings.vad.sampleRate) / 1000);
  }

  /** Whether the detector is inside a speech segment (its trailing silence included). */
  get speaking(): boolean {
    return this.#detector.speaking;
  }

  /** The open utterance, if any. */
  get utterance(): UserUtterance | undefined {
    return this.#utterance;
  }

  push(frame: AudioFrame): void {
    const working = this.#toWorkingFormat(frame);
    if (working.samples.length === 0) return;
    const events = this.#detector.process(working);
    const settings = this.#settings;
    const now = settings.scheduler.now();
    if (settings.vadScoreIntervalMs > 0 && now - this.#lastScoreAt >= settings.vadScoreIntervalMs) {
      this.#lastScoreAt = now;
      this.#handlers.vadScore(this.#detector.lastScore);
    }
    const utterance = this.#utterance;
    const frameMs = (working.samples.length * 1000) / working.sampleRate;
    if (utterance !== undefined && !utterance.closed) {
      utterance.push(working);
      if (utterance.durationMs >= settings.maxUtteranceMs) this.#closeUtterance(utterance, working.timestamp);
    } else {
      this.#preRoll.push(working.samples);
      this.#preRollEndAt = working.timestamp + frameMs;
    }
    for (const event of events) this.#onVad(event);
    const voiced = this.#detector.lastScore >= settings.voicedThreshold;
    if (voiced !== this.#voiced) {
      this.#voiced = voiced;
      this.#handlers.voicedChange(voiced, voiced ? working.timestamp : working.timestamp + frameMs);
    }
  }

  close(): void {
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
    this.#utterance?.close();
    this.#utterance = undefined;
  }

  /** Mono at the VAD model's rate (the rate the STT gets too); a rate change starts a new resampler. */
  #toWorkingFormat(frame: AudioFrame): AudioFrame {
    const mono = frame.channels === 2 ? stereoToMono(frame) : frame;
    const target = this.#settings.vad.sampleRate;
    if (mono.sampleRate === target) return mono;
    if (this.#resampler === undefined || this.#resampler.inputRate !== mono.sampleRate) {
      this.#resampler = new StreamingResampler({
        inputRate: mono.sampleRate,
        outputRate: target,
        quality: 'fast',
      });
    }
    return {
      samples: this.#resampler.process(mono.samples),
      sampleRate: target,
      channels: 1,
      timestamp: mono.timestamp,
    };
  }

  #onVad(event: VadEvent): void {
    if (event.type === 'speech-start') {
      if (!this.#handlers.speechStart(event.at)) return;
      const rate = this.#settings.vad.sampleRate;
      const preRollAt = this.#preRollEndAt - (this.#preRoll.length * 1000) / rate;
      const utterance = new UserUtterance(event.at, rate, this.#preRoll.toArray(), preRollAt);
      this.#preRoll.clear();
      this.#utterance = utterance;
      this.#transcribe(utterance);
      return;
    }
    const utterance = this.#utterance;
    if (utterance === undefined) return;
    this.#closeUtterance(utterance, event.at);
    this.#handlers.speechEnd(event.at);
  }

  #closeUtterance(utterance: UserUtterance, endedAt: number): void {
    if (utterance.closed) return;
    utterance.speechEndedAt = endedAt;
    utterance.confirmedEndAt = this.#settings.scheduler.now();
    utterance.close();
    if (this.#utterance === utterance) this.#utterance = undefined;
  }

  #transcribe(utterance: UserUtterance): void {
    const { headers, language, scheduler, stt } = this.#settings;
    utterance.transcribeStartedAt = scheduler.now();
    const transcription = new Transcription(utterance, scheduler, this.#handlers, this.#subscriptions);
    let subscription: Subscription;
    try {
      subscription = stt
        .transcribe(
          { audio: utterance.audio, ...(language === undefined ? {} : { language }) },
          { scheduler, headers },
        )
        .subscribe(transcription);
    } catch (error) {
      transcription.error(error);
      return;
    }
    transcription.started(subscription);
  }
}

/**
 * One utterance's transcription: its STT events go to the utterance and the session; at the end
 * (or a failure) the utterance's audio goes back to the pool and the session hears `transcribed`.
 * One object per utterance rather than an observer of closures: it lives the utterance's seconds.
 */
class Transcription implements Observer<SttEvent> {
  #finished = false;
  #subscription: Subscription | undefined;

  constructor(
    private readonly utterance: UserUtterance,
    private readonly scheduler: SchedulerLike,
    private readonly handlers: UserInputHandlers,
    private readonly running: Subscription[],
  ) {}

  /** The STT call is running (unless it already finished while subscribing). */
  started(subscription: Subscription): void {
    if (this.#finished) return;
    this.#subscription = subscription;
    this.running.push(subscription);
  }

  next(event: SttEvent): void {
    const utterance = this.utterance;
    utterance.firstTranscriptAt ??= this.scheduler.now();
    if (event.type === 'transcript-final') {
      utterance.finals.push(event.text);
      return;
    }
    utterance.latestPartial = event.text;
    this.handlers.partial(event.text);
  }

  error(error: unknown): void {
    this.handlers.sttError(error);
    this.utterance.finals = [];
    this.complete();
  }

  complete(): void {
    if (this.#finished) return;
    this.#finished = true;
    const utterance = this.utterance;
    utterance.transcribedAt = this.scheduler.now();
    utterance.releaseAudio();
    if (this.#subscription !== undefined) removeItem(this.running, this.#subscription);
    this.handlers.transcribed(utterance);
  }
}
