import type { ObservableInput, SchedulerLike } from 'rxjs';
import type { SampleRate } from '../audio/audio-frame';
import type { ProsodyHints, TtsModel } from '../provider/tts-model';
import { PreparedSegment } from './prepared-segment';
import { SentenceSplitter } from './sentence-splitter';
import type { TaskFailure, TaskHandle, TaskRunner } from './task-runner';

/** What a {@link TurnSpeech} needs. @internal */
export interface TurnSpeechOptions {
  agentId: string;
  runner: TaskRunner;
  scheduler: SchedulerLike;
  tts: TtsModel;
  voice: string;
  sampleRate: SampleRate;
  prosody: ProsodyHints | undefined;
  maxSentences: number;
  firstTextTimeoutMs: number;
  textIdleTimeoutMs: number;
  firstAudioTimeoutMs: number;
  version: number;
  nextSegmentId: () => string;
  /** Something changed (a sentence, audio, the end of the text). */
  onChange: () => void;
  /** The response or a TTS call failed. */
  onFailure: (task: 'respond' | 'synthesize', failure: TaskFailure, spokenSentences: number) => void;
  /** A segment's first audio arrived: latency from its TTS request. */
  onFirstAudio: (segment: PreparedSegment, latencyMs: number) => void;
}

/**
 * One turn's speech in the making: the agent's text stream is cut into sentences, each sentence
 * is synthesized as soon as it is complete (prebuffered in a {@link PreparedSegment}), and the
 * turn knows when its text is done.
 * @internal
 */
export class TurnSpeech {
  /** The sentences' segments, in order. */
  readonly segments: PreparedSegment[] = [];
  /** When the response was requested, scheduler ms. */
  readonly requestedAt: number;
  /** Whether the text stream has ended (completed, failed or was cut at the sentence limit). */
  textDone = false;
  /** Whether the response failed or stalled (what arrived stands). */
  textFailed = false;
  private respondTask: TaskHandle | undefined;
  private readonly splitter = new SentenceSplitter();
  private cancelled = false;

  constructor(private readonly options: TurnSpeechOptions) {
    this.requestedAt = options.scheduler.now();
  }

  /** The first segment's first audio time, if any. */
  get firstAudioAt(): number | undefined {
    return this.segments[0]?.firstAudioAt;
  }

  /** The full text so far. */
  get text(): string {
    return this.segments.map((segment) => segment.text).join(' ');
  }

  /** Starts the response (in the agent's in-flight slot). */
  start(respond: () => ObservableInput<string>, priority: number): void {
    const { options } = this;
    this.respondTask = options.runner.run<string>({
      agentId: options.agentId,
      version: options.version,
      priority,
      whenBusy: 'queue',
      cancelOnContextChange: true,
      firstValueTimeoutMs: options.firstTextTimeoutMs,
      idleTimeoutMs: options.textIdleTimeoutMs,
      start: respond,
      onValue: (delta) => {
        if (typeof delta !== 'string') return;
        for (const sentence of this.splitter.push(delta)) this.addSentence(sentence);
        if (this.segments.length >= options.maxSentences) this.finishText(true);
        options.onChange();
      },
      onComplete: () => {
        for (const sentence of this.splitter.flush()) this.addSentence(sentence);
        this.finishText(false);
        options.onChange();
      },
      onFailure: (failure) => {
        for (const sentence of this.splitter.flushComplete()) this.addSentence(sentence);
        this.textFailed = true;
        this.finishText(false);
        options.onFailure('respond', failure, this.segments.length);
        options.onChange();
      },
    });
  }

  /** Keeps its tasks alive across a context change it belongs to. */
  adopt(version: number): void {
    this.respondTask?.adopt(version);
    for (const segment of this.segments) segment.task?.adopt(version);
  }

  /** Cancels the response and every TTS call. */
  cancel(): void {
    this.cancelled = true;
    this.respondTask?.cancel();
    for (const segment of this.segments) segment.cancel();
  }

  /** Cancels the segments from `index` on (and the rest of the text). */
  cancelFrom(index: number): void {
    this.respondTask?.cancel();
    this.textDone = true;
    for (let i = index; i < this.segments.length; i++) this.segments[i]?.cancel();
  }

  private finishText(cut: boolean): void {
    if (this.textDone) return;
    this.textDone = true;
    if (cut) this.respondTask?.cancel();
  }

  private addSentence(sentence: string): void {
    const { options } = this;
    if (this.cancelled || this.textDone || this.segments.length >= options.maxSentences) return;
    const segment = new PreparedSegment(options.nextSegmentId(), options.agentId, sentence);
    segment.requestedAt = options.scheduler.now();
    this.segments.push(segment);
    segment.task = options.runner.run({
      agentId: null,
      version: options.version,
      priority: 3,
      whenBusy: 'queue',
      cancelOnContextChange: true,
      firstValueTimeoutMs: options.firstAudioTimeoutMs,
      idleTimeoutMs: Number.POSITIVE_INFINITY,
      start: () =>
        options.tts.synthesize(
          { text: sentence, voice: options.voice, sampleRate: options.sampleRate, prosody: options.prosody },
          { scheduler: options.scheduler },
        ),
      onValue: (event) => {
        const now = options.scheduler.now();
        const first = event.type === 'audio' && segment.firstAudioAt === undefined;
        segment.push(event, now);
        if (first) {
          options.onFirstAudio(segment, now - segment.requestedAt);
          options.onChange();
        }
      },
      onComplete: () => {
        segment.complete();
        options.onChange();
      },
      onFailure: (failure) => {
        segment.fail(failure.kind === 'error' ? failure.error : new Error('TTS timed out'));
        options.onFailure('synthesize', failure, this.segments.indexOf(segment));
        options.onChange();
      },
    });
  }
}
