import { AudioFormatError, WavFormatError } from '../../errors/audio-errors';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import type { AudioFormat, AudioFrame } from '../audio-frame';
import { samplesToPcm16Bytes } from '../pcm16';
import { assertWavInput, MAX_WAV_DATA_BYTES, WAV_HEADER_BYTES, wavHeader } from './encode-wav';

/**
 * Where a {@link WavWriter} puts its bytes: random-access storage written at byte positions (the
 * writer appends samples and, at the end, rewrites two header fields in place).
 *
 * @example
 * ```ts
 * // a sink over a Node file handle (what WavWriter.open does for you)
 * const handle = await open('out.wav', 'w');
 * const sink: WavSink = {
 *   write: async (bytes, position) => { await handle.write(bytes, 0, bytes.length, position); },
 *   close: () => handle.close(),
 * };
 * ```
 */
export interface WavSink {
  /**
   * Writes `bytes` at byte `position` (the current end of the data, or a header field). Resolve
   * once they are written; the writer never has two writes in flight.
   * @param bytes - the bytes; the writer does not reuse the buffer.
   * @param position - the byte offset in the file.
   */
  write(bytes: Uint8Array, position: number): Promise<void> | void;
  /** Releases the storage; called once by {@link WavWriter.end}. */
  close?(): Promise<void> | void;
}

/**
 * A {@link WavSink} that keeps the file in memory: for tests, or to build a WAV file incrementally
 * before sending it somewhere.
 *
 * @example
 * ```ts
 * const sink = new MemoryWavSink();
 * const writer = new WavWriter(sink, { sampleRate: 16000, channels: 1 });
 * await writer.write(frame);
 * await writer.end();
 * const bytes = sink.bytes(); // a complete WAV file
 * ```
 */
export class MemoryWavSink implements WavSink {
  private buffer = new Uint8Array(4096);
  private length = 0;

