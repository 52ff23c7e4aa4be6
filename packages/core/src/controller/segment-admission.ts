import type { Subscriber } from 'rxjs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { TtsEvent } from '../provider/tts-model';
import type { AudioSegment, PlaybackEvent } from './audio-controller';
import type { SegmentSource } from './audio-controller-options';
import type { EngineState } from './engine-state';
import { loadEstimatedBeats } from './segment-beats';
import { type MarkPolicy, receiveSourceEvent } from './segment-events';
import { stopSegment } from './segment-finish';
import { SegmentPlayback } from './segment-playback';
import { validateSegment } from './validate-segment';

/**
 * What {@link admitSegment} needs from its controller.
 * @internal
 */
export interface AdmissionHost {
  /** Turns a validated segment into its audio source; throwing rejects the segment. */
  openSource(segment: AudioSegment): SegmentSource;
  /** Told the first-chunk latency of a segment's stream, ms. */
  onFirstAudio(latencyMs: number, segmentId: string): void;
  /** Runs `change` as one serialized controller operation. */
  operate(change: () => void): void;
}

/**
 * Admits a `play` subscription: validates the segment (its id must be free), opens its source,
 * queues its playback record (an overlay is planned at once, a primary waits for the floor),
 * loads estimated beats, and subscribes to its stream, each event applied as one operation.
 * A rejected segment errors its subscriber and yields `undefined`. Call inside an operation.
 * @internal
 */
export function admitSegment(
  engine: EngineState,
  host: AdmissionHost,
  segment: AudioSegment,
  subscriber: Subscriber<PlaybackEvent>,
): SegmentPlayback | undefined {
  let source: SegmentSource;
  try {
    validateSegment(segment);
    const id = segment.id ?? `segment-${engine.playCount + 1}`;
    if (engine.segments.some((active) => active.id === id)) {
      throw new InvalidArgumentError(
        'segment.id',
        `a segment '${id}' is already playing or waiting: wait for its end or give this one another id.`,
      );
    }
    source = host.openSource(segment);
  } catch (error) {
    subscriber.error(error);
    return undefined;
  }
  engine.playCount += 1;
  const now = engine.scheduler.now();
  const playback = new SegmentPlayback({
    seq: engine.playCount,
    id: segment.id ?? `segment-${engine.playCount}`,
    speaker: segment.speaker,
    role: segment.role ?? 'primary',
    gainDb: segment.gainDb ?? 0,
    subscribedAt: now,
    requestedStartAt: segment.startAt,
    text: segment.text,
    subscriber,
    channels: engine.mixer.channels,
  });
  if (playback.role === 'overlay') playback.plannedStart = segment.startAt ?? now;
  if (source.estimatedBeats !== undefined) {
    loadEstimatedBeats(
      playback,
      source.estimatedBeats,
      source.estimatedDurationMs ?? 0,
      engine.mixer.sampleRate,
    );
  }
  const marks = source.estimatedBeats === undefined ? 'use' : (source.providerMarks ?? 'ignore');
  engine.segments.push(playback);
  const subscription = source.events.subscribe({
    next: (event) => host.operate(() => onSourceEvent(engine, host, playback, event, marks)),
    error: (error: unknown) => host.operate(() => onSourceError(engine, playback, error)),
    complete: () =>
      host.operate(() => {
        playback.sourceEnded = true;
      }),
  });
  if (playback.status === 'finished') subscription.unsubscribe();
  else playback.source = subscription;
  return playback;
}

function onSourceEvent(
  engine: EngineState,
  host: AdmissionHost,
  segment: SegmentPlayback,
  event: TtsEvent,
  marks: MarkPolicy,
): void {
  if (segment.status === 'finished' || segment.sourceEnded) return;
  const effect = receiveSourceEvent(segment, event, {
    sampleRate: engine.mixer.sampleRate,
    channels: engine.mixer.channels,
    marks,
    now: engine.scheduler.now(),
  });
  if (effect.type === 'error') onSourceError(engine, segment, effect.error);
  else if (effect.type === 'first-audio') host.onFirstAudio(effect.latencyMs, segment.id);
}

/** The stream failed (or sent unplayable audio): the segment stops with a fade and errors after. */
function onSourceError(engine: EngineState, segment: SegmentPlayback, error: unknown): void {
  if (segment.status === 'finished') return;
  segment.hasError = true;
  segment.errorToRaise = error;
  segment.sourceEnded = true;
  segment.source?.unsubscribe();
  stopSegment(engine, segment, 'error');
}
