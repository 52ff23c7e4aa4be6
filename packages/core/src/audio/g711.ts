import { AudioFormatError } from '../errors/audio-errors';

/*
 * ITU-T G.711 companding, written for 16-bit linear input.
 *
 * μ-law works on a biased magnitude: |x| (clipped to 32 635) + 132. The position of its highest set
 * bit above bit 7 is the segment (0–7), the next four bits the mantissa; the code is the inverted
 * sign (set for negative) | segment | mantissa, so 0 encodes to 0xFF. Segment e spans 2^(e+7)
 * biased units in steps of 2^(e+3).
 *
 * A-law works on the magnitude |x| for x ≥ 0 and −x − 1 for x < 0 (0–32 767). Segments 0 and 1
 * both step by 16 over 0–511; segment s ≥ 1 spans [2^(s+7), 2^(s+8)) in steps of 2^(s+3). The
 * code is sign (set for x ≥ 0) | segment | mantissa with the even bits inverted (XOR 0x55), so 0
 * encodes to 0xD5.
 *
 * Decoders return the middle of each quantisation interval, so the round-trip error is at most
 * half a step.
 */

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

let mulawTable: Int16Array | undefined;
let alawTable: Int16Array | undefined;

function assertSamples(samples: unknown, codec: string): asserts samples is Int16Array {
  if (!(samples instanceof Int16Array)) {
    throw new AudioFormatError(
      `${codec} encoding expects PCM16 samples as an Int16Array; convert bytes with pcm16BytesToSamples first.`,
    );
  }
}

function assertCodes(bytes: unknown, codec: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new AudioFormatError(`${codec} decoding expects one code per byte in a Uint8Array (or Buffer).`);
  }
}

/** The μ-law code of one 16-bit sample. */
function mulawCode(sample: number): number {
  let sign = 0;
  let magnitude = sample;
  if (sample < 0) {
    sign = 0x80;
    magnitude = -sample;
  }
  if (magnitude > MULAW_CLIP) magnitude = MULAW_CLIP;
  magnitude += MULAW_BIAS;
  const segment = 24 - Math.clz32(magnitude); // highest bit 7..14 → segment 0..7
  const mantissa = (magnitude >> (segment + 3)) & 0x0f;
  return ~(sign | (segment << 4) | mantissa) & 0xff;
}

/** The linear value (interval middle) of one μ-law code. */
function mulawValue(code: number): number {
  const bits = ~code & 0xff;
  const segment = (bits >> 4) & 0x07;
  const magnitude = ((((bits & 0x0f) << 3) + MULAW_BIAS) << segment) - MULAW_BIAS;
  return bits & 0x80 ? -magnitude : magnitude;
}

/** The A-law code of one 16-bit sample. */
function alawCode(sample: number): number {
  let sign = 0x80;
  let magnitude = sample;
  if (sample < 0) {
    sign = 0;
    magnitude = -sample - 1;
  }
  if (magnitude < 256) return (sign | (magnitude >> 4)) ^ 0x55;
  const segment = 24 - Math.clz32(magnitude); // highest bit 8..14 → segment 1..7
  return (sign | (segment << 4) | ((magnitude >> (segment + 3)) & 0x0f)) ^ 0x55;
}

/** The linear value (interval middle) of one A-law code. */
function alawValue(code: number): number {
  const bits = code ^ 0x55;
  const segment = (bits >> 4) & 0x07;
  const mantissa = bits & 0x0f;
  const magnitude = segment === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (segment - 1);
  return bits & 0x80 ? magnitude : -magnitude;
}

function buildTable(value: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = value(code);
  return table;
}

