import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import type { AudioFormat, AudioFrame } from '../audio/audio-frame';
import { type CrossfadeOptions, Mixer } from '../audio/mixer';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { TtsEvent } from '../provider/tts-model';
import type {
  AudioController,
  AudioControllerState,
  AudioSegment,
  CancelReason,
  DuckLease,
  DuckOptions,
  PlaybackBeatEvent,
  PlaybackEvent,
  StopTarget,
} from './audio-controller';
import type { AudioControllerOptions, SegmentSource } from './audio-controller-options';
import { ControllerDisposedError } from './controller-disposed-error';
import { DuckLeaseRegistry } from './duck-lease-registry';
import { FramePacer } from './frame-pacer';
import { loadEstimatedBeats, takeDueBeats } from './segment-beats';
import { outcomeOf, placeCut, takeCount } from './segment-cuts';
import { type MarkPolicy, receiveSourceEvent, terminalEvent } from './segment-events';
import { type SegmentOutcome, SegmentPlayback } from './segment-playback';
import { validateSegment, validateStopTarget } from './validate-segment';

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

  private readonly mixer: Mixer;
  private readonly frameLength: number;
  private readonly fadeLength: number;
  private readonly leases: DuckLeaseRegistry;
  private readonly segments: SegmentPlayback[] = [];
  private readonly outputSubscribers = new Set<Subscriber<AudioFrame>>();
  private floor: SegmentPlayback | undefined;
  private outgoing: SegmentPlayback | undefined;
  private crossfadeState:
    | { from: string | undefined; to: SegmentPlayback; durationMs: number; startMs: number }
    | undefined;
  private floorFreedAt = Number.NEGATIVE_INFINITY;
  private paused = false;
  private pausing = false;
  private pausedAt = 0;
  private playCount = 0;
  private helperCount = 0;
  private frameCount = 0;
  private disposed = false;
  private depth = 0;
  private flushing = false;
  private readonly outbox: (() => void)[] = [];
  private readonly pacer: FramePacer;

  /**
   * @param options - format, clock, duck policy, beat tolerance and ramp length.
   * @throws {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format;
   * {@link InvalidArgumentError} for an option out of range.
   */
  constructor(options: AudioControllerOptions) {
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.rampMs = assertNumber('rampMs', options.rampMs ?? 10, { above: 0, max: 10 });
    this.mixer = new Mixer({
      sampleRate: options.sampleRate,
      channels: options.channels ?? 1,
      frameDurationMs: options.frameDurationMs,
      maxRampMs: this.rampMs,
    });
    this.frameDurationMs = this.mixer.frameDurationMs;
    this.frameLength = this.mixer.frameLength;
    this.fadeLength = Math.max(1, Math.round((this.rampMs * this.mixer.sampleRate) / 1000));
    this.beatToleranceMs = assertNumber('beatToleranceMs', options.beatToleranceMs ?? 250, { min: 0 });
    const maxCatchUpMs = assertNumber('maxCatchUpMs', options.maxCatchUpMs ?? 200, { min: 0 });
    this.pacer = new FramePacer(this.scheduler, this.frameDurationMs, maxCatchUpMs, {
      needsFrame: (dueMs) => this.needsFrames(dueMs),
      nextWakeTime: () => this.nextWakeTime(),
      renderFrame: (dueMs, nowMs) => this.renderFrame(dueMs, nowMs),
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
        deliver: (notify) => this.outbox.push(notify),
      },
      duckPolicy,
    );
    this.output = new Observable<AudioFrame>((subscriber) => {
      if (this.disposed) {
        subscriber.complete();
        return undefined;
      }
      this.outputSubscribers.add(subscriber);
      return () => {
        this.outputSubscribers.delete(subscriber);
      };
    });
  }

  /** The output format, fixed at construction. */
  get format(): AudioFormat {
    return this.mixer.format;
  }

  /** A synchronous snapshot; see {@link AudioController.state}. */
  get state(): AudioControllerState {
    const rate = this.mixer.sampleRate;
    const lease = this.leases.activeLease;
    const crossfade = this.crossfadeState;
    return {
      at: this.scheduler.now(),
      paused: this.paused,
      segments: this.segments.map((segment) => ({
        segmentId: segment.id,
        speaker: segment.speaker,
        role: segment.role,
        status: segment.status === 'finished' ? 'stopping' : segment.status,
        positionMs: (segment.position * 1000) / rate,
        bufferedMs: (segment.bufferedLength * 1000) / rate,
        gain:
          !segment.started || (this.paused && !this.pausing) || segment.track === undefined
            ? 0
            : segment.track.currentGain * segment.lastGain,
      })),
      primarySegmentId: this.floor?.id,
      lease: lease === undefined ? undefined : { id: lease.id, holder: lease.holder, gainDb: lease.gainDb },
      pendingLeaseCount: this.leases.pendingCount,
      crossfade:
        crossfade === undefined
          ? undefined
          : {
              fromSegmentId: crossfade.from,
              toSegmentId: crossfade.to.id,
              durationMs: crossfade.durationMs,
              elapsedMs: Math.min(crossfade.durationMs, this.mixer.renderedMs - crossfade.startMs),
            },
      frameCount: this.frameCount,
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
        playback = this.admit(segment, subscriber);
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
    const to = this.segments.find((segment) => segment.id === toSegmentId && segment.cut === undefined);
    if (to === undefined) {
      throw new InvalidArgumentError(
        'toSegmentId',
        `no playing or waiting segment '${toSegmentId}' (active: ${this.segments.map((s) => `'${s.id}'`).join(', ') || 'none'}).`,
      );
    }
    if (to === this.floor) {
      throw new InvalidArgumentError('toSegmentId', `segment '${toSegmentId}' already holds the floor.`);
    }
    if (to.stopRequest !== undefined) {
      throw new InvalidArgumentError('toSegmentId', `segment '${toSegmentId}' is being stopped.`);
    }
    this.operate(() => this.startCrossfade(to, durationMs, options));
  }

  /** Pauses at the exact sample; see {@link AudioController.pause}. */
  pause(): void {
    this.operate(() => {
      if (this.paused || this.disposed) return;
      this.paused = true;
      this.pausedAt = this.scheduler.now();
      this.pausing = this.segments.some((segment) => segment.active && segment.bufferedLength > 0);
      if (!this.pausing) this.completeCrossfadeForPause();
    });
  }

  /** Resumes from the exact sample; see {@link AudioController.resume}. */
  resume(): void {
    this.operate(() => {
      if (!this.paused || this.disposed) return;
      const now = this.scheduler.now();
      this.paused = false;
      this.pausing = false;
      for (const segment of this.segments) {
        if (segment.started) {
          if (segment.pauseFadeEnd !== undefined) {
            segment.pauseFadeEnd = undefined;
            segment.pauseFadeLength = 0;
            segment.fadeInStart = segment.position;
            segment.fadeInLength = this.fadeLength;
          }
          segment.resumePending = true;
        } else if (segment.plannedStart !== undefined && segment.plannedStart < now) {
          segment.plannedStart += now - Math.max(this.pausedAt, segment.plannedStart);
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
          ? this.floor
          : this.segments.find((candidate) => candidate.id === target.segmentId);
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
      for (const segment of [...this.segments]) this.stopSegment(segment, 'stop');
    });
  }

  /** Cancels everything and releases every resource; see {@link AudioController.dispose}. */
  dispose(): void {
    if (this.disposed) return;
    this.operate(() => {
      this.disposed = true;
      this.leases.revokeAll();
      for (const segment of [...this.segments]) {
        this.finish(segment, { type: 'cancel', reason: 'dispose' });
      }
      this.pacer.stop();
      const subscribers = [...this.outputSubscribers];
      this.outputSubscribers.clear();
      this.outbox.push(() => {
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
      for (let notify = this.outbox.shift(); notify !== undefined; notify = this.outbox.shift()) notify();
    } finally {
      this.flushing = false;
    }
  }

  private emit(segment: SegmentPlayback, event: PlaybackEvent): void {
    this.outbox.push(() => segment.subscriber.next(event));
  }

  // ─── admission and sources ────────────────────────────────────────────────────────────────

  private admit(segment: AudioSegment, subscriber: Subscriber<PlaybackEvent>): SegmentPlayback | undefined {
    if (this.disposed) {
      subscriber.error(new ControllerDisposedError('play'));
      return undefined;
    }
    let source: SegmentSource;
    try {
      validateSegment(segment);
      const id = segment.id ?? `segment-${this.playCount + 1}`;
      if (this.segments.some((active) => active.id === id)) {
        throw new InvalidArgumentError(
          'segment.id',
          `a segment '${id}' is already playing or waiting: wait for its end or give this one another id.`,
        );
      }
      source = this.openSource(segment);
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    this.playCount += 1;
    const now = this.scheduler.now();
    const playback = new SegmentPlayback({
      seq: this.playCount,
      id: segment.id ?? `segment-${this.playCount}`,
      speaker: segment.speaker,
      role: segment.role ?? 'primary',
      gainDb: segment.gainDb ?? 0,
      subscribedAt: now,
      requestedStartAt: segment.startAt,
      text: segment.text,
      subscriber,
      channels: this.mixer.channels,
    });
    if (playback.role === 'overlay') playback.plannedStart = segment.startAt ?? now;
    if (source.estimatedBeats !== undefined) {
      loadEstimatedBeats(
        playback,
        source.estimatedBeats,
        source.estimatedDurationMs ?? 0,
        this.mixer.sampleRate,
      );
    }
    const marks = source.estimatedBeats === undefined ? 'use' : (source.providerMarks ?? 'ignore');
    this.segments.push(playback);
    const subscription = source.events.subscribe({
      next: (event) => this.operate(() => this.onSourceEvent(playback, event, marks)),
      error: (error: unknown) => this.operate(() => this.onSourceError(playback, error)),
      complete: () =>
        this.operate(() => {
          playback.sourceEnded = true;
        }),
    });
    if (playback.status === 'finished') subscription.unsubscribe();
    else playback.source = subscription;
    return playback;
  }

  private onSourceEvent(segment: SegmentPlayback, event: TtsEvent, marks: MarkPolicy): void {
    if (segment.status === 'finished' || segment.sourceEnded) return;
    const effect = receiveSourceEvent(segment, event, {
      sampleRate: this.mixer.sampleRate,
      channels: this.mixer.channels,
      marks,
      now: this.scheduler.now(),
    });
    if (effect.type === 'error') this.onSourceError(segment, effect.error);
    else if (effect.type === 'first-audio') this.onFirstAudio(effect.latencyMs, segment.id);
  }

  private onSourceError(segment: SegmentPlayback, error: unknown): void {
    if (segment.status === 'finished') return;
    segment.hasError = true;
    segment.errorToRaise = error;
    segment.sourceEnded = true;
    segment.source?.unsubscribe();
    this.stopSegment(segment, 'error');
  }

  // ─── transitions ──────────────────────────────────────────────────────────────────────────

  /** Stops one segment: at once when it is silent, else with a fade on the next frame. */
  private stopSegment(segment: SegmentPlayback, reason: CancelReason | 'silent'): void {
    if (segment.status === 'finished') return;
    const silent = !segment.started || (this.paused && !this.pausing) || segment.bufferedLength === 0;
    if (silent) {
      this.finish(segment, reason === 'silent' ? { type: 'silent' } : { type: 'cancel', reason });
      return;
    }
    segment.stopRequest = reason;
    segment.stopTarget = undefined;
    segment.status = 'stopping';
  }

  /** The subscriber left: drop the segment with a fade, tell no one. */
  private drop(segment: SegmentPlayback): void {
    segment.source?.unsubscribe();
    segment.sourceEnded = true;
    this.stopSegment(segment, 'silent');
  }

  private applyDuck(gainDb: number | undefined): void {
    const track = this.floor?.track;
    if (track === undefined) return;
    if (gainDb === undefined) track.unduck();
    else track.duck(gainDb);
  }

  private startCrossfade(to: SegmentPlayback, durationMs: number, options: CrossfadeOptions): void {
    this.leases.revokeAll();
    if (this.outgoing !== undefined) {
      const previous = this.outgoing;
      this.outgoing = undefined;
      this.stopSegment(previous, 'crossfade');
    }
    let from = this.floor;
    if (from !== undefined && !from.started) {
      // A crossfade target still waiting for its audio: nothing of it was heard, nothing to fade.
      this.stopSegment(from, 'crossfade');
      from = undefined;
    }
    if (to.track === undefined) {
      to.track = this.mixer.addTrack(`segment-track-${to.seq}`, { gainDb: Number.NEGATIVE_INFINITY });
    }
    if (from?.track !== undefined) {
      this.mixer.crossfade(from.track.id, to.track.id, durationMs, options);
      from.status = 'outgoing';
      this.outgoing = from;
    } else {
      this.helperCount += 1;
      const helper = this.mixer.addTrack(`crossfade-helper-${this.helperCount}`, {
        gainDb: Number.NEGATIVE_INFINITY,
      });
      this.mixer.crossfade(helper.id, to.track.id, durationMs, options);
      helper.remove({ rampMs: 0 });
    }
    to.role = 'primary';
    this.floor = to;
    if (!to.started && to.plannedStart === undefined)
      to.plannedStart = to.requestedStartAt ?? this.scheduler.now();
    this.crossfadeState = { from: from?.id, to, durationMs, startMs: this.mixer.renderedMs };
    if (this.paused && !this.pausing) this.completeCrossfadeForPause();
  }

  /** Pause during a crossfade: the crossfade completes at once (see the transition table). */
  private completeCrossfadeForPause(): void {
    const crossfade = this.crossfadeState;
    if (crossfade === undefined) return;
    this.crossfadeState = undefined;
    const outgoing = this.outgoing;
    this.outgoing = undefined;
    if (outgoing !== undefined) this.finish(outgoing, { type: 'cancel', reason: 'crossfade' });
    if (crossfade.to.status !== 'finished') crossfade.to.track?.setGain(0, { rampMs: 0 });
  }

  // ─── the output clock ─────────────────────────────────────────────────────────────────────

  /** Whether a frame due at `due` has anything to render. */
  private needsFrames(due: number): boolean {
    this.assignFloorPlan();
    for (const segment of this.segments) {
      if (segment.active) {
        if (!this.paused || this.pausing) return true;
      } else if (
        !this.paused &&
        this.canStart(segment) &&
        segment.plannedStart! < due + this.frameDurationMs
      ) {
        return true;
      }
    }
    return false;
  }

  /** The earliest planned start of a segment that is ready and allowed to start. */
  private nextWakeTime(): number | undefined {
    if (this.paused) return undefined;
    let earliest: number | undefined;
    for (const segment of this.segments) {
      if (!segment.started && this.canStart(segment)) {
        const at = segment.plannedStart!;
        if (earliest === undefined || at < earliest) earliest = at;
      }
    }
    return earliest;
  }

  /** Whether a waiting segment has what it needs to start (audio, its turn, a plan). */
  private canStart(segment: SegmentPlayback): boolean {
    if (segment.started || segment.status !== 'waiting' || segment.plannedStart === undefined) return false;
    if (segment.bufferedLength === 0 && !segment.sourceEnded) return false;
    if (segment.role === 'overlay') return true;
    return this.floor === segment || (this.floor === undefined && this.headPrimary() === segment);
  }

  private headPrimary(): SegmentPlayback | undefined {
    return this.segments.find((segment) => segment.role === 'primary' && !segment.started);
  }

  /** Gives the head of the primary queue its planned start once the floor is free. */
  private assignFloorPlan(): void {
    if (this.floor !== undefined) return;
    const head = this.headPrimary();
    if (head === undefined || head.plannedStart !== undefined) return;
    head.plannedStart = head.requestedStartAt ?? Math.max(head.subscribedAt, this.floorFreedAt);
  }

  // ─── rendering one frame ──────────────────────────────────────────────────────────────────

  private renderFrame(due: number, now: number): void {
    const detached: SegmentPlayback[] = [];
    for (const segment of this.segments) {
      if (!segment.active) continue;
      placeCut(segment, this.fadeLength);
      if (this.pausing && segment.pauseFadeEnd === undefined) {
        const length = Math.min(this.fadeLength, segment.bufferedLength);
        segment.pauseFadeEnd = segment.position + length;
        segment.pauseFadeLength = length;
      }
    }
    let floorOffset = 0;
    const play = (segment: SegmentPlayback, pad: number): void => {
      const count = takeCount(segment, this.frameLength, pad, this.paused && !this.pausing);
      this.feed(segment, pad, count, due, now);
      if (!segment.drained) return;
      if (segment === this.floor) floorOffset = this.releaseFloor(pad + count, now);
      // The track keeps this frame's samples until it is rendered: detach it afterwards.
      const track = segment.track;
      segment.track = undefined;
      this.finish(segment, outcomeOf(segment));
      segment.track = track;
      detached.push(segment);
    };
    for (const segment of [...this.segments]) {
      if (segment.active) play(segment, 0);
    }
    if (!this.paused) {
      for (;;) {
        this.assignFloorPlan();
        const next = this.segments.find(
          (segment) => this.canStart(segment) && this.padFor(segment, due, floorOffset) < this.frameLength,
        );
        if (next === undefined) break;
        const pad = this.padFor(next, due, floorOffset);
        this.start(next, pad, now);
        placeCut(next, this.fadeLength);
        play(next, pad);
      }
    }
    const frame = this.mixer.render(due);
    this.frameCount += 1;
    for (const segment of detached) {
      segment.track?.remove({ rampMs: 0 });
      segment.track = undefined;
    }
    if (this.outputSubscribers.size > 0) {
      const subscribers = [...this.outputSubscribers];
      this.outbox.push(() => {
        for (const subscriber of subscribers) subscriber.next(frame);
      });
    }
    const crossfade = this.crossfadeState;
    if (crossfade !== undefined && this.mixer.renderedMs - crossfade.startMs >= crossfade.durationMs) {
      this.crossfadeState = undefined;
      const outgoing = this.outgoing;
      this.outgoing = undefined;
      if (outgoing !== undefined) this.finish(outgoing, { type: 'cancel', reason: 'crossfade' });
    }
    if (this.pausing) {
      this.pausing = false;
      this.completeCrossfadeForPause();
    }
  }

  private releaseFloor(endOffset: number, now: number): number {
    this.floor = undefined;
    this.floorFreedAt = now + (endOffset * 1000) / this.mixer.sampleRate;
    return endOffset;
  }

  /** Where in the frame (samples) a segment may start: its planned start, and after the floor's end. */
  private padFor(segment: SegmentPlayback, due: number, floorOffset: number): number {
    // Rounded up (never early), with a tolerance for float noise on whole samples.
    const planned = Math.max(
      0,
      Math.ceil(((segment.plannedStart! - due) * this.mixer.sampleRate) / 1000 - 1e-6),
    );
    return segment.role === 'primary' ? Math.max(planned, floorOffset) : planned;
  }

  private start(segment: SegmentPlayback, pad: number, now: number): void {
    segment.started = true;
    segment.status = 'playing';
    if (segment.role === 'primary') this.floor = segment;
    if (segment.track === undefined) {
      segment.track = this.mixer.addTrack(`segment-track-${segment.seq}`, { gainDb: segment.gainDb });
      const level = this.leases.level;
      if (segment.role === 'primary' && level !== undefined) segment.track.duck(level, { rampMs: 0 });
    }
    this.emit(segment, {
      type: 'start',
      segmentId: segment.id,
      speaker: segment.speaker,
      at: now,
      role: segment.role,
      plannedAt: segment.plannedStart!,
      actualAt: now + (pad * 1000) / this.mixer.sampleRate,
    });
  }

  private feed(segment: SegmentPlayback, pad: number, count: number, due: number, now: number): void {
    if (count === 0 || segment.track === undefined) return;
    const rate = this.mixer.sampleRate;
    const channels = this.mixer.channels;
    const samples = new Int16Array((pad + count) * channels);
    const position = segment.position;
    segment.takeInto(samples, pad, count);
    segment.track.push({ samples, sampleRate: rate, channels, timestamp: due });
    segment.recordRun(position, now + (pad * 1000) / rate, count, rate);
    this.emit(segment, {
      type: 'chunk',
      segmentId: segment.id,
      speaker: segment.speaker,
      at: now,
      frameTimestamp: due,
      offsetMs: (position * 1000) / rate,
      durationMs: (count * 1000) / rate,
    });
    this.emitBeats(segment, now, false);
  }

  private emitBeats(segment: SegmentPlayback, now: number, all: boolean): void {
    const rate = this.mixer.sampleRate;
    for (const event of takeDueBeats(segment, {
      now,
      sampleRate: rate,
      toleranceMs: this.beatToleranceMs,
      all,
    })) {
      this.onBeat(event);
      this.emit(segment, event);
    }
  }

  /** Removes a segment, tells its subscriber (unless it left), frees the floor. */
  private finish(segment: SegmentPlayback, outcome: SegmentOutcome): void {
    if (segment.status === 'finished') return;
    const now = this.scheduler.now();
    if (outcome.type === 'end') this.emitBeats(segment, now, true);
    segment.status = 'finished';
    const index = this.segments.indexOf(segment);
    if (index >= 0) this.segments.splice(index, 1);
    segment.source?.unsubscribe();
    segment.source = undefined;
    segment.track?.remove({ rampMs: 0 });
    segment.track = undefined;
    if (this.floor === segment) {
      this.floor = undefined;
      this.floorFreedAt = Math.max(this.floorFreedAt, now);
    }
    if (this.outgoing === segment) this.outgoing = undefined;
    if (this.crossfadeState?.to.status === 'finished' && this.outgoing === undefined)
      this.crossfadeState = undefined;
    const event = terminalEvent(segment, outcome, now, this.mixer.sampleRate);
    segment.clearBuffer();
    if (event === undefined) return;
    const subscriber = segment.subscriber;
    this.emit(segment, event);
    if (event.type === 'cancel' && (event.reason === 'error' || segment.hasError)) {
      const error = segment.errorToRaise;
      this.outbox.push(() => subscriber.error(error));
    } else {
      this.outbox.push(() => subscriber.complete());
    }
  }
}
