import { Observable, type OperatorFunction } from 'rxjs';
import { AudioFormatError } from '../errors/audio-errors';
import { assertNumber } from '../internal/validate';
import {
  type AudioFrame,
  assertChannels,
  assertSampleRate,
  DEFAULT_FRAME_DURATION_MS,
  type SampleRate,
  samplesPerDuration,
} from './audio-frame';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Chunks shorter than this are copied byte by byte: cheaper than creating a subarray view. */
const SMALL_CHUNK_BYTES = 32;
/** Returned by pushes that complete no frame, so tiny chunks allocate nothing. */
const NO_FRAMES: readonly AudioFrame[] = Object.freeze([]);

/** Options of {@link AudioFramer} and {@link frameAudio}. */
export interface AudioFramerOptions {
  /** Sample rate of the incoming PCM16 bytes in Hz, one of {@link SUPPORTED_SAMPLE_RATES}. */
  sampleRate: number;
  /** Channel count of the incoming (interleaved) bytes, 1 or 2; defaults to 1. */
  channels?: number;
  /**
   * Duration of each emitted frame in ms; defaults to {@link DEFAULT_FRAME_DURATION_MS} (20). It
   * must be a whole number of samples at `sampleRate` (10 ms at 22 050 Hz is not).
   */
  frameDurationMs?: number;
  /** Timestamp of the first frame in ms; defaults to 0. Frame `n` is stamped `startTimestamp + n × frameDurationMs`. */
  startTimestamp?: number;
  /**
   * What {@link AudioFramer.flush} does with a last partial frame: `true` (the default) zero-pads it
   * to a full frame so every frame has the same length; `false` emits it short, padded only up to
   * the next whole sample on every channel.
   */
  padLast?: boolean;
}

/**
 * Cuts a stream of PCM16 little-endian bytes, arriving in chunks of any size, into frames of exactly
 * `frameDurationMs` (20 ms by default).
 *
 * Bytes are copied straight into a preallocated frame buffer (one `memcpy` per chunk and frame
 * boundary, never a concatenation), so the cost per frame is flat whatever the chunk size: one
 * byte at a time, a 20 ms chunk, or minutes of audio at once. Whatever does not fill a frame —
 * including an odd trailing byte or half of a stereo sample — is carried over to the next
 * {@link AudioFramer.push}. Each emitted frame owns its own `Int16Array`.
 *
 * Timestamps advance by exactly one frame duration per frame from `startTimestamp`, computed as
 * `startTimestamp + index × frameDurationMs` so no rounding error accumulates.
 *
 * @example
 * ```ts
 * import { AudioFramer } from '@argentum/core';
 *
 * const framer = new AudioFramer({ sampleRate: 48000 }); // 20 ms = 960 samples = 1920 bytes
 * framer.push(new Uint8Array(1000)); // [] — 1000 bytes carried
 * framer.push(new Uint8Array(3000)); // [frame at 0 ms, frame at 20 ms]; 80 bytes carried
 * framer.flush(); // the last 80 bytes, zero-padded to a full frame at 40 ms
 * ```
 */
export class AudioFramer {
  /** Sample rate of the input and of every emitted frame. */
  readonly sampleRate: SampleRate;
  /** Channel count of the input and of every emitted frame. */
  readonly channels: 1 | 2;
  /** Duration of each emitted frame in ms. */
  readonly frameDurationMs: number;
  /** Samples per channel in each full frame (`sampleRate × frameDurationMs / 1000`). */
  readonly samplesPerFrame: number;
  /** Whether {@link AudioFramer.flush} zero-pads the last partial frame to full length. */
  readonly padLast: boolean;

  readonly #frameBytes: number;
  #startTimestamp: number;
  #frameIndex = 0;
  #samples: Int16Array;
  #bytes: Uint8Array;
  #filled = 0;

  /**
   * @param options - input format, frame duration, first timestamp and flush padding.
   * @throws {@link UnsupportedSampleRateError} for an unsupported rate; {@link AudioFormatError}
   * for a channel count other than 1 or 2; {@link InvalidArgumentError} for a frame duration that
   * is not a whole, positive number of samples or a non-finite start timestamp.
   */
  constructor(options: AudioFramerOptions) {
    this.sampleRate = assertSampleRate(options.sampleRate);
    this.channels = assertChannels(options.channels ?? 1);
    this.frameDurationMs = options.frameDurationMs ?? DEFAULT_FRAME_DURATION_MS;
    this.samplesPerFrame = samplesPerDuration(this.sampleRate, this.frameDurationMs);
    this.#startTimestamp = assertNumber('startTimestamp', options.startTimestamp ?? 0);
    this.padLast = options.padLast ?? true;
    this.#frameBytes = this.samplesPerFrame * this.channels * 2;
    this.#samples = new Int16Array(this.samplesPerFrame * this.channels);
    this.#bytes = new Uint8Array(this.#samples.buffer);
  }

  /** Bytes received but not yet emitted in a frame (always less than one frame). */
  get bufferedBytes(): number {
    return this.#filled;
  }

  /** Timestamp the next emitted frame will carry, in ms. */
  get nextTimestamp(): number {
    return this.#startTimestamp + this.#frameIndex * this.frameDurationMs;
  }

