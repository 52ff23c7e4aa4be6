import { AudioFormatError, InvalidSampleError } from '../errors/audio-errors';
import { type AudioFrame, createAudioFrame } from './audio-frame';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads PCM16 little-endian bytes as samples. When the bytes are 2-byte aligned and the platform is
 * little-endian (every platform Node runs on in practice), the result is a view over the same memory
 * — no copy; otherwise the samples are copied.
 *
 * @param bytes - PCM16 LE bytes; the length must be even.
 * @returns the samples.
 * @throws {@link AudioFormatError} for an odd byte length.
 * @example
 * ```ts
 * const samples = pcm16BytesToSamples(new Uint8Array([0x01, 0x00, 0xff, 0xff])); // Int16Array [1, -1]
 * ```
 */
export function pcm16BytesToSamples(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) {
    throw new AudioFormatError(
      `PCM16 data has an odd length of ${bytes.byteLength} bytes: every sample takes 2 bytes. Carry the last byte over to the next chunk (frameAudio does this).`,
    );
  }
  const count = bytes.byteLength / 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
    return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  }
  const samples = new Int16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/**
 * Writes samples as PCM16 little-endian bytes; a view over the same memory on little-endian
 * platforms.
 *
 * @param samples - PCM16 samples.
 * @returns LE bytes, `2 × samples.length` long.
 * @example
 * ```ts
 * socket.send(samplesToPcm16Bytes(frame.samples));
 * ```
 */
export function samplesToPcm16Bytes(samples: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}

/** Format and time of a frame built from raw bytes or floats. */
export interface FrameFormatInit {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Channel count, 1 or 2; defaults to 1. */
  channels?: number;
  /** Start time in scheduler ms; defaults to 0. */
  timestamp?: number;
}

/**
 * Builds a frame from PCM16 LE bytes (zero-copy where alignment allows).
 *
 * @param bytes - PCM16 LE bytes.
 * @param format - rate, channels and timestamp.
 * @returns the validated frame.
 * @throws {@link AudioFormatError} for odd byte lengths or sample counts that do not fill every
 * channel; {@link UnsupportedSampleRateError} for unsupported rates.
 * @example
 * ```ts
 * const frame = pcm16BytesToFrame(chunk, { sampleRate: 24000, timestamp: scheduler.now() });
 * ```
 */
export function pcm16BytesToFrame(bytes: Uint8Array, format: FrameFormatInit): AudioFrame {
  return createAudioFrame({
    samples: pcm16BytesToSamples(bytes),
    sampleRate: format.sampleRate,
    channels: format.channels ?? 1,
    timestamp: format.timestamp ?? 0,
  });
}

/**
 * A frame's samples as PCM16 LE bytes.
 *
 * @param frame - any frame.
 * @returns LE bytes (a view on little-endian platforms).
 * @example
 * ```ts
 * process.stdout.write(frameToPcm16Bytes(frame));
 * ```
 */
export function frameToPcm16Bytes(frame: AudioFrame): Uint8Array {
  return samplesToPcm16Bytes(frame.samples);
}

/**
 * Converts PCM16 samples to floats in [-1, 1) (divides by 32768).
 *
 * @param samples - PCM16 samples.
 * @returns floats of the same length.
 * @example
 * ```ts
 * int16ToFloat32(new Int16Array([-32768, 16384])); // Float32Array [-1, 0.5]
 * ```
 */
export function int16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/**
 * Converts floats to PCM16 with rounding and saturation (values beyond ±1 clip, never wrap).
 *
 * @param samples - float samples, nominally in [-1, 1].
 * @returns PCM16 samples.
 * @throws {@link InvalidSampleError} naming the first NaN or ±Infinity.
 * @example
 * ```ts
 * float32ToInt16(new Float32Array([0.5, 2])); // Int16Array [16384, 32767]
 * ```
 */
export function float32ToInt16(samples: Float32Array | Float64Array | readonly number[]): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    if (!Number.isFinite(value)) throw new InvalidSampleError(i, value);
    const scaled = Math.round(value * 32768);
    out[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
  }
  return out;
}

/**
 * Duplicates a mono frame into both channels of a stereo frame.
 *
 * @param frame - a mono frame (a stereo frame is returned unchanged).
 * @returns a stereo frame with the same timestamp.
 * @example
 * ```ts
 * const stereo = monoToStereo(frame);
 * ```
 */
export function monoToStereo(frame: AudioFrame): AudioFrame {
  if (frame.channels === 2) return frame;
  const input = frame.samples;
  const out = new Int16Array(input.length * 2);
  for (let i = 0, j = 0; i < input.length; i++, j += 2) {
    out[j] = input[i]!;
    out[j + 1] = input[i]!;
  }
  return { samples: out, sampleRate: frame.sampleRate, channels: 2, timestamp: frame.timestamp };
}

/**
 * Averages the two channels of a stereo frame into a mono frame (rounding half away from zero).
 *
 * @param frame - a stereo frame (a mono frame is returned unchanged).
 * @returns a mono frame with the same timestamp.
 * @example
 * ```ts
 * const mono = stereoToMono(frame);
 * ```
 */
export function stereoToMono(frame: AudioFrame): AudioFrame {
  if (frame.channels === 1) return frame;
  const input = frame.samples;
  const out = new Int16Array(input.length / 2);
  for (let i = 0, j = 0; i < out.length; i++, j += 2) {
    const sum = input[j]! + input[j + 1]!;
    out[i] = sum >= 0 ? (sum + 1) >> 1 : -((-sum + 1) >> 1);
  }
  return { samples: out, sampleRate: frame.sampleRate, channels: 1, timestamp: frame.timestamp };
}
