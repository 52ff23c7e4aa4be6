import { encodeAlaw, encodeMulaw, samplesToPcm16Bytes } from '@argentum/core';

/** One synthesized chunk: encoded audio and the alignment of its characters. @internal */
export interface SynthesizedChunk {
  /** The audio in the requested output format. */
  audio: Uint8Array;
  /** Samples (per channel) in the chunk. */
  sampleCount: number;
  /** The chunk's characters. */
  chars: string[];
  /** Start of each character relative to the chunk's first sample, in ms. */
  startsMs: number[];
  /** Duration of each character, in ms. */
  durationsMs: number[];
  /** Start of each character from the start of the segment, in ms. */
  absoluteStartsMs: number[];
}

/** Options of {@link synthesizeSegment}. @internal */
export interface ToneOptions {
  /** `pcm_<rate>`, `ulaw_8000` or `alaw_8000`. */
  outputFormat: string;
  /** Duration of each character. */
  msPerCharacter: number;
  /** Characters per chunk. */
  charactersPerChunk: number;
  /** Base frequency of the tone. */
  toneHz: number;
}

const WHITESPACE = /\s/u;

/**
 * Parses an output format the test server can produce.
 * @returns the encoding and rate, or `undefined` for formats it cannot (mp3, opus).
 * @internal
 */
export function parseTestFormat(
  format: string,
): { encoding: 'pcm' | 'ulaw' | 'alaw'; sampleRate: number } | undefined {
  const match = /^(pcm|ulaw|alaw)_(\d+)$/.exec(format);
  if (!match) return undefined;
  const encoding = match[1] as 'pcm' | 'ulaw' | 'alaw';
  const sampleRate = Number(match[2]);
  if (encoding === 'pcm' && ![8000, 16000, 22050, 24000, 44100, 48000].includes(sampleRate)) return undefined;
  if (encoding !== 'pcm' && sampleRate !== 8000) return undefined;
  return { encoding, sampleRate };
}

/**
 * Renders text as a deterministic buzz — one tone burst per visible character, silence for
 * whitespace, `msPerCharacter` each — cut into chunks of `charactersPerChunk` characters, with
 * exact per-chunk alignment (times relative to each chunk's first sample).
 * @internal
 */
export function synthesizeSegment(text: string, options: ToneOptions): SynthesizedChunk[] {
  const format = parseTestFormat(options.outputFormat);
  if (!format) throw new Error(`unsupported output format ${options.outputFormat}`);
  const chars = Array.from(text);
  const rate = format.sampleRate;
  const boundary = (index: number): number => Math.round((index * options.msPerCharacter * rate) / 1000);
  const chunks: SynthesizedChunk[] = [];
  for (let first = 0; first < chars.length; first += options.charactersPerChunk) {
    const last = Math.min(chars.length, first + options.charactersPerChunk);
    const chunkStart = boundary(first);
    const samples = new Int16Array(boundary(last) - chunkStart);
    const chunk: SynthesizedChunk = {
      audio: new Uint8Array(0),
      sampleCount: samples.length,
      chars: chars.slice(first, last),
      startsMs: [],
      durationsMs: [],
      absoluteStartsMs: [],
    };
    for (let i = first; i < last; i++) {
      const start = boundary(i);
      const end = boundary(i + 1);
      chunk.startsMs.push(((start - chunkStart) / rate) * 1000);
      chunk.durationsMs.push(((end - start) / rate) * 1000);
      chunk.absoluteStartsMs.push((start / rate) * 1000);
      const char = chars[i]!;
      if (WHITESPACE.test(char)) continue;
      const frequency = options.toneHz + (char.codePointAt(0)! % 12) * 20;
      for (let n = start; n < end; n++) {
        // A short fade at both ends of each burst keeps it click-free.
        const edge = Math.min(1, (n - start) / 40, (end - n) / 40);
        samples[n - chunkStart] = Math.round(9000 * edge * Math.sin((2 * Math.PI * frequency * n) / rate));
      }
    }
    chunk.audio =
      format.encoding === 'ulaw'
        ? encodeMulaw(samples)
        : format.encoding === 'alaw'
          ? encodeAlaw(samples)
          : samplesToPcm16Bytes(samples);
    chunks.push(chunk);
  }
  return chunks;
}
