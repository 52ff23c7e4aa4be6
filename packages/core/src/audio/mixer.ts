import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import {
  type AudioFormat,
  type AudioFrame,
  assertChannels,
  assertSampleRate,
  DEFAULT_FRAME_DURATION_MS,
  type SampleRate,
  samplesPerDuration,
} from './audio-frame';
import { assertGainDb } from './gain-envelope';
import { MixerTrack, type MixerTrackHost } from './mixer-track';

/** The default and usual ceiling of a gain ramp, in ms: long enough not to click, short enough to feel instant. */
export const DEFAULT_MAX_RAMP_MS = 10;

/** Options of the {@link Mixer} constructor. */
export interface MixerOptions {
  /** The output (and every track's) sample rate. */
  sampleRate: number;
  /** The output (and every track's) channel count, 1 or 2; defaults to 1. */
  channels?: number;
  /** The duration of each rendered frame in ms; defaults to 20. Must be a whole number of samples. */
  frameDurationMs?: number;
  /**
   * The longest gain ramp in ms; requested ramps are clamped to it and it is the default ramp.
   * Defaults to {@link DEFAULT_MAX_RAMP_MS} (10 ms).
   */
  maxRampMs?: number;
}

/** Options of {@link Mixer.addTrack}. */
export interface MixerTrackOptions {
  /** The track's starting gain in dB (no ramp: the track is silent until audio is pushed); defaults to 0. */
  gainDb?: number;
}

/** Options of {@link Mixer.crossfade}. */
export interface CrossfadeOptions {
  /**
   * The fade curves. `equal-power` (default): the outgoing gain follows `cos(p·π/2)` and the incoming
   * one `sin(p·π/2)`, so two uncorrelated voices keep a constant loudness through the fade.
   * `linear`: the gains move by equal steps (`1 − p` and `p`), so two copies of the same signal sum
   * to a constant amplitude.
   */
  curve?: 'equal-power' | 'linear';
}

/**
 * Mixes any number of tracks into one stream of frames in one format — the pull-based core of
 * Argentum's audio output. Each {@link MixerTrack} is a FIFO queue with a gain envelope; every
 * {@link Mixer.render} pulls exactly one `frameDurationMs` frame from all of them, sums them in
 * floating point and rounds with saturation to PCM16 (loud sums clip at ±32767/−32768, they never
 * wrap around). Tracks that have no audio contribute silence; partial queues are consumed
 * sample-exactly across frames.
 *
 * Gain changes (`setGain`, `duck`, `unduck`) ramp linearly in amplitude over at most `maxRampMs`
 * (10 ms by default), from the gain of the last rendered sample, so they never click; a
 * {@link Mixer.crossfade} swaps two tracks over a duration you choose.
 *
 * The mixer does no timing itself: call `render` from a clock (see {@link mixTracks} for an RxJS
 * face, or `paceFrames` downstream) or as fast as you like offline.
 *
 * @example
 * ```ts
 * import { Mixer, silentFrame } from '@argentum/core';
 *
 * const mixer = new Mixer({ sampleRate: 24000, channels: 1 });
 * const agent = mixer.addTrack('agent');
 * const music = mixer.addTrack('music', { gainDb: -18 });
 * agent.push(ttsFrame);
 * music.push(musicFrame);
 * const frame = mixer.render(0); // 20 ms, 480 samples
 * agent.duck(-12);               // an interjection: agent down to ~0.25 amplitude within 10 ms
 * mixer.crossfade('agent', 'interrupter', 40); // hard interrupt: swap voices over 40 ms
 * ```
 */
export class Mixer {
  /** The output sample rate, in Hz. */
  readonly sampleRate: SampleRate;
  /** The output channel count. */
  readonly channels: 1 | 2;
  /** The duration of each rendered frame, in ms. */
  readonly frameDurationMs: number;
  /** The length of each rendered frame, in samples per channel. */
  readonly frameLength: number;
  /** The longest (and default) gain ramp, in ms. */
  readonly maxRampMs: number;
  private readonly tracks = new Map<string, MixerTrack>();
  /** Removed tracks whose clear-fade tail is still playing. */
  private draining: MixerTrack[] = [];
  private readonly accumulator: Float64Array;
  private renderedLength = 0;
  private readonly host: MixerTrackHost;

  /**
   * @param options - format, frame duration and ramp ceiling.
   * @throws {@link UnsupportedSampleRateError} for an unsupported rate; {@link AudioFormatError} for
   * a channel count other than 1 or 2; {@link InvalidArgumentError} for a frame duration that is
   * not a positive whole number of samples or a negative `maxRampMs`.
   */
  constructor(options: MixerOptions) {
    this.sampleRate = assertSampleRate(options.sampleRate);
    this.channels = assertChannels(options.channels ?? 1);
    this.frameDurationMs = options.frameDurationMs ?? DEFAULT_FRAME_DURATION_MS;
    this.frameLength = samplesPerDuration(this.sampleRate, this.frameDurationMs);
    this.maxRampMs = assertNumber('maxRampMs', options.maxRampMs ?? DEFAULT_MAX_RAMP_MS, { min: 0 });
    this.accumulator = new Float64Array(this.frameLength * this.channels);
    this.host = {
      sampleRate: this.sampleRate,
      channels: this.channels,
      maxRampMs: this.maxRampMs,
      position: () => this.renderedLength,
      detach: (track) => this.detach(track),
    };
  }

  /** The output format, `{ sampleRate, channels }`. */
  get format(): AudioFormat {
    return { sampleRate: this.sampleRate, channels: this.channels };
  }

