import { InvalidSampleError, WavFormatError } from '../../errors/audio-errors';
import { assertNumber } from '../../internal/validate';
import {
  type AudioFormat,
  type AudioFrame,
  assertSampleRate,
  DEFAULT_FRAME_DURATION_MS,
  samplesPerDuration,
} from '../audio-frame';
import { pcm16BytesToSamples } from '../pcm16';
import { WAV_UNKNOWN_SIZE } from './encode-wav';

/** Audio decoded by {@link readWav}. */
export interface WavAudio {
  /** The file's rate and channel count. */
  readonly format: AudioFormat;
  /** The sample encoding the file stored: 16-bit PCM or 32-bit IEEE float (converted to PCM16). */
  readonly encoding: 'pcm16' | 'float32';
  /** All samples, interleaved PCM16, in a buffer of their own (not shared with the input bytes). */
  readonly samples: Int16Array;
  /** The duration in ms. */
  readonly durationMs: number;
  /**
   * Cuts the audio into frames of `frameDurationMs`, stamped `startTimestamp`, `startTimestamp +
   * frameDurationMs`, …. All but the last are views into {@link WavAudio.samples}; the last is
   * zero-padded to the full duration when the audio does not divide evenly.
   *
   * @param frameDurationMs - frame length in ms, a whole number of samples; defaults to 20.
   * @param startTimestamp - the first frame's timestamp in ms; defaults to 0.
   * @returns the frames (none for empty audio).
   * @throws {@link InvalidArgumentError} for a duration that is not a whole number of samples.
   */
  frames(frameDurationMs?: number, startTimestamp?: number): AudioFrame[];
}

const FORMAT_PCM = 0x0001;
const FORMAT_IEEE_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 4–15 of every KSDATAFORMAT_SUBTYPE GUID built on a WAVE format tag. */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const FORMAT_NAMES: Record<number, string> = {
  0: 'unknown',
  2: 'Microsoft ADPCM',
  6: 'A-law',
  7: 'μ-law',
  17: 'IMA ADPCM',
  34: 'TrueSpeech',
  49: 'GSM 6.10',
  64: 'G.721 ADPCM',
  80: 'MPEG',
  85: 'MPEG Layer 3',
  255: 'AAC',
  353: 'Windows Media Audio',
  5648: 'HE-AAC',
  26448: 'Vorbis',
  61868: 'FLAC',
};
const SUPPORTED =
  'readWav reads 16-bit PCM (format tag 1) and 32-bit IEEE float (tag 3), also inside WAVE_FORMAT_EXTENSIBLE';

interface FmtChunk {
  encoding: 'pcm16' | 'float32';
  format: AudioFormat;
  blockAlign: number;
}

/**
 * Decodes a WAV file into PCM16 samples.
 *
 * Reads RIFF/WAVE files with 16-bit PCM or 32-bit IEEE float samples (format tags 1 and 3, and
 * `WAVE_FORMAT_EXTENSIBLE` with those subformats), mono or stereo, at any of the
 * {@link SUPPORTED_SAMPLE_RATES}. Float samples are converted with saturation (±1.0 → ±32767/−32768).
 * Chunks other than `fmt ` and `data` (`LIST`, `fact`, `cue `, …) are skipped, pad bytes of
 * odd-sized chunks included; everything after the `data` chunk is ignored.
 *
 * Sizes: a `data` size of `0xFFFFFFFF` — the "length not known yet" marker written by streaming
 * tools (and by `WavWriter` until `end()`) — means "to the end of the file", trimmed to whole sample
 * frames. Any
 * other `data` size larger than the bytes present is a truncated file and is rejected. The RIFF size
 * is only checked for being able to hold the `WAVE` tag: many writers get it wrong, and nothing
 * depends on it.
 *
 * @param bytes - the whole file.
 * @returns the format, the samples, and a way to cut them into frames.
 * @throws {@link WavFormatError} with what was wrong: not RIFF/WAVE, a truncated header or chunk,
 * truncated data (expected vs present bytes), a missing or too-small `fmt ` chunk, `data` before
 * `fmt `, a data size that is not a whole number of sample frames, an unsupported format tag, bit
 * depth or channel count, a block align that does not match channels × bytes per sample.
 * {@link UnsupportedSampleRateError} for a rate outside {@link SUPPORTED_SAMPLE_RATES};
 * {@link InvalidSampleError} for a NaN or infinite float sample.
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { readWav } from '@argentum/core';
 *
 * const wav = readWav(await readFile('greeting.wav'));
 * console.log(wav.format, wav.durationMs);
 * for (const frame of wav.frames(20)) mixer.track('prompt')!.push(frame);
 * ```
 */