  /**
   * Stores `bytes` at `position`, growing the buffer as needed.
   * @param bytes - the bytes.
   * @param position - the byte offset.
   */
  write(bytes: Uint8Array, position: number): void {
    const end = position + bytes.length;
    if (end > this.buffer.length) {
      const grown = new Uint8Array(Math.max(end, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes, position);
    this.length = Math.max(this.length, end);
  }

  /**
   * A copy of everything written so far.
   * @returns the bytes.
   */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/**
 * Writes a PCM16 WAV file incrementally: a header with "length unknown" sizes first, then samples
 * as they come, and at {@link WavWriter.end} the real RIFF and `data` sizes patched into the header.
 *
 * Until `end()` the sizes read `0xFFFFFFFF`, which `readWav` (and most tools) take as "to the end of
 * the file" — so a recording cut short by a crash is still readable. Writes are queued in call
 * order, so you may fire several without awaiting each; a failed write makes every later call
 * reject with the same error. Always call `end()` (in a `finally`), which also closes the sink.
 *
 * @example
 * ```ts
 * import { WavWriter } from '@argentum/core';
 *
 * const writer = await WavWriter.open('call.wav', { sampleRate: 16000, channels: 1 });
 * try {
 *   for await (const frame of frames) await writer.write(frame);
 * } finally {
 *   await writer.end();
 * }
 * ```
 */
export class WavWriter {
  /** The file's format. */
  readonly format: AudioFormat;
  private readonly sink: WavSink;
  private queue: Promise<void>;
  private failure: { error: unknown } | undefined;
  private bytesWritten = 0;
  private ending: Promise<void> | undefined;

  /**
   * Starts a WAV file on `sink` (the header is written at once).
   *
   * @param sink - the storage, e.g. a {@link MemoryWavSink}.
   * @param format - the rate and channel count of every write.
   * @throws {@link UnsupportedSampleRateError} / {@link AudioFormatError} for an unusable format.
   */
  constructor(sink: WavSink, format: AudioFormat) {
    this.format = assertWavInput(new Int16Array(0), format);
    this.sink = sink;
    this.queue = Promise.resolve();
    // A failed header write is recorded and surfaces from the next write() or end().
    this.enqueue(() => sink.write(wavHeader(this.format, undefined), 0)).catch(() => undefined);
  }

  /**
   * Creates (or truncates) the file at `path` and returns a writer on it (Node.js only).
   *
   * @param path - the file path.
   * @param format - the rate and channel count.
   * @returns the writer, once the file is open.
   * @example
   * ```ts
   * const writer = await WavWriter.open('out.wav', { sampleRate: 24000, channels: 1 });
   * ```
   */
  static async open(path: string, format: AudioFormat): Promise<WavWriter> {
    assertWavInput(new Int16Array(0), format);
    const { openWavFileSink } = await import('./wav-file-sink');
    return new WavWriter(await openWavFileSink(path), format);
  }

  /** Sample bytes accepted so far (queued writes included), without the 44-byte header. */
  get dataBytes(): number {
    return this.bytesWritten;
  }

  /** The duration of the samples accepted so far, in ms. */
  get durationMs(): number {
    return (this.bytesWritten / 2 / this.format.channels / this.format.sampleRate) * 1000;
  }

  /**
   * Appends samples. They are copied at call time, so the buffer may be reused at once.
   *
   * @param input - a frame in the writer's format, or interleaved samples in it.
   * @returns a promise that resolves once the bytes are written.
   * @throws (as a rejection) {@link AudioFormatError} for a frame of another format or samples that
   * do not fill every channel; {@link WavFormatError} past the 4 GiB WAV limit;
   * {@link InvalidArgumentError} after `end()`; the sink's error after a failed write.
   * @example
   * ```ts
   * await writer.write(frame);
   * await writer.write(new Int16Array(320)); // 20 ms of silence at 16 kHz mono
   * ```
   */
  write(input: AudioFrame | Int16Array): Promise<void> {
    try {
      const position = WAV_HEADER_BYTES + this.bytesWritten;
      const bytes = this.accept(input);
      return this.enqueue(() => this.sink.write(bytes, position));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Finishes the file: waits for queued writes, patches the RIFF and `data` sizes into the header,
   * and closes the sink (also after a failed write, in which case it rejects with that failure).
   * Calling it again returns the same promise.
   *
   * @returns a promise that resolves once the file is complete and closed.
   * @example
   * ```ts
   * await writer.end();
   * ```
   */
  end(): Promise<void> {
    if (this.ending !== undefined) return this.ending;
    const dataBytes = this.bytesWritten;
    const patch = this.enqueue(async () => {
      const header = wavHeader(this.format, dataBytes);
      await this.sink.write(header.subarray(4, 8), 4);
      await this.sink.write(header.subarray(40, 44), 40);
    });
    this.ending = patch.then(
      async () => {
        await this.sink.close?.();
      },
      async (error: unknown) => {
        await this.sink.close?.();
        throw error;
      },
    );
    return this.ending;
  }

  private accept(input: AudioFrame | Int16Array): Uint8Array {
    if (this.ending !== undefined) {
      throw new InvalidArgumentError('write', 'the WAV writer has ended: start a new WavWriter.');
    }
    let samples: Int16Array;
    if (input instanceof Int16Array) {
      samples = input;
    } else {
      if (input.sampleRate !== this.format.sampleRate || input.channels !== this.format.channels) {
        throw new AudioFormatError(
          `The WAV writer is ${this.format.sampleRate} Hz with ${this.format.channels} channel(s), but got a ${input.sampleRate} Hz frame with ${input.channels}: resample or convert it first.`,
        );
      }
      samples = input.samples;
    }
    assertWavInput(samples, this.format);
    const byteLength = samples.length * 2;
    if (this.bytesWritten + byteLength > MAX_WAV_DATA_BYTES) {
      throw new WavFormatError(
        `Writing ${byteLength} more bytes would pass the 4 GiB limit of a WAV file (${MAX_WAV_DATA_BYTES} bytes of samples): end this file and start another.`,
      );
    }
    // Copy: the caller may reuse its buffer before the queued write runs.
    const bytes = samplesToPcm16Bytes(samples).slice();
    this.bytesWritten += byteLength;
    return bytes;
  }

  private enqueue(operation: () => Promise<void> | void): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.failure !== undefined) throw this.failure.error;
      try {
        await operation();
      } catch (error) {
        this.failure ??= { error };
        throw error;
      }
    };
    const result = this.queue.then(run);
    // Keep the chain alive (and free of unhandled rejections) whatever this operation does.
    this.queue = result.catch(() => undefined);
    return result;
  }
}