  /**
   * Adds a chunk of PCM16 LE bytes and returns every frame it completes (often none).
   *
   * @param bytes - any number of bytes, even or odd; a Node `Buffer` works too. The chunk is
   * copied, so the caller may reuse it afterwards.
   * @returns the completed frames in order, possibly empty (a shared, frozen empty array when the
   * chunk completes no frame — copy it before mutating).
   * @throws {@link AudioFormatError} when `bytes` is not a `Uint8Array`.
   * @example
   * ```ts
   * socket.on('message', (chunk: Buffer) => {
   *   for (const frame of framer.push(chunk)) vad.score(frame);
   * });
   * ```
   */
  push(bytes: Uint8Array): readonly AudioFrame[] {
    if (!(bytes instanceof Uint8Array)) {
      throw new AudioFormatError(
        'AudioFramer.push expects PCM16 bytes as a Uint8Array (or Buffer); convert Int16Array samples with samplesToPcm16Bytes first.',
      );
    }
    const length = bytes.length;
    const frameBytes = this.#frameBytes;
    if (length < SMALL_CHUNK_BYTES && this.#filled + length < frameBytes) {
      const target = this.#bytes;
      let filled = this.#filled;
      for (let i = 0; i < length; i++) target[filled++] = bytes[i]!;
      this.#filled = filled;
      return NO_FRAMES;
    }
    let frames: AudioFrame[] | undefined;
    let offset = 0;
    while (offset < length) {
      const take = Math.min(frameBytes - this.#filled, length - offset);
      if (take < SMALL_CHUNK_BYTES) {
        const target = this.#bytes;
        let filled = this.#filled;
        for (let i = offset, end = offset + take; i < end; i++) target[filled++] = bytes[i]!;
      } else if (offset === 0 && take === length) {
        this.#bytes.set(bytes, this.#filled);
      } else {
        this.#bytes.set(bytes.subarray(offset, offset + take), this.#filled);
      }
      this.#filled += take;
      offset += take;
      if (this.#filled === frameBytes) {
        const frame = this.#emit(this.#samples);
        if (frames === undefined) frames = [frame];
        else frames.push(frame);
      }
    }
    return frames ?? NO_FRAMES;
  }

  /**
   * Emits what is left as a last frame: zero-padded to full length, or — with `padLast: false` —
   * short, padded only to the next whole sample on every channel. The framer is then empty and
   * ready for more bytes; timestamps continue where they were.
   *
   * @returns the last frame, or `undefined` when no bytes were pending.
   * @example
   * ```ts
   * const last = framer.flush();
   * if (last) speaker.write(last);
   * ```
   */
  flush(): AudioFrame | undefined {
    if (this.#filled === 0) return undefined;
    if (this.padLast) {
      this.#bytes.fill(0, this.#filled);
      return this.#emit(this.#samples);
    }
    const sampleFrameBytes = 2 * this.channels;
    const keptBytes = Math.ceil(this.#filled / sampleFrameBytes) * sampleFrameBytes;
    this.#bytes.fill(0, this.#filled, keptBytes);
    return this.#emit(this.#samples.slice(0, keptBytes / 2));
  }

  /**
   * Drops any buffered bytes and restarts the timeline.
   *
   * @param startTimestamp - timestamp of the next frame; defaults to the original start timestamp.
   * @example
   * ```ts
   * framer.reset(scheduler.now()); // a new utterance starts now
   * ```
   */
  reset(startTimestamp: number = this.#startTimestamp): void {
    this.#startTimestamp = assertNumber('startTimestamp', startTimestamp);
    this.#frameIndex = 0;
    this.#filled = 0;
  }

  #emit(samples: Int16Array): AudioFrame {
    if (!LITTLE_ENDIAN) swapBytes(samples);
    const frame: AudioFrame = {
      samples,
      sampleRate: this.sampleRate,
      channels: this.channels,
      timestamp: this.#startTimestamp + this.#frameIndex * this.frameDurationMs,
    };
    this.#frameIndex++;
    this.#filled = 0;
    if (samples === this.#samples) {
      this.#samples = new Int16Array(this.#samples.length);
      this.#bytes = new Uint8Array(this.#samples.buffer);
    }
    return frame;
  }
}

/** Converts the bytes of LE samples to the host's order on big-endian platforms. */
function swapBytes(samples: Int16Array): void {
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    samples[i] = ((value & 0xff) << 8) | ((value >> 8) & 0xff);
  }
}

/**
 * Operator: PCM16 LE byte chunks of any size in, exact `frameDurationMs` frames out (20 ms by
 * default). On completion the last partial frame is emitted zero-padded (or short with
 * `padLast: false`), then the output completes; errors pass through after nothing is flushed.
 *
 * Cold: each subscription gets its own {@link AudioFramer}, so timestamps restart at
 * `startTimestamp`. Unsubscribing unsubscribes from the source.
 *
 * @param options - input format, frame duration, first timestamp and flush padding.
 * @returns an operator from byte chunks to {@link AudioFrame}s.
 * @throws {@link UnsupportedSampleRateError}, {@link AudioFormatError} or
 * {@link InvalidArgumentError} at call time for invalid options (see {@link AudioFramer}).
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { frameAudio } from '@argentum/core';
 *
 * from([new Uint8Array(500), new Uint8Array(700)])
 *   .pipe(frameAudio({ sampleRate: 16000 })) // 20 ms = 640 bytes
 *   .subscribe((frame) => console.log(frame.timestamp, frame.samples.length)); // 0 320, then 20 320
 * ```
 */
export function frameAudio(options: AudioFramerOptions): OperatorFunction<Uint8Array, AudioFrame> {
  new AudioFramer(options); // validate the options at call time, not at subscription
  return (source) =>
    new Observable<AudioFrame>((subscriber) => {
      const framer = new AudioFramer(options);
      return source.subscribe({
        next: (bytes) => {
          let frames: readonly AudioFrame[];
          try {
            frames = framer.push(bytes);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const frame of frames) subscriber.next(frame);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          const last = framer.flush();
          if (last) subscriber.next(last);
          subscriber.complete();
        },
      });
    });
}