  /** The ids of the attached tracks, in the order they were added. */
  get trackIds(): string[] {
    return [...this.tracks.keys()];
  }

  /** How much audio has been rendered so far, in ms. */
  get renderedMs(): number {
    return (this.renderedLength / this.sampleRate) * 1000;
  }

  /**
   * Adds a track.
   *
   * @param id - a name unique among the attached tracks (a removed track's id can be reused).
   * @param options - the starting gain.
   * @returns the track handle: push audio to it and change its gain through it.
   * @throws {@link InvalidArgumentError} for an empty or taken id, or an invalid gain.
   * @example
   * ```ts
   * const agent = mixer.addTrack('agent-1');
   * const bed = mixer.addTrack('ambience', { gainDb: -24 });
   * ```
   */
  addTrack(id: string, options: MixerTrackOptions = {}): MixerTrack {
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidArgumentError('id', `expected a non-empty string, got ${JSON.stringify(id)}.`);
    }
    if (this.tracks.has(id)) {
      throw new InvalidArgumentError(
        'id',
        `a track '${id}' is already attached to this mixer: pick another id or remove that track first.`,
      );
    }
    const track = new MixerTrack(id, this.host, assertGainDb('gainDb', options.gainDb ?? 0));
    this.tracks.set(id, track);
    return track;
  }

  /**
   * Looks up an attached track.
   *
   * @param id - the track's id.
   * @returns the track, or `undefined` when no attached track has that id.
   * @example
   * ```ts
   * mixer.track('agent-1')?.duck(-12);
   * ```
   */
  track(id: string): MixerTrack | undefined {
    return this.tracks.get(id);
  }

  /**
   * Crossfades from one track to another over `durationMs`: `fromId` fades from its current gain to
   * silence (its gain becomes `-Infinity` dB: raise it again with `setGain`), while `toId` fades from
   * its current gain — silent, ducked, whatever it was — to unity (its gain becomes 0 dB). A
   * crossfade cancels any duck on `toId`. Both tracks keep consuming their queues meanwhile. The duration is not clamped to `maxRampMs`; 0 switches at once (and
   * can click). A gain change on either track during the crossfade takes over from the gain it has
   * reached.
   *
   * @param fromId - the outgoing track.
   * @param toId - the incoming track.
   * @param durationMs - the fade length in ms, ≥ 0.
   * @param options - the curve: `equal-power` (default) or `linear`.
   * @throws {@link InvalidArgumentError} for unknown or identical ids, a negative duration or an
   * unknown curve.
   * @example
   * ```ts
   * // hard interrupt at a safe beat: the speaker gives way to the interrupter (who was ducked)
   * mixer.crossfade('speaker', 'interrupter', 30);
   * ```
   */
  crossfade(fromId: string, toId: string, durationMs: number, options: CrossfadeOptions = {}): void {
    const from = this.requireTrack('fromId', fromId);
    const to = this.requireTrack('toId', toId);
    if (from === to) {
      throw new InvalidArgumentError('toId', `cannot crossfade track '${fromId}' into itself.`);
    }
    assertNumber('durationMs', durationMs, { min: 0 });
    const curve = options.curve ?? 'equal-power';
    if (curve !== 'equal-power' && curve !== 'linear') {
      throw new InvalidArgumentError('curve', `expected 'equal-power' or 'linear', got ${String(curve)}.`);
    }
    const length = Math.round((durationMs * this.sampleRate) / 1000);
    from.startCrossfade('from', length, curve);
    to.startCrossfade('to', length, curve);
  }

  /**
   * Renders the next output frame: `frameDurationMs` of every track's queue, with gains applied,
   * summed and saturated to PCM16.
   *
   * @param timestamp - the output frame's timestamp, in ms on your scheduler's clock.
   * @returns a new frame of exactly `frameLength` samples per channel.
   * @throws {@link InvalidArgumentError} for a non-finite timestamp.
   * @example
   * ```ts
   * let t = 0;
   * while (mixer.track('agent')!.bufferedMs > 0) {
   *   speaker.write(frameToPcm16Bytes(mixer.render(t)));
   *   t += mixer.frameDurationMs;
   * }
   * ```
   */
  render(timestamp: number): AudioFrame {
    assertNumber('timestamp', timestamp);
    const accumulator = this.accumulator;
    accumulator.fill(0);
    const position = this.renderedLength;
    for (const track of this.tracks.values()) track.mixInto(accumulator, position, this.frameLength);
    if (this.draining.length > 0) {
      for (const track of this.draining) track.mixInto(accumulator, position, this.frameLength);
      this.draining = this.draining.filter((track) => track.bufferedLength > 0);
    }
    this.renderedLength += this.frameLength;
    const samples = new Int16Array(accumulator.length);
    for (let i = 0; i < accumulator.length; i++) {
      const value = Math.round(accumulator[i]!);
      samples[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
    }
    return { samples, sampleRate: this.sampleRate, channels: this.channels, timestamp };
  }

  private requireTrack(argument: string, id: string): MixerTrack {
    const track = this.tracks.get(id);
    if (track === undefined) {
      throw new InvalidArgumentError(
        argument,
        `no track '${id}' is attached to this mixer (attached: ${this.trackIds.map((t) => `'${t}'`).join(', ') || 'none'}).`,
      );
    }
    return track;
  }

  private detach(track: MixerTrack): void {
    if (this.tracks.get(track.id) === track) this.tracks.delete(track.id);
    if (track.bufferedLength > 0) this.draining.push(track);
  }
}