export function readWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  if (length < 12) {
    throw new WavFormatError(
      `Truncated WAV header: the input is ${length} bytes, but a WAV file starts with a 12-byte RIFF/WAVE header.`,
    );
  }
  const riff = readTag(bytes, 0);
  if (riff !== 'RIFF') {
    const hint =
      riff === 'RIFX'
        ? ' (RIFX is big-endian WAV, which is not supported)'
        : riff === 'RF64'
          ? ' (RF64 is the 64-bit WAV variant, which is not supported)'
          : '';
    throw new WavFormatError(`Not a WAV file: it starts with '${printable(riff)}', not 'RIFF'${hint}.`);
  }
  const form = readTag(bytes, 8);
  if (form !== 'WAVE') {
    throw new WavFormatError(`Not a WAV file: a RIFF file of form '${printable(form)}', not 'WAVE'.`);
  }
  const riffSize = view.getUint32(4, true);
  if (riffSize < 4) {
    throw new WavFormatError(
      `Wrong RIFF size ${riffSize}: it must count at least the 4 bytes of the 'WAVE' tag. The file is damaged.`,
    );
  }

  let fmt: FmtChunk | undefined;
  let offset = 12;
  for (;;) {
    if (offset + 8 > length) {
      if (offset < length) {
        throw new WavFormatError(
          `Truncated chunk header at byte ${offset}: ${length - offset} bytes left, a chunk header needs 8.`,
        );
      }
      throw new WavFormatError(
        fmt === undefined
          ? "The WAV file has no 'fmt ' chunk, so its sample format is unknown."
          : "The WAV file has no 'data' chunk.",
      );
    }
    const id = readTag(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'data') {
      if (fmt === undefined) {
        throw new WavFormatError(
          `The 'data' chunk at byte ${offset} comes before the 'fmt ' chunk: the sample format must be declared first.`,
        );
      }
      return decodeData(bytes, view, body, dataLength(size, body, length, fmt.blockAlign), fmt);
    }
    if (body + size > length) {
      throw new WavFormatError(
        `Wrong chunk size: the '${printable(id)}' chunk at byte ${offset} declares ${size} bytes, but only ${length - body} remain in the file.`,
      );
    }
    if (id === 'fmt ') {
      if (fmt !== undefined) {
        throw new WavFormatError(`The WAV file has a second 'fmt ' chunk at byte ${offset}.`);
      }
      fmt = parseFmt(view, body, size);
    }
    offset = body + size + (size & 1);
  }
}

function dataLength(size: number, body: number, length: number, blockAlign: number): number {
  const present = length - body;
  if (size === WAV_UNKNOWN_SIZE) return present - (present % blockAlign);
  if (size > present) {
    throw new WavFormatError(
      `Truncated WAV data: the 'data' chunk declares ${size} bytes, but only ${present} are present.`,
    );
  }
  if (size % blockAlign !== 0) {
    throw new WavFormatError(
      `Wrong data chunk size ${size}: not a whole number of ${blockAlign}-byte sample frames.`,
    );
  }
  return size;
}

