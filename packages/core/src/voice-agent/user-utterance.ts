import { Observable, type Subscriber } from 'rxjs';
import type { AudioFrame, SampleRate } from '../audio/audio-frame';
import { ArgentumError } from '../errors/argentum-error';
import { SampleBuffer } from './sample-buffer';

/**
 * The audio of one user utterance as a replaying stream: a subscriber gets the frames so far, then
 * live frames, then completion when the utterance closes.
 * @internal
 */
export class UserUtterance {
  readonly #sampleRate: SampleRate;
  /** The samples so far, in pooled blocks (see {@link SampleBuffer}); frames are replayed as copies. */
  readonly #audio: SampleBuffer;
  /**
   * End sample and timestamp of each frame (pairs), to replay the frames as they came. A typed array
   * keeps them outside the garbage-collected heap: an utterance lives for seconds, and a JavaScript
   * array of its frames would be copied by every minor collection and then promoted.
   */
  #frames = new Float64Array(128);
  #frameCount = 0;
  /** Live subscribers (usually one, the STT): an array, lighter than a set for a handful. */
  #subscribers: Subscriber<AudioFrame>[] = [];
  closed = false;
  #releaseWhenClosed = false;
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

  /**
   * @param sampleRate - the rate of every frame (mono).
   * @param preRoll - the audio just before the onset, starting at `preRollAt`; replayed as 20 ms frames.
   */
  constructor(speechStartedAt: number, sampleRate: SampleRate, preRoll: Int16Array, preRollAt: number) {
    this.speechStartedAt = speechStartedAt;
    this.#sampleRate = sampleRate;
    this.#audio = new SampleBuffer();
    const perFrame = sampleRate / 50;
    for (let offset = 0; offset < preRoll.length; offset += perFrame) {
      this.#append(preRoll.subarray(offset, offset + perFrame), preRollAt + (offset * 1000) / sampleRate);
    }
  }

  readonly audio: Observable<AudioFrame> = new Observable<AudioFrame>((subscriber) => {
    if (this.#audio.released) {
      subscriber.error(
        new ArgentumError(
          'audio-released',
          "the utterance's audio went back to the pool when its transcription finished; subscribe to `audio` before then.",
        ),
      );
      return undefined;
    }
    let start = 0;
    for (let index = 0; index < this.#frameCount; index++) {
      const end = this.#frames[2 * index]!;
      subscriber.next({
        samples: this.#audio.copy(start, end),
        sampleRate: this.#sampleRate,
        channels: 1,
        timestamp: this.#frames[2 * index + 1]!,
      });
      start = end;
    }
    if (this.closed) {
      subscriber.complete();
      return undefined;
    }
    this.#subscribers.push(subscriber);
    // Leaving replaces the array: a `push` going through it while a subscriber leaves is not disturbed.
    return () => {
      this.#subscribers = this.#subscribers.filter((each) => each !== subscriber);
    };
  });

  /** The audio's duration so far, ms (constant time). */
  get durationMs(): number {
    return (this.#audio.length * 1000) / this.#sampleRate;
  }

  /** Appends a mono frame at the utterance's rate and passes it to live subscribers. */
  push(frame: AudioFrame): void {
    if (this.closed) return;
    this.#append(frame.samples, frame.timestamp);
    for (const subscriber of this.#subscribers) subscriber.next(frame);
  }

  #append(samples: Int16Array, timestamp: number): void {
    this.#audio.append(samples);
    if (2 * this.#frameCount === this.#frames.length) {
      const grown = new Float64Array(this.#frames.length * 2);
      grown.set(this.#frames);
      this.#frames = grown;
    }
    this.#frames[2 * this.#frameCount] = this.#audio.length;
    this.#frames[2 * this.#frameCount + 1] = timestamp;
    this.#frameCount++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const subscribers = this.#subscribers;
    this.#subscribers = [];
    for (const subscriber of subscribers) subscriber.complete();
    if (this.#releaseWhenClosed) this.#audio.release();
  }

  /**
   * Its transcription finished: nobody will read the audio again. The samples go back to the pool
   * (at once, or when the utterance closes); a later subscriber to `audio` gets an `audio-released`
   * error. Its duration stays known.
   */
  releaseAudio(): void {
    if (this.closed) this.#audio.release();
    else this.#releaseWhenClosed = true;
  }

  get text(): string {
    const finals = this.finals.join(' ').trim();
    return finals.length > 0 ? finals : '';
  }
}
