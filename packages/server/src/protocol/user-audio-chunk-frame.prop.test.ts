import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUserAudio } from './audio-format';
import { parseClientMessage } from './parse-client-message';
import { readUserAudioChunkFrame } from './user-audio-chunk-frame';

const BASE64_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

/** Whether the general path (parse, then strict decode) accepts the frame's audio. */
function generalPathAccepts(frame: Buffer): boolean {
  const parsed = parseClientMessage(frame.toString('utf8'));
  if (!parsed.ok || parsed.message.type !== 'user_audio_chunk') return false;
  try {
    decodeUserAudio(parsed.message.audioBase64, 'ulaw_8000'); // any byte count is valid μ-law
    return true;
  } catch {
    return false;
  }
}

describe('readUserAudioChunkFrame (fast path for user_audio_chunk)', () => {
  // 500 runs: payloads of 0–600 random bytes, padded or unpadded.
  it('decodes every frame the official client sends to the same bytes as Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (payload, padded) => {
        let base64 = Buffer.from(payload).toString('base64');
        if (!padded) base64 = base64.replace(/=+$/, '');
        const frame = Buffer.from(JSON.stringify({ user_audio_chunk: base64 }));
        const bytes = readUserAudioChunkFrame(frame, 262_144);
        expect(bytes).toBeDefined();
        expect(Buffer.from(bytes!).equals(Buffer.from(payload))).toBe(true);
        expect(bytes!.byteOffset % 2).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  // 2000 runs: texts of 0–40 characters from the base64 alphabet and "=" (misplaced padding,
  // impossible lengths, non-zero trailing bits all turn up).
  it('accepts exactly the payloads the general path accepts, with the same bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BASE64_CHARACTERS), { maxLength: 40 }), (characters) => {
        const text = characters.join('');
        const frame = Buffer.from(`{"user_audio_chunk":"${text}"}`);
        const fast = readUserAudioChunkFrame(frame, 262_144);
        expect(fast !== undefined).toBe(generalPathAccepts(frame));
        if (fast !== undefined) expect(Buffer.from(fast).equals(Buffer.from(text, 'base64'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  // 1000 runs: the same with spaces, quotes, backslashes, "-", "_", "é" and newlines mixed in: the
  // fast path may leave a frame to the general path, but whatever it accepts, the general path
  // accepts too.
  it('never accepts what the general path refuses', () => {
    const character = fc.oneof(
      fc.constantFrom(...BASE64_CHARACTERS),
      fc.constantFrom(' ', '"', '\\', '-', '_', 'é', '\n'),
    );
    fc.assert(
      fc.property(fc.array(character, { maxLength: 40 }), (characters) => {
        const frame = Buffer.from(`{"user_audio_chunk":"${characters.join('')}"}`);
        if (readUserAudioChunkFrame(frame, 262_144) !== undefined)
          expect(generalPathAccepts(frame)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves every other frame to the general parser', () => {
    const payload = Buffer.from([1, 2, 3, 4]).toString('base64');
    const others = [
      `{"user_audio_chunk": "${payload}"}`,
      `{"user_audio_chunk":"${payload}","extra":1}`,
      `{"type":"user_audio_chunk","user_audio_chunk":"${payload}"}`,
      `{"user_audio_chunk":"${payload}"} `,
      `{"user_audio_chunk":"AQID\\/A=="}`,
      '{"user_audio_chunk":"AQ=A"}',
      '{"user_audio_chunk":"AQI="',
      '{"type":"user_activity"}',
      '',
    ];
    for (const text of others) expect(readUserAudioChunkFrame(Buffer.from(text), 262_144)).toBeUndefined();
  });

  it('leaves a payload over the limit to the general parser (which refuses it)', () => {
    const frame = Buffer.from(JSON.stringify({ user_audio_chunk: 'AAAA'.repeat(10) }));
    expect(readUserAudioChunkFrame(frame, 39)).toBeUndefined();
    expect(readUserAudioChunkFrame(frame, 40)).toHaveLength(30);
  });
});
