/**
 * The fast path for the protocol's most frequent message. The official client sends each
 * microphone chunk as exactly `{"user_audio_chunk":"<base64>"}`; reading the base64 straight from
 * the frame's bytes skips three short-lived copies of the payload as JavaScript strings (the UTF-8
 * text, the parsed field, the re-encoding that validated it) — most of what a busy server allocated,
 * and so most of its garbage-collection pauses.
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
 * @returns fresh bytes (nothing else holds them), 2-byte aligned.
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
 * bits in the last character (the same texts `decodeUserAudio` refuses).
 */
function decodeCanonicalBase64(source: Uint8Array, start: number, end: number): Uint8Array | undefined {
  let padding = 0;
  if (end > start && source[end - 1] === EQUALS)
    padding = end - 1 > start && source[end - 2] === EQUALS ? 2 : 1;
  if (padding > 0 && (end - start) % 4 !== 0) return undefined;
  const characters = end - start - padding;
  const tail = characters % 4;
  if (tail === 1) return undefined;
  const output = new Uint8Array(((characters - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  const table = ALPHABET;
  const wholeEnd = start + characters - tail;
  let written = 0;
  for (let index = start; index < wholeEnd; index += 4) {
    const a = table[source[index]!]!;
    const b = table[source[index + 1]!]!;
    const c = table[source[index + 2]!]!;
    const d = table[source[index + 3]!]!;
    if ((a | b | c | d) < 0) return undefined;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    output[written++] = bits >> 16;
    output[written++] = (bits >> 8) & 0xff;
    output[written++] = bits & 0xff;
  }
  if (tail === 2) {
    const a = table[source[wholeEnd]!]!;
    const b = table[source[wholeEnd + 1]!]!;
    if ((a | b) < 0 || (b & 0x0f) !== 0) return undefined;
    output[written] = (a << 2) | (b >> 4);
  } else if (tail === 3) {
    const a = table[source[wholeEnd]!]!;
    const b = table[source[wholeEnd + 1]!]!;
    const c = table[source[wholeEnd + 2]!]!;
    if ((a | b | c) < 0 || (c & 0x03) !== 0) return undefined;
    const bits = (a << 10) | (b << 4) | (c >> 2);
    output[written] = bits >> 8;
    output[written + 1] = bits & 0xff;
  }
  return output;
}
