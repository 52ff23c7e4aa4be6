import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAgentAudio } from './audio-format';
import { serializeServerMessage } from './serialize-server-message';
import type { ServerMessage } from './server-messages';

const alignment = fc.record({
  chars: fc.array(fc.string({ unit: 'binary', maxLength: 3 }), { maxLength: 8 }),
  char_start_times_ms: fc.array(fc.double({ noNaN: true }), { maxLength: 8 }),
  char_durations_ms: fc.array(fc.integer(), { maxLength: 8 }),
});

describe('serializeServerMessage', () => {
  // numRuns 300; up to 2000 samples per payload, 8 aligned characters (any code unit, quotes,
  // backslashes, control characters and lone surrogates included).
  it('writes audio messages exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 2000 }),
        fc.constantFrom('pcm_16000' as const, 'ulaw_8000' as const),
        fc.nat(),
        fc.option(alignment, { nil: undefined }),
        (samples, format, eventId, wireAlignment) => {
          const message: ServerMessage = {
            type: 'audio',
            audio_event: {
              audio_base_64: encodeAgentAudio(Int16Array.from(samples), format),
              event_id: eventId,
              ...(wireAlignment === undefined ? {} : { alignment: wireAlignment }),
            },
          };
          expect(serializeServerMessage(message)).toBe(JSON.stringify(message));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes other messages with JSON.stringify', () => {
    const message: ServerMessage = {
      type: 'agent_response',
      agent_response_event: { agent_response: 'say "hi"\n', event_id: 3 },
    };
    expect(serializeServerMessage(message)).toBe(JSON.stringify(message));
    expect(JSON.parse(serializeServerMessage(message))).toEqual(message);
  });
});
