import { AudioFormatError } from '../errors/audio-errors';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { AudioFrame, SampleRate } from './audio-frame';
import { assertGainDb, decibelsToGain, GainEnvelope, type RampShape } from './gain-envelope';

/** Options of the gain changes of a {@link MixerTrack} (`setGain`, `duck`, `unduck`, `clear`, `remove`). */
export interface GainRampOptions {
  /**
   * How long the change ramps, in ms, linearly in amplitude. Defaults to the mixer's `maxRampMs`
   * (10 ms unless configured) and is clamped to it. `0` switches at the next sample and can click
   * on audible material: use it only when a hard cut is what you want.
   */
  rampMs?: number;
}

/**
 * What a {@link MixerTrack} needs from its mixer.
 * @internal
 */
export interface MixerTrackHost {
  readonly sampleRate: SampleRate;
  readonly channels: 1 | 2;
  readonly maxRampMs: number;
  /** The next per-channel sample index the mixer will render. */
  position(): number;
  /** Called by {@link MixerTrack.remove}. */
  detach(track: MixerTrack): void;
}

/**
 * One input of a {@link Mixer}: a FIFO queue of audio plus a gain envelope. Get one from
 * {@link Mixer.addTrack}.
 *
 * The queue is consumed at the mixer's pace, sample-exactly: each {@link Mixer.render} takes one
 * output frame's worth of samples from every track (fewer when the track runs short — the rest of
 * that track's share is silence). Pushed frames' timestamps are ignored; their order is what counts.
 *
 * Every gain change ramps linearly in amplitude over at most the mixer's `maxRampMs` (10 ms by
 * default), starting from the gain the last rendered sample had, so changes never click — even one
 * made in the middle of another ramp. The effective gain is `gainDb + duckDb` (both in dB).
 *
 * @example
 * ```ts
 * import { Mixer } from '@argentum/core';
 *
 * const mixer = new Mixer({ sampleRate: 16000, channels: 1 });
 * const speaker = mixer.addTrack('speaker');
 * speaker.push(ttsFrame);
 * speaker.duck(-12); // 10 ms ramp down to ~0.25 amplitude
 * const out = mixer.render(0);
 * ```
 */
export class MixerTrack {
  /** The track's id, unique within its mixer while the track is attached. */
  readonly id: string;
  private readonly host: MixerTrackHost;
  private readonly envelope: GainEnvelope;
  private userGainDb: number;
  private duckAmountDb = 0;
  private chunks: Int16Array[] = [];
  private head = 0;
  /** Offset, in interleaved samples, into `chunks[head]`. */
  private headOffset = 0;
  private length = 0;
  /**
   * The clear-fade tail at the front of the queue: samples per channel left, samples already
   * played, and the fade's full length (the slope is 1/tailLength per sample).
   */
  private tailRemaining = 0;
  private tailPlayed = 0;
  private tailLength = 0;
  private isRemoved = false;

  /**
   * Tracks are created by {@link Mixer.addTrack}.
   * @internal
   */
  constructor(id: string, host: MixerTrackHost, gainDb: number) {
    this.id = id;
    this.host = host;
    this.userGainDb = gainDb;
    this.envelope = new GainEnvelope(decibelsToGain(gainDb));
  }

  /** The gain set with {@link MixerTrack.setGain}, in dB (0 = unity, `-Infinity` = muted). */
  get gainDb(): number {
    return this.userGainDb;
  }

  /** The current duck attenuation in dB: 0 when not ducked, e.g. -12 while ducked by 12 dB. */
  get duckDb(): number {
    return this.duckAmountDb;
  }

  /** Whether the track is ducked ({@link MixerTrack.duckDb} below 0). */
  get ducked(): boolean {
    return this.duckAmountDb < 0;
  }

  /**
   * The linear gain of the last rendered sample — the gain "now", mid-ramp included (1 = unity,
   * 0 = silent). The next gain change ramps from here.
   */
  get currentGain(): number {
    return this.envelope.valueAt(this.host.position() - 1);
  }

  /** The linear amplitude the track's gain is ramping to (or holding). */
  get targetGain(): number {
    return this.envelope.target;
  }

  /** Queued audio not yet rendered, in samples per channel. */
  get bufferedLength(): number {
    return this.length;
  }

  /** Queued audio not yet rendered, in ms. */
  get bufferedMs(): number {
    return (this.length / this.host.sampleRate) * 1000;
  }

  /** Whether {@link MixerTrack.remove} was called; a removed track accepts no more calls. */
  get removed(): boolean {
    return this.isRemoved;
  }

