import { Observable, type Subscriber } from 'rxjs';
import type { TtsEvent, TtsMarkEvent } from '../provider/tts-model';
import type { TaskHandle } from './task-runner';

/**
 * One sentence or clip whose TTS runs ahead of playback (prebuffering): its events are kept and
 * replayed to the controller when the segment is played, then followed live.
 * @internal
 */
export class PreparedSegment {
  /** Every mark received, in arrival order (the controller numbers beats the same way). */
  readonly marks: TtsMarkEvent[] = [];
  /** When the TTS was requested, scheduler ms. */
  requestedAt = 0;
  /** When its first audio arrived, scheduler ms. */
  firstAudioAt: number | undefined;
  /** The audio's duration, once the TTS said `end`, ms. */
  durationMs: number | undefined;
  /** Whether the TTS failed or timed out before its first audio. */
  failed = false;
  /** The TTS task. */
  task: TaskHandle | undefined;
  private readonly events: TtsEvent[] = [];
  private readonly subscribers = new Set<Subscriber<TtsEvent>>();
  private completed = false;
  private error: unknown;
  private errored = false;

  constructor(
    /** `segment-N` or `clip-N`. */
    readonly id: string,
    /** The speaker. */
    readonly agentId: string,
    /** The text. */
    readonly text: string,
  ) {}

  /** Whether it can start at once (audio arrived). */
  get ready(): boolean {
    return this.firstAudioAt !== undefined;
  }

  /** The buffered events, then live ones; completes when the TTS does. */
  readonly events$ = new Observable<TtsEvent>((subscriber) => {
    for (const event of this.events) {
      if (subscriber.closed) return undefined;
      subscriber.next(event);
    }
    if (this.errored) {
      subscriber.error(this.error);
      return undefined;
    }
    if (this.completed) {
      subscriber.complete();
      return undefined;
    }
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  });

  /** Takes one TTS event. */
  push(event: TtsEvent, now: number): void {
    if (event.type === 'audio' && this.firstAudioAt === undefined) this.firstAudioAt = now;
    else if (event.type === 'mark') this.marks.push(event);
    else if (event.type === 'end') this.durationMs = event.durationMs;
    this.events.push(event);
    for (const subscriber of [...this.subscribers]) subscriber.next(event);
  }

  /** The TTS completed. */
  complete(): void {
    this.completed = true;
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
  }

  /** The TTS failed. */
  fail(error: unknown): void {
    if (this.firstAudioAt === undefined) this.failed = true;
    this.errored = true;
    this.error = error;
    for (const subscriber of [...this.subscribers]) subscriber.error(error);
    this.subscribers.clear();
  }

  /** Stops the TTS (if still running) and drops the buffer. */
  cancel(): void {
    this.task?.cancel();
    this.task = undefined;
    if (!this.completed && !this.errored) this.complete();
  }
}
