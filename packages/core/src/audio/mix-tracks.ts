import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { AudioFormat, AudioFrame } from './audio-frame';
import { Mixer } from './mixer';
import type { MixerTrack } from './mixer-track';

/** Options of {@link mixTracks}. */
export interface MixTracksOptions {
  /** The inputs, by track id. Each is subscribed once per subscription to the output. */
  tracks: Record<string, Observable<AudioFrame>>;
  /** The format of the output and of every input frame (no resampling happens here). */
  format: AudioFormat;
  /** The output frame duration in ms; defaults to 20. */
  frameDurationMs?: number;
  /** Starting gains in dB by track id (0 dB for tracks not listed). */
  gainsDb?: Record<string, number>;
  /**
   * What advances the output:
   * - `'input'`: a frame is rendered as soon as every track that has not completed has at least one
   *   frame's worth of audio queued. No timers: right for files and other sources that can be read
   *   as fast as they arrive. A live track that goes quiet without completing holds the output back.
   * - `'clock'`: a frame is rendered every `frameDurationMs` on `scheduler`, the first at
   *   subscription; tracks that are short of audio at a tick contribute silence for what they lack.
   *   Right for live sources.
   *
   * Defaults to `'clock'` when a `scheduler` is given, otherwise `'input'`.
   */
  pacing?: 'input' | 'clock';
  /** The clock of `'clock'` pacing; defaults to the real-time scheduler. */
  scheduler?: SchedulerLike;
  /**
   * `'input'` pacing: the timestamp of the first output frame (each next one adds
   * `frameDurationMs`); defaults to 0. `'clock'` pacing stamps frames with their tick's due time.
   */
  startTimestamp?: number;
  /**
   * `'clock'` pacing: how far behind its schedule the clock may fall (a stalled event loop) before
   * it skips ahead instead of rendering every missed frame at once, in ms; defaults to 200.
   */
  maxCatchUpMs?: number;
}

/**
 * Mixes several frame streams into one, through a {@link Mixer}: sample-exact, summed with
 * saturation, each input at its starting gain (for ducking and crossfades at run time, drive a
 * `Mixer` directly).
 *
 * The output is cold: each subscription subscribes to every input and builds its own mixer.
 * See {@link MixTracksOptions.pacing} for what advances the output. It completes once every input
 * has completed and every queue is rendered — the last frame zero-padded — errors as soon as any
 * input errors or sends a frame in another format ({@link AudioFormatError}), and unsubscribing
 * unsubscribes every input and cancels the clock.
 *
 * @param options - inputs, format, pacing.
 * @returns the mixed frames.
 * @throws {@link InvalidArgumentError} (at call time) for an unknown id in `gainsDb` or bad numbers;
 * {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format.
 * @example
 * ```ts
 * import { mixTracks, readWav } from '@argentum/core';
 * import { from } from 'rxjs';
 *
 * const voice = readWav(voiceBytes);
 * const music = readWav(musicBytes);
 * // offline: as fast as the inputs allow
 * mixTracks({
 *   tracks: { voice: from(voice.frames()), music: from(music.frames()) },
 *   format: voice.format,
 *   gainsDb: { music: -18 },
 * }).subscribe((frame) => writer.write(frame));
 *
 * // live: one frame every 20 ms of the scheduler, whatever has arrived
 * mixTracks({ tracks: { agent: agentFrames$, user: micFrames$ }, format, scheduler }).subscribe(play);
 * ```
 */
export function mixTracks(options: MixTracksOptions): Observable<AudioFrame> {
  const ids = Object.keys(options.tracks);
  const gainsDb = options.gainsDb ?? {};
  for (const id of Object.keys(gainsDb)) {
    if (!ids.includes(id)) {
      throw new InvalidArgumentError('gainsDb', `'${id}' is not one of the tracks (${ids.join(', ')}).`);
    }
  }
  const pacing = options.pacing ?? (options.scheduler === undefined ? 'input' : 'clock');
  if (pacing !== 'input' && pacing !== 'clock') {
    throw new InvalidArgumentError('pacing', `expected 'input' or 'clock', got ${String(pacing)}.`);
  }
  const startTimestamp = assertNumber('startTimestamp', options.startTimestamp ?? 0);
  const maxCatchUpMs = assertNumber('maxCatchUpMs', options.maxCatchUpMs ?? 200, { min: 0 });
  const mixerOptions = {
    sampleRate: options.format.sampleRate,
    channels: options.format.channels,
    frameDurationMs: options.frameDurationMs,
  };
  // Validate the format and gains now, so mistakes throw at the call site.
  const probe = new Mixer(mixerOptions);
  for (const id of ids) probe.addTrack(id, { gainDb: gainsDb[id] });

  return new Observable<AudioFrame>((subscriber) => {
    const mixer = new Mixer(mixerOptions);
    const inputs = ids.map((id) => ({ track: mixer.addTrack(id, { gainDb: gainsDb[id] }), done: false }));
    const subscriptions: Subscription[] = [];
    let timer: Subscription | undefined;
    const allDrained = (): boolean => inputs.every((input) => input.done && input.track.bufferedLength === 0);

    // 'input' pacing: render while every live track has a full frame queued.
    let rendered = 0;
    const renderReady = (): void => {
      if (pacing !== 'input' || subscriber.closed) return;
      for (;;) {
        const live = inputs.filter((input) => !input.done);
        const ready =
          live.length > 0
            ? live.every((input) => input.track.bufferedLength >= mixer.frameLength)
            : inputs.some((input) => input.track.bufferedLength > 0);
        if (!ready) break;
        subscriber.next(mixer.render(startTimestamp + rendered * mixer.frameDurationMs));
        rendered++;
        if (subscriber.closed) return;
      }
      if (allDrained()) subscriber.complete();
    };

    for (const input of inputs) {
      if (subscriber.closed) break;
      subscriptions.push(subscribeTrack(input, options.tracks[input.track.id]!, subscriber, renderReady));
    }

    if (pacing === 'input') {
      renderReady();
    } else if (!subscriber.closed) {
      const scheduler = options.scheduler ?? realtimeScheduler;
      let anchor = scheduler.now();
      let ticks = 0;
      const tick = (): void => {
        const now = scheduler.now();
        if (now - (anchor + ticks * mixer.frameDurationMs) > maxCatchUpMs) {
          anchor = now - ticks * mixer.frameDurationMs;
        }
        while (anchor + ticks * mixer.frameDurationMs <= now) {
          if (allDrained()) {
            subscriber.complete();
            return;
          }
          subscriber.next(mixer.render(anchor + ticks * mixer.frameDurationMs));
          ticks++;
          if (subscriber.closed) return;
        }
        timer = scheduler.schedule(tick, anchor + ticks * mixer.frameDurationMs - now);
      };
      tick();
    }

    return () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      timer?.unsubscribe();
    };
  });
}

function subscribeTrack(
  input: { track: MixerTrack; done: boolean },
  frames: Observable<AudioFrame>,
  subscriber: { next(frame: AudioFrame): void; error(error: unknown): void; closed: boolean },
  onChange: () => void,
): Subscription {
  return frames.subscribe({
    next: (frame) => {
      try {
        input.track.push(frame);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      onChange();
    },
    error: (error: unknown) => subscriber.error(error),
    complete: () => {
      input.done = true;
      onChange();
    },
  });
}
