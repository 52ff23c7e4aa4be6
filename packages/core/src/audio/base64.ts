import { AudioFormatError } from '../errors/audio-errors';

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Encodes bytes as standard base64 (the encoding of the vendors' JSON audio fields).
 *
 * @param bytes - any bytes.
 * @returns base64 text with padding.
 * @example
 * ```ts
 * ws.send(JSON.stringify({ user_audio_chunk: bytesToBase64(frameToPcm16Bytes(frame)) }));
 * ```
 */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard base64, strictly: characters outside the alphabet or a length that cannot be
 * base64 are an error rather than silently skipped.
 *
 * @param text - base64 text (whitespace is not allowed).
 * @returns the decoded bytes.
 * @throws {@link AudioFormatError} for malformed base64.
 * @example
 * ```ts
 * const pcm = base64ToBytes(message.audio_event.audio_base_64);
 * ```
 */
export function base64ToBytes(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 === 1 || !BASE64_PATTERN.test(text)) {
    const preview =
      typeof text === 'string' ? `${text.slice(0, 16)}${text.length > 16 ? '…' : ''}` : typeof text;
    throw new AudioFormatError(
      `Malformed base64 audio data (${preview}): expected standard base64 (A–Z a–z 0–9 + /).`,
    );
  }
  // Decode into a fresh, 2-byte-aligned buffer (Node's pooled buffers may start at odd offsets),
  // so PCM16 readers can view it without copying.
  const bytes = new Uint8Array(Buffer.byteLength(text, 'base64'));
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).write(text, 'base64');
  return bytes;
}