function parseFmt(view: DataView, body: number, size: number): FmtChunk {
  if (size < 16) {
    throw new WavFormatError(`The 'fmt ' chunk is too small: ${size} bytes, at least 16 are needed.`);
  }
  let formatTag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  if (formatTag === FORMAT_EXTENSIBLE) formatTag = extensibleSubformat(view, body, size);
  if (formatTag !== FORMAT_PCM && formatTag !== FORMAT_IEEE_FLOAT) {
    const name = FORMAT_NAMES[formatTag];
    throw new WavFormatError(
      `Unsupported WAV format tag ${hex(formatTag)}${name === undefined ? '' : ` (${name})`}: ${SUPPORTED}.`,
    );
  }
  const encoding = formatTag === FORMAT_PCM ? 'pcm16' : 'float32';
  const expectedBits = encoding === 'pcm16' ? 16 : 32;
  if (bitsPerSample !== expectedBits) {
    const kind = encoding === 'pcm16' ? 'PCM' : 'IEEE float';
    throw new WavFormatError(`Unsupported WAV sample format: ${bitsPerSample}-bit ${kind}. ${SUPPORTED}.`);
  }
  if (channels !== 1 && channels !== 2) {
    throw new WavFormatError(
      `Unsupported WAV channel count ${channels}: readWav reads mono and stereo files (downmix others first).`,
    );
  }
  const expectedAlign = channels * (expectedBits / 8);
  if (blockAlign !== expectedAlign) {
    throw new WavFormatError(
      `Block align mismatch: the 'fmt ' chunk says ${blockAlign} bytes per sample frame, but ${channels} channel(s) of ${expectedBits}-bit samples take ${expectedAlign}.`,
    );
  }
  return { encoding, format: { sampleRate: assertSampleRate(sampleRate), channels }, blockAlign };
}

function extensibleSubformat(view: DataView, body: number, size: number): number {
  if (size < 40 || view.getUint16(body + 16, true) < 22) {
    throw new WavFormatError(
      `The 'fmt ' chunk of a WAVE_FORMAT_EXTENSIBLE file is too small: ${size} bytes, 40 are needed for the subformat.`,
    );
  }
  const subformat = view.getUint32(body + 24, true);
  for (let i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
    if (view.getUint8(body + 28 + i) !== SUBFORMAT_GUID_TAIL[i]) {
      throw new WavFormatError(
        `Unsupported WAVE_FORMAT_EXTENSIBLE subformat: its GUID is not a WAVE format tag. ${SUPPORTED}.`,
      );
    }
  }
  if (subformat > 0xffff) {
    throw new WavFormatError(`Unsupported WAVE_FORMAT_EXTENSIBLE subformat ${hex(subformat)}: ${SUPPORTED}.`);
  }
  return subformat;
}

function decodeData(
  bytes: Uint8Array,
  view: DataView,
  body: number,
  dataBytes: number,
  fmt: FmtChunk,
): WavAudio {
  let samples: Int16Array;
  if (fmt.encoding === 'pcm16') {
    samples = pcm16BytesToSamples(bytes.slice(body, body + dataBytes));
  } else {
    samples = new Int16Array(dataBytes / 4);
    for (let i = 0; i < samples.length; i++) {
      const value = view.getFloat32(body + i * 4, true);
      if (!Number.isFinite(value)) throw new InvalidSampleError(i, value);
      const scaled = Math.round(value * 32768);
      samples[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
    }
  }
  return wavAudio(fmt.format, fmt.encoding, samples);
}

function wavAudio(format: AudioFormat, encoding: 'pcm16' | 'float32', samples: Int16Array): WavAudio {
  const length = samples.length / format.channels;
  return {
    format,
    encoding,
    samples,
    durationMs: (length / format.sampleRate) * 1000,
    frames(frameDurationMs = DEFAULT_FRAME_DURATION_MS, startTimestamp = 0) {
      const frameLength = samplesPerDuration(format.sampleRate, frameDurationMs) * format.channels;
      assertNumber('startTimestamp', startTimestamp);
      const frames: AudioFrame[] = [];
      for (let start = 0, index = 0; start < samples.length; start += frameLength, index++) {
        let frameSamples = samples.subarray(start, start + frameLength);
        if (frameSamples.length < frameLength) {
          const padded = new Int16Array(frameLength);
          padded.set(frameSamples);
          frameSamples = padded;
        }
        frames.push({
          samples: frameSamples,
          sampleRate: format.sampleRate,
          channels: format.channels,
          timestamp: startTimestamp + index * frameDurationMs,
        });
      }
      return frames;
    },
  };
}

function readTag(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}

function printable(tag: string): string {
  return tag.replace(/[^\x20-\x7e]/g, '?');
}

function hex(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
}
