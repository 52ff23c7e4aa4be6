import { AudioFormatError, UnsupportedSampleRateError } from '../errors/audio-errors';
import { assertNumber } from '../internal/validate';

/**
 * The sample rates Argentum processes, in Hz: telephony (8 kHz), wideband speech (16 kHz), the TTS
 * vendors' rates (22.05 and 24 kHz) and the device rates (44.1 and 48 kHz).
 */
export const SUPPORTED_SAMPLE_RATES = [8000, 16000, 22050, 24000, 44100, 48000] as const;

/** One of {@link SUPPORTED_SAMPLE_RATES}. */
export type SampleRate = (typeof SUPPORTED_SAMPLE_RATES)[number];

/** The default frame length: 20 ms, the cadence of WebRTC, telephony and most TTS streams. */
export const DEFAULT_FRAME_DURATION_MS = 20;

/**
 * A block of audio: interleaved signed 16-bit PCM samples with their format and start time.
 *
 * Frames are treated as immutable once created: operators return new frames rather than writing
 * into their input.
 */
export interface AudioFrame {
  /** Interleaved PCM16 samples (`L R L R …` for stereo). Length is a multiple of `channels`. */
  readonly samples: Int16Array;
  /** Samples per second per channel, one of {@link SUPPORTED_SAMPLE_RATES}. */
  readonly sampleRate: SampleRate;
  /** 1 (mono) or 2 (stereo). */
  readonly channels: 1 | 2;
  /** Start time of the first sample, in milliseconds on the pipeline's scheduler clock. */
  readonly timestamp: number;
}

/** The format of a stream of frames: rate and channel count. */
export interface AudioFormat {
  /** Samples per second per channel. */
  sampleRate: SampleRate;
  /** 1 (mono) or 2 (stereo). */
  channels: 1 | 2;
}

/** Input of {@link createAudioFrame}: any rate and channel count, validated on creation. */
export interface AudioFrameInit {
  /** Interleaved PCM16 samples. */
  samples: Int16Array;
  /** Sample rate in Hz (validated against {@link SUPPORTED_SAMPLE_RATES}). */
  sampleRate: number;
  /** Channel count (1 or 2). */
  channels: number;
  /** Start time in scheduler milliseconds; defaults to 0. */
  timestamp?: number;
}

/**
 * Checks that `sampleRate` is one of {@link SUPPORTED_SAMPLE_RATES}.
 *
 * @param sampleRate - a rate in Hz.
 * @returns the rate, narrowed to {@link SampleRate}.
 * @throws {@link UnsupportedSampleRateError} for any other value.
 * @example
 * ```ts
 * const rate = assertSampleRate(Number(process.env.RATE ?? 16000));
 * ```
 */
export function assertSampleRate(sampleRate: number): SampleRate {
  if (!(SUPPORTED_SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
    throw new UnsupportedSampleRateError(sampleRate, SUPPORTED_SAMPLE_RATES);
  }
  return sampleRate as SampleRate;
}

/**
 * Checks that `channels` is 1 or 2.
 *
 * @param channels - a channel count.
 * @returns the count, narrowed to `1 | 2`.
 * @throws {@link AudioFormatError} for any other value.
 * @example
 * ```ts
 * const channels = assertChannels(header.channels);
 * ```
 */
export function assertChannels(channels: number): 1 | 2 {
  if (channels !== 1 && channels !== 2) {
    throw new AudioFormatError(
      `Unsupported channel count ${channels}: Argentum processes mono (1) or stereo (2).`,
    );
  }
  return channels;
}

/**
 * Creates a validated {@link AudioFrame}. The samples are used as given (not copied).
 *
 * @param init - samples, rate, channels and timestamp.
 * @returns the frame.
 * @throws {@link UnsupportedSampleRateError} for an unsupported rate; {@link AudioFormatError} when
 * the channel count is not 1 or 2 or the sample count is not a multiple of it;
 * {@link InvalidArgumentError} for a non-finite timestamp.
 * @example
 * ```ts
 * const frame = createAudioFrame({ samples: new Int16Array(320), sampleRate: 16000, channels: 1, timestamp: 0 });
 * frameDurationMs(frame); // 20
 * ```
 */
export function createAudioFrame(init: AudioFrameInit): AudioFrame {
  const sampleRate = assertSampleRate(init.sampleRate);
  const channels = assertChannels(init.channels);
  if (!(init.samples instanceof Int16Array)) {
    throw new AudioFormatError('AudioFrame samples must be an Int16Array of PCM16 values.');
  }
  if (init.samples.length % channels !== 0) {
    throw new AudioFormatError(
      `Sample count ${init.samples.length} is not a multiple of the channel count ${channels}: interleaved audio needs a sample for every channel.`,
    );
  }
  const timestamp = assertNumber('timestamp', init.timestamp ?? 0);
  return { samples: init.samples, sampleRate, channels, timestamp };
}

/**
 * The number of samples per channel in a frame.
 *
 * @param frame - any frame.
 * @returns `samples.length / channels`.
 * @example
 * ```ts
 * frameLength(silentFrame({ sampleRate: 48000, channels: 2 })); // 960
 * ```
 */
export function frameLength(frame: AudioFrame): number {
  return frame.samples.length / frame.channels;
}

/**
 * The duration of a frame in milliseconds.
 *
 * @param frame - any frame.
 * @returns duration in ms (e.g. 20 for 320 mono samples at 16 kHz).
 * @example
 * ```ts
 * frameDurationMs(silentFrame({ sampleRate: 16000, channels: 1, durationMs: 30 })); // 30
 * ```
 */
export function frameDurationMs(frame: AudioFrame): number {
  return (frame.samples.length / frame.channels / frame.sampleRate) * 1000;
}

/**
 * The number of samples per channel that `durationMs` takes at `sampleRate`, which must be whole.
 *
 * @param sampleRate - rate in Hz.
 * @param durationMs - duration in ms.
 * @returns samples per channel.
 * @throws {@link InvalidArgumentError} when the duration is not a whole number of samples.
 * @example
 * ```ts
 * samplesPerDuration(22050, 20); // 441
 * ```
 */
export function samplesPerDuration(sampleRate: number, durationMs: number): number {
  assertNumber('durationMs', durationMs, { above: 0 });
  const samples = (sampleRate * durationMs) / 1000;
  return assertNumber('durationMs', samples, { integer: true, min: 1 });
}

/** Options of {@link silentFrame}. */
export interface SilentFrameOptions {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Channel count; defaults to 1. */
  channels?: number;
  /** Duration in ms; defaults to {@link DEFAULT_FRAME_DURATION_MS}. */
  durationMs?: number;
  /** Start time; defaults to 0. */
  timestamp?: number;
}

/**
 * Creates a frame of digital silence.
 *
 * @param options - rate, channels, duration and timestamp.
 * @returns a zero-filled frame.
 * @example
 * ```ts
 * const gap = silentFrame({ sampleRate: 24000, durationMs: 100, timestamp: 500 });
 * ```
 */
export function silentFrame(options: SilentFrameOptions): AudioFrame {
  const channels = options.channels ?? 1;
  const length = samplesPerDuration(options.sampleRate, options.durationMs ?? DEFAULT_FRAME_DURATION_MS);
  return createAudioFrame({
    samples: new Int16Array(length * channels),
    sampleRate: options.sampleRate,
    channels,
    timestamp: options.timestamp ?? 0,
  });
}