/**
 * Encodes PCM16 samples as G.711 μ-law (telephony in North America and Japan; Twilio media
 * streams): one byte per sample.
 *
 * Magnitudes above 32 635 clip to the largest code. Decoding a code gives the middle of its
 * quantisation interval, so `decodeMulaw(encodeMulaw(x))` is within 2^(e+2) of `x`, where `e`
 * (0–7) is the code's segment — 4 near silence up to 512 near full scale — except for clipped
 * magnitudes above 32 635, which decode to ±32 124.
 *
 * @param samples - PCM16 samples (any rate; telephony uses 8 kHz mono).
 * @returns one μ-law code per sample.
 * @throws {@link AudioFormatError} when `samples` is not an `Int16Array`.
 * @example
 * ```ts
 * import { encodeMulaw } from '@argentum/core';
 *
 * encodeMulaw(new Int16Array([0, 1000, -1000])); // Uint8Array [0xff, 0xce, 0x4e]
 * twilioSocket.send(JSON.stringify({ event: 'media', media: { payload: bytesToBase64(encodeMulaw(frame.samples)) } }));
 * ```
 */
export function encodeMulaw(samples: Int16Array): Uint8Array {
  assertSamples(samples, 'μ-law');
  const codes = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) codes[i] = mulawCode(samples[i]!);
  return codes;
}

/**
 * Decodes G.711 μ-law bytes to PCM16 samples (the middle of each code's interval; full scale is
 * ±32 124). The 256-entry table is built on first use.
 *
 * @param bytes - μ-law codes, one per sample.
 * @returns PCM16 samples.
 * @throws {@link AudioFormatError} when `bytes` is not a `Uint8Array`.
 * @example
 * ```ts
 * import { decodeMulaw, createAudioFrame } from '@argentum/core';
 *
 * const samples = decodeMulaw(base64ToBytes(message.media.payload));
 * const frame = createAudioFrame({ samples, sampleRate: 8000, channels: 1, timestamp: scheduler.now() });
 * ```
 */
export function decodeMulaw(bytes: Uint8Array): Int16Array {
  assertCodes(bytes, 'μ-law');
  mulawTable ??= buildTable(mulawValue);
  const table = mulawTable;
  const samples = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) samples[i] = table[bytes[i]!]!;
  return samples;
}

/**
 * Encodes PCM16 samples as G.711 A-law (telephony outside North America and Japan): one byte
 * per sample.
 *
 * Decoding a code gives the middle of its quantisation interval, so `decodeAlaw(encodeAlaw(x))`
 * is within 8 of `x` in segments 0 and 1 (|x| < 512) and within 2^(s+2) in segment `s` ≥ 2 — up
 * to 512 near full scale. A-law has no clipping: ±32 767 fit the top segment.
 *
 * @param samples - PCM16 samples (any rate; telephony uses 8 kHz mono).
 * @returns one A-law code per sample.
 * @throws {@link AudioFormatError} when `samples` is not an `Int16Array`.
 * @example
 * ```ts
 * import { encodeAlaw } from '@argentum/core';
 *
 * encodeAlaw(new Int16Array([0, -1, 1000])); // Uint8Array [0xd5, 0x55, 0xfa]
 * ```
 */
export function encodeAlaw(samples: Int16Array): Uint8Array {
  assertSamples(samples, 'A-law');
  const codes = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) codes[i] = alawCode(samples[i]!);
  return codes;
}

/**
 * Decodes G.711 A-law bytes to PCM16 samples (the middle of each code's interval; full scale is
 * ±32 256). The 256-entry table is built on first use.
 *
 * @param bytes - A-law codes, one per sample.
 * @returns PCM16 samples.
 * @throws {@link AudioFormatError} when `bytes` is not a `Uint8Array`.
 * @example
 * ```ts
 * import { decodeAlaw } from '@argentum/core';
 *
 * decodeAlaw(new Uint8Array([0xd5, 0x55])); // Int16Array [8, -8]
 * ```
 */
export function decodeAlaw(bytes: Uint8Array): Int16Array {
  assertCodes(bytes, 'A-law');
  alawTable ??= buildTable(alawValue);
  const table = alawTable;
  const samples = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) samples[i] = table[bytes[i]!]!;
  return samples;
}
