import type { Subscriber, Subscription } from 'rxjs';
import type { MixerTrack } from '../audio/mixer-track';
import type { CancelReason, PlaybackEvent, SegmentRole, StopTarget } from './audio-controller';

/**
 * One beat of a playing segment, in samples.
 * @internal
 */
export interface SegmentBeat {
  index: number;
  kind: 'word' | 'sentence';
  text: string;
  /** Start, per-channel samples from the segment's first sample. */
  offset: number;
  /** Length in per-channel samples (0 = unknown). */
  length: number;
  aligned: boolean;
  emitted: boolean;
}

/**
 * A stretch of a segment's audio that went out contiguously: sample `position + i` went out at
 * `time + i / sampleRate` (ms). `shiftMs` is how far pauses had moved the plan by then.
 * @internal
 */
export interface PlaybackRun {
  position: number;
  time: number;
  length: number;
  shiftMs: number;
}

/**
 * Status of a segment inside the controller (`finished` ones are gone from its list).
 * @internal
 */
export type SegmentStatus = 'waiting' | 'playing' | 'outgoing' | 'stopping' | 'finished';

/**
 * How a segment leaves: its final event (none when its subscriber left) and an error to raise after.
 * @internal
 */
export interface SegmentOutcome {
  type: 'end' | 'cancel' | 'silent';
  reason?: CancelReason;
  error?: unknown;
}

/**
 * The mutable playback record of one `play` subscription: its queued audio, position, beats, fades
 * and timing history. Owned and driven by the controller engine; every position is in per-channel
 * samples of the controller's format.
 * @internal
 */
export class SegmentPlayback {
  readonly seq: number;
  readonly id: string;
  readonly speaker: string;
  role: SegmentRole;
  readonly gainDb: number;
  readonly subscribedAt: number;
  readonly requestedStartAt: number | undefined;
  readonly text: string | undefined;
  readonly subscriber: Subscriber<PlaybackEvent>;
  readonly channels: number;
  plannedStart: number | undefined;
  status: SegmentStatus = 'waiting';
  started = false;
  track: MixerTrack | undefined;
  source: Subscription | undefined;
  sourceEnded = false;
  /** Set once the first audio chunk arrived. */
  firstAudioAt: number | undefined;

  position = 0;
  receivedLength = 0;
  private chunks: Int16Array[] = [];
  private head = 0;
  private headOffset = 0;
  private buffered = 0;

  readonly beats: SegmentBeat[] = [];
  nextBeatIndex = 0;
  /** Whether the stream has sent a mark. */
  marksSeen = false;
  /** Beat estimates waiting to be rescaled to the real duration (sentence beats). */
  estimatedDurationSamples: number | undefined;

  readonly runs: PlaybackRun[] = [];
  pauseShiftMs = 0;
  resumePending = false;

  fadeInStart = -1;
  fadeInLength = 0;
  /** The end (exclusive) of the segment's audio when it was cut by a stop, and that stop's fade. */
  cut: number | undefined;
  cutFadeLength = 0;
  cutReason: CancelReason | 'silent' | undefined;
  /** A stop requested for the next frame (the cut is placed when the frame renders). */
  stopRequest: CancelReason | 'silent' | undefined;
  stopTarget: StopTarget | undefined;
  /** The end (exclusive) of a pause fade in progress. */
  pauseFadeEnd: number | undefined;
  /** The length of that pause fade, per-channel samples. */
  pauseFadeLength = 0;
  /** The sample-level gain (fades) of the last sample played. */
  lastGain = 0;
  errorToRaise: unknown;
  hasError = false;

  constructor(init: {
    seq: number;
    id: string;
    speaker: string;
    role: SegmentRole;
    gainDb: number;
    subscribedAt: number;
    requestedStartAt: number | undefined;
    text: string | undefined;
    subscriber: Subscriber<PlaybackEvent>;
    channels: number;
  }) {
    this.seq = init.seq;
    this.id = init.id;
    this.speaker = init.speaker;
    this.role = init.role;
    this.gainDb = init.gainDb;
    this.subscribedAt = init.subscribedAt;
    this.requestedStartAt = init.requestedStartAt;
    this.text = init.text;
    this.subscriber = init.subscriber;
    this.channels = init.channels;
  }

  /** Queued audio not yet played, per-channel samples. */
  get bufferedLength(): number {
    return this.buffered;
  }

  /** Whether every sample the segment will ever have has been played (or cut). */
  get drained(): boolean {
    if (this.cut !== undefined && this.position >= this.cut) return true;
    return this.sourceEnded && this.buffered === 0;
  }

  /** Whether the segment is audible-capable: started and not finished. */
  get active(): boolean {
    return this.started && this.status !== 'finished' && this.status !== 'waiting';
  }

  /** Appends interleaved samples (already in the controller's format). */
  append(samples: Int16Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    const length = samples.length / this.channels;
    this.buffered += length;
    this.receivedLength += length;
  }

