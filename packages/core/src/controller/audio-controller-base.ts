import { Observable, type SchedulerLike } from 'rxjs';
import type { AudioFormat, AudioFrame } from '../audio/audio-frame';
import { type CrossfadeOptions, Mixer } from '../audio/mixer';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type {
  AudioController,
  AudioControllerState,
  AudioSegment,
  DuckLease,
  DuckOptions,
  PlaybackBeatEvent,
  PlaybackEvent,
  StopTarget,
} from './audio-controller';
import type { AudioControllerOptions, SegmentSource } from './audio-controller-options';
import { ControllerDisposedError } from './controller-disposed-error';
import { DuckLeaseRegistry } from './duck-lease-registry';
import { EngineState } from './engine-state';
import { FramePacer } from './frame-pacer';
import { needsFrame, nextWakeTime, renderFrame } from './frame-renderer';
import { type AdmissionHost, admitSegment } from './segment-admission';
import { completeCrossfadeForPause, startCrossfade } from './segment-crossfade';
import { finishSegment, stopSegment } from './segment-finish';
import type { SegmentPlayback } from './segment-playback';
import { validateStopTarget } from './validate-segment';

/**
 * The engine shared by {@link SimAudioController} and {@link StreamingAudioController}: segment
 * queueing, the duck lease, crossfades, pause/resume, stops, beats and the mixed output, all on an
 * injected scheduler. It implements every rule of the {@link AudioController} transition table.
 * Subclasses only say where a segment's audio comes from ({@link AudioControllerBase.openSource}).
 *
 * @example
 * ```ts
 * import { AudioControllerBase, type AudioSegment, type SegmentSource } from '@argentum/core';
 *
 * // plays only TTS-stream segments
 * class StreamOnlyController extends AudioControllerBase {
 *   protected openSource(segment: AudioSegment): SegmentSource {
 *     if (segment.kind !== 'tts') throw new Error('text segments are not supported here');
 *     return { events: segment.events };
 *   }
 * }
 * const controller = new StreamOnlyController({ sampleRate: 24000 });
 * ```
 */
export abstract class AudioControllerBase implements AudioController {
  /** The scheduler that paces the output and stamps every event. */
  readonly scheduler: SchedulerLike;
  /** The output frame duration, ms. */
  readonly frameDurationMs: number;
  /** The `|driftMs|` above which a beat is `missed`, ms. */
  readonly beatToleranceMs: number;
  /** The fade and ramp length, ms. */
  readonly rampMs: number;
  /** The mixed output; see {@link AudioController.output}. */
  readonly output: Observable<AudioFrame>;

  /**
   * Segments, floor, crossfade, pause and output: the state the engine modules work on
   * (`segment-admission`, `frame-renderer`, `segment-crossfade`, `segment-finish`).
   */
  private readonly engine: EngineState;
  private readonly leases: DuckLeaseRegistry;
  private readonly pacer: FramePacer;
  private readonly admission: AdmissionHost;
  private disposed = false;
  private depth = 0;
  private flushing = false;

  /**
   * @param options - format, clock, duck policy, beat tolerance and ramp length.
   * @throws {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format;
   * {@link InvalidArgumentError} for an option out of range.
   */
  constructor(options: AudioControllerOptions) {
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.rampMs = assertNumber('rampMs', options.rampMs ?? 10, { above: 0, max: 10 });
    const mixer = new Mixer({
      sampleRate: options.sampleRate,
      channels: options.channels ?? 1,
      frameDurationMs: options.frameDurationMs,
      maxRampMs: this.rampMs,
    });
    this.frameDurationMs = mixer.frameDurationMs;
    this.beatToleranceMs = assertNumber('beatToleranceMs', options.beatToleranceMs ?? 250, { min: 0 });
    this.engine = new EngineState({
      scheduler: this.scheduler,
      mixer,
      rampMs: this.rampMs,
      beatToleranceMs: this.beatToleranceMs,
      hooks: {
        onBeat: (beat) => this.onBeat(beat),
        duckLevel: () => this.leases.level,
      },
    });
    const maxCatchUpMs = assertNumber('maxCatchUpMs', options.maxCatchUpMs ?? 200, { min: 0 });
    this.pacer = new FramePacer(this.scheduler, this.frameDurationMs, maxCatchUpMs, {
      needsFrame: (dueMs) => needsFrame(this.engine, dueMs),
      nextWakeTime: () => nextWakeTime(this.engine),
      renderFrame: (dueMs, nowMs) => renderFrame(this.engine, dueMs, nowMs),
      operate: (change) => this.operate(change),
    });
    const duckPolicy = options.duckPolicy ?? 'queue';
    if (duckPolicy !== 'queue' && duckPolicy !== 'refuse') {
      throw new InvalidArgumentError(
        'duckPolicy',
        `expected 'queue' or 'refuse', got ${String(duckPolicy)}.`,
      );
    }
    this.leases = new DuckLeaseRegistry(
      {
        applyDuck: (gainDb) => this.applyDuck(gainDb),
        operate: (change) => this.operate(change),
        deliver: (notify) => this.engine.outbox.push(notify),
      },
      duckPolicy,
    );
    this.admission = {
      openSource: (segment) => this.openSource(segment),
      onFirstAudio: (latencyMs, segmentId) => this.onFirstAudio(latencyMs, segmentId),
      operate: (change) => this.operate(change),
    };
    this.output = new Observable<AudioFrame>((subscriber) => {
      if (this.disposed) {
        subscriber.complete();
        return undefined;
      }
      this.engine.outputSubscribers.add(subscriber);
      return () => {
        this.engine.outputSubscribers.delete(subscriber);
      };
    });
  }

