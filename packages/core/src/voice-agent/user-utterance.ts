import { Observable, type Subscriber } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';

/**
 * The audio of one user utterance as a replaying stream: a subscriber gets the frames so far, then
 * live frames, then completion when the utterance closes.
 * @internal
 */
export class UserUtterance {
  /** The frames so far (append through {@link UserUtterance.push} only: it keeps the duration). */
  readonly frames: AudioFrame[] = [];
  readonly #subscribers = new Set<Subscriber<AudioFrame>>();
  closed = false;
  readonly speechStartedAt: number;
  speechEndedAt: number | undefined;
  confirmedEndAt: number | undefined;
  finals: string[] = [];
  latestPartial = '';
  /** When its STT call was made, scheduler ms. */
  transcribeStartedAt: number | undefined;
  /** When the STT call's first event (partial or final) arrived, scheduler ms. */
  firstTranscriptAt: number | undefined;
  /** When the STT call finished (or failed), scheduler ms. */
  transcribedAt: number | undefined;
  /** The frames' total duration, kept as they arrive (read once per frame while listening). */
  #durationMs = 0;

  constructor(speechStartedAt: number, preRoll: readonly AudioFrame[]) {
    this.speechStartedAt = speechStartedAt;
    for (const frame of preRoll) this.#append(frame);
  }

  readonly audio: Observable<AudioFrame> = new Observable<AudioFrame>((subscriber) => {
    for (const frame of this.frames) subscriber.next(frame);
    if (this.closed) {
      subscriber.complete();
      return undefined;
    }
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  });

  /** The audio's duration so far, ms (constant time). */
  get durationMs(): number {
    return this.#durationMs;
  }

  push(frame: AudioFrame): void {
    if (this.closed) return;
    this.#append(frame);
    for (const subscriber of this.#subscribers) subscriber.next(frame);
  }

  #append(frame: AudioFrame): void {
    this.frames.push(frame);
    this.#durationMs += (frame.samples.length * 1000) / (frame.channels * frame.sampleRate);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const subscriber of [...this.#subscribers]) subscriber.complete();
    this.#subscribers.clear();
  }

  get text(): string {
    const finals = this.finals.join(' ').trim();
    return finals.length > 0 ? finals : '';
  }
}