  /** Drops every queued sample (used when the segment is finished). */
  clearBuffer(): void {
    this.chunks = [];
    this.head = 0;
    this.headOffset = 0;
    this.buffered = 0;
  }

  /** The linear sample-level gain (pause/stop fades, resume fade-in) of sample `p`. */
  sampleGain(p: number): number {
    let gain = 1;
    if (this.fadeInStart >= 0 && p < this.fadeInStart + this.fadeInLength) {
      gain *= (p - this.fadeInStart + 1) / this.fadeInLength;
    }
    if (this.cut !== undefined && this.cutFadeLength > 0 && p >= this.cut - this.cutFadeLength) {
      gain *= Math.max(0, this.cut - 1 - p) / this.cutFadeLength;
    }
    if (
      this.pauseFadeEnd !== undefined &&
      this.pauseFadeLength > 0 &&
      p >= this.pauseFadeEnd - this.pauseFadeLength
    ) {
      gain *= Math.max(0, this.pauseFadeEnd - 1 - p) / this.pauseFadeLength;
    }
    return gain;
  }

  /**
   * Takes the next `count` samples per channel (at most `bufferedLength`), applies the sample
   * fades, and writes them interleaved into `target` from per-channel index `targetOffset`.
   */
  takeInto(target: Int16Array, targetOffset: number, count: number): void {
    const channels = this.channels;
    let written = 0;
    let output = targetOffset * channels;
    while (written < count && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head]!;
      const available = (chunk.length - this.headOffset) / channels;
      const take = Math.min(available, count - written);
      let input = this.headOffset;
      for (let i = 0; i < take; i++) {
        const gain = this.sampleGain(this.position + written + i);
        if (gain === 1) {
          for (let c = 0; c < channels; c++) target[output++] = chunk[input++]!;
        } else {
          for (let c = 0; c < channels; c++) target[output++] = Math.round(chunk[input++]! * gain);
        }
      }
      written += take;
      this.headOffset += take * channels;
      if (this.headOffset >= chunk.length) {
        this.head++;
        this.headOffset = 0;
      }
    }
    if (written > 0) this.lastGain = this.sampleGain(this.position + written - 1);
    this.position += written;
    this.buffered -= written;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 64) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Records that samples `[position, position + length)` went out from `time` on. */
  recordRun(position: number, time: number, length: number, sampleRate: number): void {
    if (length === 0) return;
    const last = this.runs.at(-1);
    if (last !== undefined && this.resumePending) {
      const expected = last.time + ((position - last.position) * 1000) / sampleRate;
      this.pauseShiftMs += time - expected;
      this.resumePending = false;
    }
    if (
      last !== undefined &&
      last.position + last.length === position &&
      last.shiftMs === this.pauseShiftMs
    ) {
      const expected = last.time + ((position - last.position) * 1000) / sampleRate;
      if (Math.abs(expected - time) < 1e-6) {
        last.length += length;
        return;
      }
    }
    this.runs.push({ position, time, length, shiftMs: this.pauseShiftMs });
    if (this.runs.length > 256) this.runs.splice(0, this.runs.length - 256);
  }

  /** When sample `position` went out and the pause shift then, from the run history. */
  timeOf(position: number, sampleRate: number): { time: number; shiftMs: number } | undefined {
    for (let i = this.runs.length - 1; i >= 0; i--) {
      const run = this.runs[i]!;
      if (position >= run.position && position < run.position + run.length) {
        return { time: run.time + ((position - run.position) * 1000) / sampleRate, shiftMs: run.shiftMs };
      }
    }
    return undefined;
  }

  /** When the sample after the last played one would have gone out (the end of the last run). */
  endTime(sampleRate: number): { time: number; shiftMs: number } | undefined {
    const last = this.runs.at(-1);
    if (last === undefined) return undefined;
    return { time: last.time + (last.length * 1000) / sampleRate, shiftMs: last.shiftMs };
  }

  /**
   * The text heard up to sample `limit`: every word (or, with no word beats, every sentence) whose
   * audio ended at or before `limit`. A unit ends at `offset + length`, or at the next unit's start
   * when its length is unknown, or at the end of the audio for the last one.
   */
  heardText(limit: number, audioEnd: number): string {
    const words = this.beats.filter((beat) => beat.kind === 'word');
    const units = words.length > 0 ? words : this.beats.filter((beat) => beat.kind === 'sentence');
    if (units.length === 0) return limit >= audioEnd && this.sourceEnded ? (this.text ?? '') : '';
    const heard: string[] = [];
    for (let i = 0; i < units.length; i++) {
      const unit = units[i]!;
      const next = units[i + 1];
      const end = unit.length > 0 ? unit.offset + unit.length : next !== undefined ? next.offset : audioEnd;
      if (Math.min(end, audioEnd) <= limit && unit.offset < audioEnd) heard.push(unit.text);
      else break;
    }
    return heard.join(' ');
  }
}
