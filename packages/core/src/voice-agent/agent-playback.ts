import { SampleBuffer } from './sample-buffer';
import type { AudioAlignment } from './voice-agent-events';

/** A word with its place in the reply's audio. @internal */
export interface PlaybackWord {
  text: string;
  offsetMs: number;
  durationMs: number;
}

/** A chunk ready to send (its samples its own copy of that part of the reply's audio). @internal */
export interface PlaybackChunk {
  samples: Int16Array;
  offsetMs: number;
  durationMs: number;
  alignment?: AudioAlignment;
}

/**
 * The audio of one agent reply and where its (client-side) playback stands. Audio is released
 * `leadMs` ahead of the playback clock, so a client never holds more than that unplayed; the
 * playback position is the clock's, capped at what was sent. Pausing freezes the clock; resuming
 * re-sends from the paused position (the client dropped its buffer on `interruption`).
 * @internal
 */
export class AgentPlayback {
  readonly sampleRate: number;
  /** The reply's audio so far, in pooled blocks (see {@link SampleBuffer}); chunks are copies. */
  readonly #audio: SampleBuffer;
  readonly words: PlaybackWord[] = [];
  /** Whether the TTS finished. */
  ended = false;
  /** Scheduler time at which playback position 0 played (adjusted on resume); undefined before start. */
  #startAt: number | undefined;
  #pausedPositionSamples: number | undefined;
  /** Next sample to send. */
  #sendSamples = 0;
  /**
   * Scheduler time of the last send; NaN before the first (written at every tick: a number-only
   * field keeps its double in place, one that may hold `undefined` gets a fresh heap number).
   */
  lastSentAt = Number.NaN;
  segment = 0;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
    this.#audio = new SampleBuffer();
  }

  get started(): boolean {
    return this.#startAt !== undefined;
  }

  get paused(): boolean {
    return this.#pausedPositionSamples !== undefined;
  }

  get totalMs(): number {
    return (this.#totalSamples * 1000) / this.sampleRate;
  }

  get #totalSamples(): number {
    return this.#audio.length;
  }

  addAudio(samples: Int16Array): void {
    if (!this.#audio.released) this.#audio.append(samples);
  }

  /** The reply is over: its audio goes back to the pool (nothing more is taken); its length stays known. */
  release(): void {
    this.#audio.release();
  }

  addWord(word: PlaybackWord): void {
    this.words.push(word);
  }

  start(now: number): void {
    this.#startAt = now;
  }

  /** The playback position in samples at `now` (frozen while paused, capped at what was sent). */
  #positionSamples(now: number): number {
    if (this.#pausedPositionSamples !== undefined) return this.#pausedPositionSamples;
    if (this.#startAt === undefined) return 0;
    const clock = Math.floor(((now - this.#startAt) * this.sampleRate) / 1000);
    return Math.max(0, Math.min(clock, this.#sendSamples));
  }

  positionMs(now: number): number {
    return (this.#positionSamples(now) * 1000) / this.sampleRate;
  }

  /** Whether every sample was sent and has played by `now`. */
  finished(now: number): boolean {
    return this.ended && !this.paused && this.started && this.#positionSamples(now) >= this.#totalSamples;
  }

  /** Scheduler time at which the last sample will have played (valid when started and not paused). */
  endTime(): number {
    return (this.#startAt ?? 0) + this.totalMs;
  }

  /** Takes the audio due by `now + leadMs` as one chunk, or undefined. */
  take(now: number, leadMs: number): PlaybackChunk | undefined {
    if (this.#startAt === undefined || this.paused || this.#audio.released) return undefined;
    const dueSamples = Math.min(
      this.#totalSamples,
      Math.floor(((now + leadMs - this.#startAt) * this.sampleRate) / 1000),
    );
    if (dueSamples <= this.#sendSamples) return undefined;
    const from = this.#sendSamples;
    const samples = this.#audio.copy(from, dueSamples);
    this.#sendSamples = dueSamples;
    this.lastSentAt = now;
    const offsetMs = (from * 1000) / this.sampleRate;
    const durationMs = (samples.length * 1000) / this.sampleRate;
    const alignment = this.#alignment(offsetMs, offsetMs + durationMs);
    return alignment === undefined
      ? { samples, offsetMs, durationMs }
      : { samples, offsetMs, durationMs, alignment };
  }

  pause(now: number): number {
    if (this.#pausedPositionSamples === undefined) this.#pausedPositionSamples = this.#positionSamples(now);
    return (this.#pausedPositionSamples * 1000) / this.sampleRate;
  }

  /** Resumes from the paused position as a new segment; returns that position in ms. */
  resume(now: number): number {
    const position = this.#pausedPositionSamples ?? this.#positionSamples(now);
    this.#pausedPositionSamples = undefined;
    this.#sendSamples = position;
    this.#startAt = now - (position * 1000) / this.sampleRate;
    this.segment++;
    return (position * 1000) / this.sampleRate;
  }

  /**
   * The words heard by playback position `positionMs`: every word whose audio played to its end.
   * Without word timings, the share of `text`'s words proportional to the share of audio played.
   */
  heardText(positionMs: number, text: string): string {
    if (positionMs <= 0) return '';
    if (this.words.length > 0) {
      return this.words
        .filter((word) => word.offsetMs + word.durationMs <= positionMs + 1e-6)
        .map((word) => word.text)
        .join(' ');
    }
    const total = this.totalMs;
    if (total <= 0) return '';
    if (this.ended && positionMs >= total) return text.trim();
    const words = text
      .trim()
      .split(/\s+/)
      .filter((word) => word.length > 0);
    const count = Math.floor((words.length * positionMs) / total);
    return words.slice(0, count).join(' ');
  }

  #alignment(fromMs: number, toMs: number): AudioAlignment | undefined {
    const chars: string[] = [];
    const startTimesMs: number[] = [];
    const durationsMs: number[] = [];
    for (const word of this.words) {
      if (word.offsetMs < fromMs || word.offsetMs >= toMs) continue;
      const text = `${word.text} `;
      const perChar = word.durationMs / Math.max(1, word.text.length);
      for (let index = 0; index < text.length; index++) {
        chars.push(text[index]!);
        startTimesMs.push(Math.round(word.offsetMs - fromMs + perChar * Math.min(index, word.text.length)));
        durationsMs.push(index < word.text.length ? Math.round(perChar) : 0);
      }
    }
    return chars.length === 0 ? undefined : { chars, startTimesMs, durationsMs };
  }
}