  /**
   * Queues a frame at the end of the track.
   *
   * @param frame - audio in the mixer's format (rate and channel count). The frame is kept by
   * reference, not copied: do not modify it afterwards.
   * @throws {@link AudioFormatError} when the frame's rate or channel count differs from the
   * mixer's (resample or remix it first); {@link InvalidArgumentError} on a removed track.
   * @example
   * ```ts
   * for await (const frame of ttsFrames) track.push(frame);
   * ```
   */
  push(frame: AudioFrame): void {
    this.assertAttached();
    if (frame.sampleRate !== this.host.sampleRate || frame.channels !== this.host.channels) {
      throw new AudioFormatError(
        `Track '${this.id}' received a ${frame.sampleRate} Hz ${describeChannels(frame.channels)} frame, but the mixer runs at ${this.host.sampleRate} Hz ${describeChannels(this.host.channels)}: resample or convert the channels before pushing.`,
      );
    }
    if (!(frame.samples instanceof Int16Array) || frame.samples.length % frame.channels !== 0) {
      throw new AudioFormatError(
        `Track '${this.id}' received a frame whose samples are not interleaved PCM16 for ${frame.channels} channel(s): build frames with createAudioFrame.`,
      );
    }
    if (frame.samples.length === 0) return;
    this.chunks.push(frame.samples);
    this.length += frame.samples.length / frame.channels;
  }

  /**
   * Sets the track's gain, ramping to it from the current gain.
   *
   * @param gainDb - the new gain in dB: 0 = unity, negative attenuates, `-Infinity` mutes; at most
   * +96 dB (louder only saturates).
   * @param options - the ramp length (default and maximum: the mixer's `maxRampMs`).
   * @throws {@link InvalidArgumentError} for NaN, +Infinity or a gain above +96 dB, or a negative
   * ramp; on a removed track.
   * @example
   * ```ts
   * track.setGain(-6);                     // 10 ms ramp to half amplitude
   * track.setGain(-Infinity, { rampMs: 5 }); // mute over 5 ms
   * ```
   */
  setGain(gainDb: number, options: GainRampOptions = {}): void {
    this.assertAttached();
    this.userGainDb = assertGainDb('gainDb', gainDb);
    this.rampToTarget(options);
  }

  /**
   * Ducks the track: attenuates it by `amountDb` on top of its gain until {@link MixerTrack.unduck}.
   * Ducking again replaces the amount (ducks do not stack).
   *
   * @param amountDb - the attenuation, 0 or negative: -12 gives about 0.251 of the amplitude;
   * `-Infinity` silences.
   * @param options - the ramp length (default and maximum: the mixer's `maxRampMs`).
   * @throws {@link InvalidArgumentError} for a positive or NaN amount or a negative ramp; on a
   * removed track.
   * @example
   * ```ts
   * speaker.duck(-12);   // an interjection starts: speaker down 12 dB over 10 ms
   * speaker.unduck();    // it ended: back up over 10 ms
   * ```
   */
  duck(amountDb: number, options: GainRampOptions = {}): void {
    this.assertAttached();
    this.duckAmountDb = assertGainDb('amountDb', amountDb, 0);
    this.rampToTarget(options);
  }

  /**
   * Ends a duck: ramps back to the track's gain. A no-op ramp when the track is not ducked.
   *
   * @param options - the ramp length (default and maximum: the mixer's `maxRampMs`).
   * @throws {@link InvalidArgumentError} for a negative ramp; on a removed track.
   * @example
   * ```ts
   * speaker.unduck({ rampMs: 10 });
   * ```
   */
  unduck(options: GainRampOptions = {}): void {
    this.assertAttached();
    this.duckAmountDb = 0;
    this.rampToTarget(options);
  }

  /**
   * Drops the queued audio. To avoid a click, the first `rampMs` of the queue (10 ms by default)
   * still play, fading linearly to silence, and the rest is discarded; so right after `clear()`
   * {@link MixerTrack.bufferedMs} is at most that fade. Audio pushed afterwards plays after the fade.
   * `rampMs: 0` discards everything at once (a hard cut that can click).
   *
   * @param options - the fade length (default and maximum: the mixer's `maxRampMs`).
   * @throws {@link InvalidArgumentError} for a negative ramp; on a removed track.
   * @example
   * ```ts
   * // barge-in: the user started talking, stop the agent within 10 ms, click-free
   * agentTrack.clear();
   * ```
   */
  clear(options: GainRampOptions = {}): void {
    this.assertAttached();
    this.truncateToFade(this.rampLength(options));
  }

  /**
   * Removes the track from its mixer: its id is free for a new track at once, and the queued audio
   * is cleared as by {@link MixerTrack.clear} (the fade tail, if any, still plays). Calling it again
   * does nothing.
   *
   * @param options - the fade length (default and maximum: the mixer's `maxRampMs`); 0 cuts at once.
   * @throws {@link InvalidArgumentError} for a negative ramp.
   * @example
   * ```ts
   * track.remove();
   * mixer.track('speaker'); // undefined
   * ```
   */
  remove(options: GainRampOptions = {}): void {
    if (this.isRemoved) return;
    this.truncateToFade(this.rampLength(options));
    this.isRemoved = true;
    this.host.detach(this);
  }