  /** The output format, fixed at construction. */
  get format(): AudioFormat {
    return this.engine.mixer.format;
  }

  /** A synchronous snapshot; see {@link AudioController.state}. */
  get state(): AudioControllerState {
    const engine = this.engine;
    const rate = engine.mixer.sampleRate;
    const lease = this.leases.activeLease;
    const crossfade = engine.crossfade;
    return {
      at: this.scheduler.now(),
      paused: engine.paused,
      segments: engine.segments.map((segment) => ({
        segmentId: segment.id,
        speaker: segment.speaker,
        role: segment.role,
        status: segment.status === 'finished' ? 'stopping' : segment.status,
        positionMs: (segment.position * 1000) / rate,
        bufferedMs: (segment.bufferedLength * 1000) / rate,
        gain:
          !segment.started || engine.silencedByPause || segment.track === undefined
            ? 0
            : segment.track.currentGain * segment.lastGain,
      })),
      primarySegmentId: engine.floor?.id,
      lease: lease === undefined ? undefined : { id: lease.id, holder: lease.holder, gainDb: lease.gainDb },
      pendingLeaseCount: this.leases.pendingCount,
      crossfade:
        crossfade === undefined
          ? undefined
          : {
              fromSegmentId: crossfade.from,
              toSegmentId: crossfade.to.id,
              durationMs: crossfade.durationMs,
              elapsedMs: Math.min(crossfade.durationMs, engine.mixer.renderedMs - crossfade.startMs),
            },
      frameCount: engine.frameCount,
    };
  }

  /**
   * Turns a segment into its audio source. Called once per `play` subscription, before the
   * segment is queued; throwing rejects the segment (the play stream errors with that error).
   *
   * @param segment - the validated segment.
   * @returns the source of its audio and, optionally, estimated beats.
   */
  protected abstract openSource(segment: AudioSegment): SegmentSource;

  /**
   * Called when a segment's first audio chunk arrives, with the time since its stream was
   * subscribed — the provider's first-chunk latency. The base does nothing.
   *
   * @param latencyMs - ms from subscription to the first `audio` event.
   * @param segmentId - the segment's id.
   */
  protected onFirstAudio(latencyMs: number, segmentId: string): void {
    void latencyMs;
    void segmentId;
  }

  /**
   * Called for every beat that went out, before it is delivered. The base does nothing.
   *
   * @param beat - the beat event.
   */
  protected onBeat(beat: PlaybackBeatEvent): void {
    void beat;
  }

  /** Plays a segment; see {@link AudioController.play}. */
  play(segment: AudioSegment): Observable<PlaybackEvent> {
    return new Observable<PlaybackEvent>((subscriber) => {
      let playback: SegmentPlayback | undefined;
      this.operate(() => {
        if (this.disposed) subscriber.error(new ControllerDisposedError('play'));
        else playback = admitSegment(this.engine, this.admission, segment, subscriber);
      });
      return () => {
        const current = playback;
        if (current !== undefined && current.status !== 'finished') this.operate(() => this.drop(current));
      };
    });
  }

  /** Ducks the primary speaker; see {@link AudioController.duck}. */
  duck(gainDb: number, options: DuckOptions = {}): DuckLease {
    if (this.disposed) throw new ControllerDisposedError('duck');
    return this.leases.request(gainDb, options);
  }

