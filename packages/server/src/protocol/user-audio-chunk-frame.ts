/**
 * The fast path for the protocol's most frequent message. The official client sends each
 * microphone chunk as exactly `{"user_audio_chunk":"<base64>"}`; reading the base64 straight from
 * the frame's bytes skips the general path's JSON parse and two of its three short-lived copies of
 * the payload as JavaScript strings (the UTF-8 text and the validating re-encoding; the one left is
 * the one-byte copy Node's native decoder reads).
 *
 * Anything else — another message, whitespace, escapes, a second field, malformed base64, a payload
 * over the limit — is left to the general parser, which answers it with the usual error.
 * @internal
 */

const PREFIX = Buffer.from('{"user_audio_chunk":"', 'latin1');
const SUFFIX = Buffer.from('"}', 'latin1');
const EQUALS = 0x3d;

/** Base64 alphabet value of each byte, −1 for a byte outside the alphabet. */
const ALPHABET = (() => {
  const table = new Int8Array(256).fill(-1);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let index = 0; index < letters.length; index++) table[letters.charCodeAt(index)] = index;
  return table;
})();

/**
 * The decoded payload of a frame that is exactly `{"user_audio_chunk":"<base64>"}` with canonical
 * base64 of at most `maxBase64Length` characters, or `undefined` for any other frame (then parse it
 * the general way).
 *
 * @returns fresh bytes (nothing else holds them; small payloads share an array buffer with other
 *   pool allocations, at their own offset), 2-byte aligned.
 * @internal
 */
export function readUserAudioChunkFrame(frame: Uint8Array, maxBase64Length: number): Uint8Array | undefined {
  const start = PREFIX.length;
  const end = frame.length - SUFFIX.length;
  if (end < start || end - start > maxBase64Length) return undefined;
  for (let index = 0; index < start; index++) if (frame[index] !== PREFIX[index]) return undefined;
  if (frame[end] !== SUFFIX[0] || frame[end + 1] !== SUFFIX[1]) return undefined;
  return decodeCanonicalBase64(frame, start, end);
}

/**
 * Decodes `source[start, end)` as standard base64 (padded or not), or `undefined` when it is not
 * canonical: a byte outside the alphabet, misplaced padding, an impossible length, or non-zero
 * bits in the last character (the same texts `decodeUserAudio` refuses). The checks that need a
 * look at single bytes are made here; the decoding is Node's (native, a few times faster than
 * JavaScript), which skips any byte outside its alphabets and stops at "=" — so a text that
 * decodes to fewer bytes than its length implies held such a byte.
 */
function decodeCanonicalBase64(source: Uint8Array, start: number, end: number): Uint8Array | undefined {
  let padding = 0;
  if (end > start && source[end - 1] === EQUALS)
    padding = end - 1 > start && source[end - 2] === EQUALS ? 2 : 1;
  if (padding > 0 && (end - start) % 4 !== 0) return undefined;
  const characters = end - start - padding;
  const tail = characters % 4;
  if (tail === 1) return undefined;
  // The last character's unused low bits must be zero (4 of them after 2 characters, 2 after 3).
  const last = ALPHABET[source[start + characters - 1]!]!;
  if ((tail === 2 && (last & 0x0f) !== 0) || (tail === 3 && (last & 0x03) !== 0)) return undefined;
  const bytes = Buffer.isBuffer(source)
    ? source
    : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  // Node also decodes the URL-safe alphabet ("-", "_"); the protocol's base64 is the standard one.
  if (containsBetween(bytes, 0x2d, start, end) || containsBetween(bytes, 0x5f, start, end)) return undefined;
  const length = ((characters - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1);
  // From Node's buffer pool for chunk-sized payloads (no allocation of its own); pool slices start 8-byte aligned.
  const output = Buffer.allocUnsafe(length);
  return output.write(bytes.toString('latin1', start, end), 'base64') === length ? output : undefined;
}

function containsBetween(bytes: Buffer, value: number, start: number, end: number): boolean {
  const at = bytes.indexOf(value, start);
  return at !== -1 && at < end;
}
