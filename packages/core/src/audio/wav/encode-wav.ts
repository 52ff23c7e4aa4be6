import { AudioFormatError, WavFormatError } from '../../errors/audio-errors';
import { type AudioFormat, assertChannels, assertSampleRate } from '../audio-frame';
import { samplesToPcm16Bytes } from '../pcm16';

/**
 * Bytes before the samples in the canonical PCM16 WAV layout that {@link encodeWav} and
 * `WavWriter` write: RIFF header (12), `fmt ` chunk (8 + 16), `data` chunk header (8).
 * @internal
 */
export const WAV_HEADER_BYTES = 44;

/**
 * The most sample data a WAV file can hold: its RIFF size field is 32 bits and counts the 36 header
 * bytes after it.
 * @internal
 */
export const MAX_WAV_DATA_BYTES = 0xffffffff - (WAV_HEADER_BYTES - 8);

/**
 * The size written in the RIFF and `data` headers of a stream whose length is not known yet; readers
 * (including `readWav`) take it as "to the end of the file".
 * @internal
 */
export const WAV_UNKNOWN_SIZE = 0xffffffff;

/**
 * Writes the 44-byte canonical header of a PCM16 WAV file; `dataBytes` undefined writes the
 * unknown-length sizes of a stream still being written.
 * @internal
 */
export function wavHeader(format: AudioFormat, dataBytes: number | undefined): Uint8Array {
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const blockAlign = format.channels * 2;
  writeTag(header, 0, 'RIFF');
  view.setUint32(4, dataBytes === undefined ? WAV_UNKNOWN_SIZE : dataBytes + 36, true);
  writeTag(header, 8, 'WAVE');
  writeTag(header, 12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // WAVE_FORMAT_PCM
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  writeTag(header, 36, 'data');
  view.setUint32(40, dataBytes === undefined ? WAV_UNKNOWN_SIZE : dataBytes, true);
  return header;
}

/**
 * Validates a format and sample buffer for WAV writing.
 * @internal
 */
export function assertWavInput(samples: Int16Array, format: AudioFormat): AudioFormat {
  const validated: AudioFormat = {
    sampleRate: assertSampleRate(format.sampleRate),
    channels: assertChannels(format.channels),
  };
  if (!(samples instanceof Int16Array)) {
    throw new AudioFormatError('WAV samples must be an Int16Array of interleaved PCM16 values.');
  }
  if (samples.length % validated.channels !== 0) {
    throw new AudioFormatError(
      `Sample count ${samples.length} is not a multiple of the channel count ${validated.channels}: interleaved audio needs a sample for every channel.`,
    );
  }
  return validated;
}

/**
 * Encodes PCM16 samples as a complete WAV file (RIFF/WAVE, format tag 1, 16 bits, canonical
 * 44-byte header).
 *
 * @param samples - interleaved PCM16 samples.
 * @param format - their rate and channel count.
 * @returns the file's bytes.
 * @throws {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format or a
 * sample count that does not fill every channel; {@link WavFormatError} beyond the 4 GiB limit of
 * WAV files.
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { encodeWav } from '@argentum/core';
 *
 * await writeFile('out.wav', encodeWav(frame.samples, { sampleRate: 16000, channels: 1 }));
 * ```
 */
export function encodeWav(samples: Int16Array, format: AudioFormat): Uint8Array {
  const validated = assertWavInput(samples, format);
  const dataBytes = samples.length * 2;
  if (dataBytes > MAX_WAV_DATA_BYTES) {
    throw new WavFormatError(
      `${dataBytes} bytes of samples do not fit in a WAV file (at most ${MAX_WAV_DATA_BYTES}): split the audio into several files.`,
    );
  }
  const bytes = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  bytes.set(wavHeader(validated, dataBytes), 0);
  bytes.set(samplesToPcm16Bytes(samples), WAV_HEADER_BYTES);
  return bytes;
}

function writeTag(bytes: Uint8Array, offset: number, tag: string): void {
  for (let i = 0; i < 4; i++) bytes[offset + i] = tag.charCodeAt(i);
}
