import { Observable, type Subscriber } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';

/**
 * The audio of one user utterance as a replaying stream: a subscriber gets the frames so far, then
 * live frames, then completion when the utterance closes.
 * @internal
 */
export class UserUtterance {
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

  constructor(speechStartedAt: number, preRoll: readonly AudioFrame[]) {
    this.speechStartedAt = speechStartedAt;
    this.frames.push(...preRoll);
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

  get durationMs(): number {
    let total = 0;
    for (const frame of this.frames)
      total += (frame.samples.length * 1000) / (frame.channels * frame.sampleRate);
    return total;
  }

  push(frame: AudioFrame): void {
    if (this.closed) return;
    this.frames.push(frame);
    for (const subscriber of this.#subscribers) subscriber.next(frame);
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