  /**
   * Ramps to silence (`from`) or unity (`to`, duck cancelled) with a crossfade curve; used by
   * {@link Mixer.crossfade}.
   * @internal
   */
  startCrossfade(role: 'from' | 'to', length: number, curve: 'equal-power' | 'linear'): void {
    if (role === 'from') {
      this.userGainDb = Number.NEGATIVE_INFINITY;
    } else {
      this.userGainDb = 0;
      this.duckAmountDb = 0;
    }
    const shape: RampShape = curve === 'linear' ? 'linear' : role === 'from' ? 'sine-out' : 'sine-in';
    this.envelope.rampTo(this.targetGainFromState(), this.host.position(), length, shape);
  }

  /**
   * Adds the next `count` samples per channel of this track, times its gain, into `accumulator`
   * (interleaved), consuming them from the queue. `position` is the mixer's sample index of the
   * first one.
   * @internal
   */
  mixInto(accumulator: Float64Array, position: number, count: number): void {
    const channels = this.host.channels;
    let written = 0;
    while (written < count && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head]!;
      const available = (chunk.length - this.headOffset) / channels;
      const take = Math.min(available, count - written);
      this.mixChunk(accumulator, chunk, this.headOffset, written, position + written, take);
      written += take;
      this.length -= take;
      this.headOffset += take * channels;
      if (this.headOffset >= chunk.length) {
        this.head++;
        this.headOffset = 0;
      }
    }
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 64) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  private mixChunk(
    accumulator: Float64Array,
    chunk: Int16Array,
    chunkOffset: number,
    outputOffset: number,
    position: number,
    take: number,
  ): void {
    const channels = this.host.channels;
    const envelope = this.envelope;
    let output = outputOffset * channels;
    let input = chunkOffset;
    let index = 0;
    // The clear-fade tail, sample by sample.
    while (this.tailRemaining > 0 && index < take) {
      const fade = (this.tailLength - 1 - this.tailPlayed) / this.tailLength;
      const gain = envelope.valueAt(position + index) * fade;
      for (let c = 0; c < channels; c++) accumulator[output++]! += chunk[input++]! * gain;
      this.tailRemaining--;
      this.tailPlayed++;
      index++;
    }
    if (index === take) return;
    if (envelope.isSettledAt(position + index)) {
      const gain = envelope.target;
      if (gain === 0) return;
      const end = input + (take - index) * channels;
      if (gain === 1) {
        while (input < end) accumulator[output++]! += chunk[input++]!;
      } else {
        while (input < end) accumulator[output++]! += chunk[input++]! * gain;
      }
      return;
    }
    for (; index < take; index++) {
      const gain = envelope.valueAt(position + index);
      for (let c = 0; c < channels; c++) accumulator[output++]! += chunk[input++]! * gain;
    }
  }

  private truncateToFade(fadeLength: number): void {
    // A fade already under way keeps its slope: restarting it would step the gain back up.
    const fading = this.tailRemaining > 0;
    const keep = fading && fadeLength > 0 ? this.tailRemaining : Math.min(this.length, fadeLength);
    if (keep === 0 || (this.currentGain === 0 && this.envelope.target === 0)) {
      this.chunks = [];
      this.head = 0;
      this.headOffset = 0;
      this.length = 0;
      this.tailRemaining = 0;
      return;
    }
    const channels = this.host.channels;
    const kept: Int16Array[] = [];
    let needed = keep;
    let offset = this.headOffset;
    for (let i = this.head; needed > 0 && i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      const take = Math.min((chunk.length - offset) / channels, needed);
      kept.push(chunk.subarray(offset, offset + take * channels));
      needed -= take;
      offset = 0;
    }
    this.chunks = kept;
    this.head = 0;
    this.headOffset = 0;
    this.length = keep;
    if (!fading) {
      this.tailRemaining = keep;
      this.tailPlayed = 0;
      this.tailLength = fadeLength;
    }
  }

  private rampToTarget(options: GainRampOptions): void {
    this.envelope.rampTo(this.targetGainFromState(), this.host.position(), this.rampLength(options));
  }

  private targetGainFromState(): number {
    return decibelsToGain(this.userGainDb) * decibelsToGain(this.duckAmountDb);
  }

  private rampLength(options: GainRampOptions): number {
    const maxRampMs = this.host.maxRampMs;
    const rampMs =
      options.rampMs === undefined
        ? maxRampMs
        : Math.min(assertNumber('rampMs', options.rampMs, { min: 0 }), maxRampMs);
    return Math.round((rampMs * this.host.sampleRate) / 1000);
  }

  private assertAttached(): void {
    if (this.isRemoved) {
      throw new InvalidArgumentError(
        'track',
        `track '${this.id}' was removed from its mixer; add a new one with mixer.addTrack('${this.id}').`,
      );
    }
  }
}

function describeChannels(channels: number): string {
  return channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels}-channel`;
}
