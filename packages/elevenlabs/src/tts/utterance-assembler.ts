import {
  type AudioFrame,
  AudioFramer,
  base64ToBytes,
  decodeAlaw,
  decodeMulaw,
  ProtocolError,
  pcm16BytesToSamples,
  type SampleRate,
  StreamingResampler,
  samplesToPcm16Bytes,
  type TtsEvent,
} from '@argentum/core';
import { PROVIDER } from '../elevenlabs-error';
import type { ChunkAlignment } from './elevenlabs-tts-api';
import type { ParsedOutputFormat } from './elevenlabs-tts-options';
import { type AssembledMark, MarkAssembler } from './mark-assembler';

/** Options of {@link UtteranceAssembler}. @internal */
export interface UtteranceAssemblerOptions {
  /** The wire format of the audio. */
  format: ParsedOutputFormat;
  /** The rate of emitted frames (resampled when it differs from the wire rate). */
  outputSampleRate: SampleRate;
  /** Emitted frame duration in ms. */
  frameDurationMs: number;
  /** Whether the sent text can be used to complete words early (original alignment). */
  useTextHint: boolean;
}

/** A run of held samples at the wire rate. */
interface HeldRun {
  samples: Int16Array;
  /** Offset of the first sample already released. */
  released: number;
}

/**
 * Turns the audio chunks and per-chunk alignment of one utterance into `mark` and `audio` events.
 *
 * - Audio is decoded per the output format (PCM16 LE, μ-law, A-law), resampled when asked, and cut
 *   into exact frames whose `timestamp` is their offset in the utterance.
 * - Alignment times are relative to their chunk; absolute offsets are the sum of the previous
 *   chunks' audio durations plus the relative time (clamped into the chunk).
 * - Marks come before the audio they describe: audio from the start of a word that is not yet known
 *   to be complete is held back until it is, and every mark a chunk completes is emitted before
 *   that chunk's frames.
 * @internal
 */
export class UtteranceAssembler {
  readonly #format: ParsedOutputFormat;
  readonly #framer: AudioFramer;
  readonly #resampler: StreamingResampler | undefined;
  readonly #marks = new MarkAssembler();
  readonly #markBuffer: AssembledMark[] = [];
  readonly #held: HeldRun[] = [];
  /** Wire-rate samples received so far. */
  #receivedSamples = 0;
  /** Wire-rate samples released to the framer so far. */
  #releasedSamples = 0;
  /** An odd trailing PCM byte carried to the next chunk. */
  #carry: number | undefined;

  constructor(options: UtteranceAssemblerOptions) {
    this.#format = options.format;
    this.#framer = new AudioFramer({
      sampleRate: options.outputSampleRate,
      frameDurationMs: options.frameDurationMs,
    });
    if (options.outputSampleRate !== options.format.sampleRate) {
      this.#resampler = new StreamingResampler({
        inputRate: options.format.sampleRate,
        outputRate: options.outputSampleRate,
      });
    }
    if (!options.useTextHint) this.#marks.disableHint();
  }

  /** Duration of the audio received so far, in ms. */
  get durationMs(): number {
    return (this.#receivedSamples / this.#format.sampleRate) * 1000;
  }

  /** Records text sent to the server (used to complete words at chunk ends). */
  addSentText(text: string): void {
    this.#marks.addSentText(text);
  }

  /**
   * Adds one chunk: base64 audio and its alignment (times relative to the chunk).
   * @param audioBase64 - the chunk's audio in the wire format.
   * @param alignment - its character alignment, if any.
   * @param at - scheduler time to stamp the events with.
   * @param emit - receives the events, marks first.
   */
  pushChunk(
    audioBase64: string | undefined,
    alignment: ChunkAlignment | undefined,
    at: number,
    emit: (event: TtsEvent) => void,
  ): void {
    const samples = audioBase64 === undefined ? new Int16Array(0) : this.#decode(audioBase64);
    const chunkStartMs = this.durationMs;
    this.#receivedSamples += samples.length;
    const chunkEndMs = this.durationMs;
    if (samples.length > 0) this.#held.push({ samples, released: 0 });
    if (alignment) {
      const { chars, startsMs, durationsMs } = alignment;
      for (let i = 0; i < chars.length; i++) {
        const start = clamp(chunkStartMs + Math.max(0, startsMs[i]!), chunkStartMs, chunkEndMs);
        const end = clamp(start + Math.max(0, durationsMs[i]!), start, chunkEndMs);
        this.#marks.push(chars[i]!, start, end, this.#markBuffer);
      }
    }
    this.#emitMarks(at, emit);
    const pendingStartMs = this.#marks.pendingStartMs;
    const releaseTo =
      pendingStartMs === undefined
        ? this.#receivedSamples
        : Math.floor((pendingStartMs / 1000) * this.#format.sampleRate);
    this.#release(releaseTo, at, emit);
  }

  /**
   * Ends the utterance: completes open words and sentences, releases held audio, flushes the
   * resampler and the framer (the last frame is zero-padded).
   * @returns the utterance's audio duration in ms (before padding).
   */
  finish(at: number, emit: (event: TtsEvent) => void): number {
    this.#marks.finish(this.#markBuffer);
    this.#emitMarks(at, emit);
    this.#release(this.#receivedSamples, at, emit);
    if (this.#resampler)
      this.#emitFrames(this.#framer.push(samplesToPcm16Bytes(this.#resampler.flush())), at, emit);
    const last = this.#framer.flush();
    if (last) emit({ type: 'audio', frame: last, at });
    return this.durationMs;
  }

  #decode(audioBase64: string): Int16Array {
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(audioBase64);
    } catch (cause) {
      throw new ProtocolError({ provider: PROVIDER, message: 'an audio chunk was not valid base64.', cause });
    }
    if (this.#format.encoding === 'ulaw') return decodeMulaw(bytes);
    if (this.#format.encoding === 'alaw') return decodeAlaw(bytes);
    if (this.#carry !== undefined) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.#carry;
      joined.set(bytes, 1);
      bytes = joined;
      this.#carry = undefined;
    }
    if (bytes.length % 2 === 1) {
      this.#carry = bytes[bytes.length - 1]!;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    return pcm16BytesToSamples(bytes);
  }

  #emitMarks(at: number, emit: (event: TtsEvent) => void): void {
    const buffer = this.#markBuffer;
    for (let i = 0; i < buffer.length; i++) {
      const mark = buffer[i]!;
      emit({
        type: 'mark',
        kind: mark.kind,
        text: mark.text,
        offsetMs: mark.offsetMs,
        durationMs: mark.durationMs,
        aligned: true,
        at,
      });
    }
    buffer.length = 0;
  }

  /** Releases held wire-rate samples up to absolute sample index `to` into the framer. */
  #release(to: number, at: number, emit: (event: TtsEvent) => void): void {
    while (this.#releasedSamples < to && this.#held.length > 0) {
      const run = this.#held[0]!;
      const available = run.samples.length - run.released;
      const take = Math.min(available, to - this.#releasedSamples);
      const part =
        run.released === 0 && take === run.samples.length
          ? run.samples
          : run.samples.subarray(run.released, run.released + take);
      run.released += take;
      this.#releasedSamples += take;
      if (run.released === run.samples.length) this.#held.shift();
      const output = this.#resampler ? this.#resampler.process(part) : part;
      if (output.length > 0) this.#emitFrames(this.#framer.push(samplesToPcm16Bytes(output)), at, emit);
    }
  }

  #emitFrames(frames: readonly AudioFrame[], at: number, emit: (event: TtsEvent) => void): void {
    for (const frame of frames) emit({ type: 'audio', frame, at });
  }
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