  /** Hands the floor to another segment; see {@link AudioController.crossfade}. */
  crossfade(toSegmentId: string, durationMs: number, options: CrossfadeOptions = {}): void {
    if (this.disposed) throw new ControllerDisposedError('crossfade');
    assertNumber('durationMs', durationMs, { min: 0 });
    const segments = this.engine.segments;
    const to = segments.find((segment) => segment.id === toSegmentId && segment.cut === undefined);
    if (to === undefined) {
      throw new InvalidArgumentError(
        'toSegmentId',
        `no playing or waiting segment '${toSegmentId}' (active: ${segments.map((s) => `'${s.id}'`).join(', ') || 'none'}).`,
      );
    }
    if (to === this.engine.floor) {
      throw new InvalidArgumentError('toSegmentId', `segment '${toSegmentId}' already holds the floor.`);
    }
    if (to.stopRequest !== undefined) {
      throw new InvalidArgumentError('toSegmentId', `segment '${toSegmentId}' is being stopped.`);
    }
    this.operate(() => {
      this.leases.revokeAll();
      startCrossfade(this.engine, to, durationMs, options);
    });
  }

  /** Pauses at the exact sample; see {@link AudioController.pause}. */
  pause(): void {
    const engine = this.engine;
    this.operate(() => {
      if (engine.paused || this.disposed) return;
      engine.paused = true;
      engine.pausedAt = this.scheduler.now();
      engine.pausing = engine.segments.some((segment) => segment.active && segment.bufferedLength > 0);
      if (!engine.pausing) completeCrossfadeForPause(engine);
    });
  }

  /** Resumes from the exact sample; see {@link AudioController.resume}. */
  resume(): void {
    const engine = this.engine;
    this.operate(() => {
      if (!engine.paused || this.disposed) return;
      const now = this.scheduler.now();
      engine.paused = false;
      engine.pausing = false;
      for (const segment of engine.segments) {
        if (segment.started) {
          if (segment.pauseFadeEnd !== undefined) {
            segment.pauseFadeEnd = undefined;
            segment.pauseFadeLength = 0;
            segment.fadeInStart = segment.position;
            segment.fadeInLength = engine.fadeLength;
          }
          segment.resumePending = true;
        } else if (segment.plannedStart !== undefined && segment.plannedStart < now) {
          segment.plannedStart += now - Math.max(engine.pausedAt, segment.plannedStart);
        }
      }
    });
  }

  /** Arms a stop at a beat; see {@link AudioController.stopAt}. */
  stopAt(target: StopTarget): boolean {
    validateStopTarget(target);
    let armed = false;
    this.operate(() => {
      const segment =
        typeof target === 'string'
          ? this.engine.floor
          : this.engine.segments.find((candidate) => candidate.id === target.segmentId);
      if (segment === undefined || segment.status === 'finished') return;
      armed = true;
      if (segment.cut !== undefined || segment.stopRequest !== undefined) return;
      segment.stopTarget = target;
    });
    return armed;
  }

  /** Stops everything now; see {@link AudioController.stopNow}. */
  stopNow(): void {
    this.operate(() => {
      this.leases.revokeAll();
      for (const segment of [...this.engine.segments]) stopSegment(this.engine, segment, 'stop');
    });
  }

  /** Cancels everything and releases every resource; see {@link AudioController.dispose}. */
  dispose(): void {
    if (this.disposed) return;
    this.operate(() => {
      this.disposed = true;
      this.leases.revokeAll();
      for (const segment of [...this.engine.segments]) {
        finishSegment(this.engine, segment, { type: 'cancel', reason: 'dispose' });
      }
      this.pacer.stop();
      const subscribers = [...this.engine.outputSubscribers];
      this.engine.outputSubscribers.clear();
      this.engine.outbox.push(() => {
        for (const subscriber of subscribers) subscriber.complete();
      });
    });
  }

  // ─── serialization ────────────────────────────────────────────────────────────────────────

  /** Runs one serialized operation: state changes now, events once the state is consistent. */
  private operate(change: () => void): void {
    this.depth++;
    try {
      change();
    } finally {
      this.depth--;
    }
    if (this.depth === 0) {
      if (!this.disposed) this.pacer.settle();
      this.flush();
    }
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      const outbox = this.engine.outbox;
      for (let notify = outbox.shift(); notify !== undefined; notify = outbox.shift()) notify();
    } finally {
      this.flushing = false;
    }
  }

  // ─── subscriber leaves, duck level ────────────────────────────────────────────────────────

  /** The subscriber left: drop the segment with a fade, tell no one. */
  private drop(segment: SegmentPlayback): void {
    segment.source?.unsubscribe();
    segment.sourceEnded = true;
    stopSegment(this.engine, segment, 'silent');
  }

  private applyDuck(gainDb: number | undefined): void {
    const track = this.engine.floor?.track;
    if (track === undefined) return;
    if (gainDb === undefined) track.unduck();
    else track.duck(gainDb);
  }
}
