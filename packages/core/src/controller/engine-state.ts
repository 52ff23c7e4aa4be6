import type { SchedulerLike, Subscriber } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import type { Mixer } from '../audio/mixer';
import type { PlaybackBeatEvent } from './audio-controller';
import type { SegmentPlayback } from './segment-playback';

/**
 * A crossfade in progress: the floor passes from `from` (`undefined`: from silence) to `to` over
 * `durationMs`, starting at the mixer's rendered time `startMs`.
 * @internal
 */
export interface CrossfadeState {
  from: string | undefined;
  to: SegmentPlayback;
  durationMs: number;
  startMs: number;
}

/**
 * What the engine asks of its controller while it renders and finishes segments.
 * @internal
 */
export interface EngineHooks {
  /** Called for every beat that goes out, before it is queued for delivery. */
  onBeat(beat: PlaybackBeatEvent): void;
  /** The duck level in force, dB, or `undefined`: a primary segment that starts takes it at once. */
  duckLevel(): number | undefined;
}

/**
 * The mutable state of an audio controller's engine, shared by the modules that drive it
 * (admission, the frame renderer, crossfades, segment exits) and by the controller that
 * serializes their calls.
 * Every change happens inside one controller operation; notifications wait in `outbox` until the
 * operation is complete.
 * @internal
 */
export class EngineState {
  /** The scheduler that stamps every event. */
  readonly scheduler: SchedulerLike;
  /** The mixer that renders the output. */
  readonly mixer: Mixer;
  /** The output frame length, per-channel samples. */
  readonly frameLength: number;
  /** The fade and ramp length, per-channel samples (at least 1). */
  readonly fadeLength: number;
  /** The `|driftMs|` above which a beat is `missed`, ms. */
  readonly beatToleranceMs: number;
  /** The controller's callbacks. */
  readonly hooks: EngineHooks;
  /** Every segment not finished yet, in `play` order. */
  readonly segments: SegmentPlayback[] = [];
  /** The subscribers of the mixed output. */
  readonly outputSubscribers = new Set<Subscriber<AudioFrame>>();
  /** Notifications to deliver once the current operation is complete, in order. */
  readonly outbox: (() => void)[] = [];
  /** The primary segment that holds the floor (started, or the target of a crossfade). */
  floor: SegmentPlayback | undefined;
  /** The segment a crossfade is fading out. */
  outgoing: SegmentPlayback | undefined;
  /** The crossfade in progress. */
  crossfade: CrossfadeState | undefined;
  /** When the last floor holder's audio ended, ms: the next primary starts no earlier. */
  floorFreedAt = Number.NEGATIVE_INFINITY;
  /** Whether the controller is paused. */
  paused = false;
  /** Paused, with the pause fade still to render on the next frame. */
  pausing = false;
  /** When the current pause began, ms. */
  pausedAt = 0;
  /** How many segments were admitted (their `seq`, and the default ids `segment-<n>`). */
  playCount = 0;
  /** How many crossfade helper tracks were made (their ids). */
  helperCount = 0;
  /** How many frames were rendered. */
  frameCount = 0;

  constructor(init: {
    scheduler: SchedulerLike;
    mixer: Mixer;
    rampMs: number;
    beatToleranceMs: number;
    hooks: EngineHooks;
  }) {
    this.scheduler = init.scheduler;
    this.mixer = init.mixer;
    this.frameLength = init.mixer.frameLength;
    this.fadeLength = Math.max(1, Math.round((init.rampMs * init.mixer.sampleRate) / 1000));
    this.beatToleranceMs = init.beatToleranceMs;
    this.hooks = init.hooks;
  }

  /** Paused with the pause fade done: nothing is heard until `resume`. */
  get silencedByPause(): boolean {
    return this.paused && !this.pausing;
  }
}
