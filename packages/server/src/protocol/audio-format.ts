import {
  bytesToBase64,
  decodeMulaw,
  encodeMulaw,
  pcm16BytesToSamples,
  type SampleRate,
  samplesToPcm16Bytes,
} from '@argentum/core';
import { ProtocolMessageError } from './protocol-message-error';

/**
 * An audio format of the ElevenLabs Agents protocol: 16-bit little-endian PCM at a rate, or 8 kHz
 * G.711 μ-law. Named as on the wire.
 *
 * @example
 * ```ts
 * const format: AgentAudioFormat = 'pcm_16000';
 * ```
 */
export type AgentAudioFormat =
  | 'pcm_8000'
  | 'pcm_16000'
  | 'pcm_22050'
  | 'pcm_24000'
  | 'pcm_44100'
  | 'pcm_48000'
  | 'ulaw_8000';

/**
 * Every {@link AgentAudioFormat}, in the order the protocol lists them.
 *
 * @example
 * ```ts
 * AGENT_AUDIO_FORMATS.includes('ulaw_8000'); // true
 * ```
 */
export const AGENT_AUDIO_FORMATS: readonly AgentAudioFormat[] = Object.freeze([
  'pcm_8000',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_44100',
  'pcm_48000',
  'ulaw_8000',
]);

/**
 * Tells whether `value` names an {@link AgentAudioFormat}.
 *
 * @param value - any value.
 * @returns `true` for one of {@link AGENT_AUDIO_FORMATS}.
 * @example
 * ```ts
 * isAgentAudioFormat('pcm_16000'); // true
 * isAgentAudioFormat('mp3_44100'); // false
 * ```
 */
export function isAgentAudioFormat(value: unknown): value is AgentAudioFormat {
  return typeof value === 'string' && (AGENT_AUDIO_FORMATS as readonly string[]).includes(value);
}

/**
 * The sample rate of an {@link AgentAudioFormat}.
 *
 * @param format - a wire format.
 * @returns its rate in Hz.
 * @example
 * ```ts
 * audioFormatSampleRate('ulaw_8000'); // 8000
 * ```
 */
export function audioFormatSampleRate(format: AgentAudioFormat): SampleRate {
  return Number(format.slice(format.indexOf('_') + 1)) as SampleRate;
}

/**
 * Decodes a `user_audio_chunk` payload: base64 of PCM16 LE (or μ-law bytes) → mono samples.
 *
 * @param base64 - the payload.
 * @param format - the conversation's user input format.
 * @returns the samples (a view over fresh memory, safe to keep).
 * @throws {@link ProtocolMessageError} (`invalid_audio`) for malformed base64 or an odd PCM16 byte count.
 * @example
 * ```ts
 * const samples = decodeUserAudio('AAABAA==', 'pcm_16000'); // Int16Array [0, 1]
 * ```
 */
export function decodeUserAudio(base64: string, format: AgentAudioFormat): Int16Array {
  const bytes = decodeBase64Strict(base64);
  if (bytes === undefined) {
    throw new ProtocolMessageError(
      'invalid_audio',
      'user_audio_chunk is not valid base64: send standard base64 (A–Z a–z 0–9 + /, = padding).',
    );
  }
  return userAudioSamples(bytes, format);
}

/**
 * Decoded `user_audio_chunk` bytes → mono samples in the conversation's input format.
 *
 * @throws {@link ProtocolMessageError} (`invalid_audio`) for an odd PCM16 byte count.
 * @internal
 */
export function userAudioSamples(bytes: Uint8Array, format: AgentAudioFormat): Int16Array {
  if (format === 'ulaw_8000') return decodeMulaw(bytes);
  if (bytes.byteLength % 2 !== 0) {
    throw new ProtocolMessageError(
      'invalid_audio',
      `user_audio_chunk holds ${bytes.byteLength} bytes; PCM16 needs an even count (2 bytes per sample).`,
    );
  }
  return pcm16BytesToSamples(bytes);
}

/**
 * Encodes agent audio for an `audio` event: mono samples → base64 of PCM16 LE (or μ-law).
 *
 * @param samples - mono PCM16 samples at the format's rate.
 * @param format - the conversation's agent output format.
 * @returns the base64 payload.
 * @example
 * ```ts
 * encodeAgentAudio(new Int16Array([0, 1]), 'pcm_16000'); // 'AAABAA=='
 * ```
 */
export function encodeAgentAudio(samples: Int16Array, format: AgentAudioFormat): string {
  return bytesToBase64(format === 'ulaw_8000' ? encodeMulaw(samples) : samplesToPcm16Bytes(samples));
}

/**
 * Decodes standard base64 (padded or not) into a fresh, 2-byte-aligned array, or `undefined` when
 * the text is not canonical base64. Validation re-encodes natively and compares, which is several
 * times faster than a pattern test on audio-sized payloads.
 */
function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.byteLength(text, 'base64'));
  const view = Buffer.from(bytes.buffer, 0, bytes.byteLength);
  const written = view.write(text, 'base64');
  if (written !== bytes.byteLength) return undefined;
  const canonical = view.toString('base64');
  if (canonical === text) return bytes;
  const unpadded = canonical.replace(/=+$/, '');
  return unpadded === text ? bytes : undefined;
}
