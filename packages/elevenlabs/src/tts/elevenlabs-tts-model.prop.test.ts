import type { TtsEvent } from '@argentum/core';
import fc from 'fast-check';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, providerFor, wordMarks } from '../test-support/test-support';
import { createElevenLabsTestServer } from '../testing/elevenlabs-test-server';
import type { ElevenLabsOutputFormat } from './elevenlabs-tts-options';

const word = fc.stringMatching(/^[A-Za-z0-9']{1,7}[.,!?;:]?$/);

/** Random text, random delta cuts, and a random server chunking and timing per run. */
const scenario = fc.record({
  words: fc.array(word, { minLength: 1, maxLength: 16 }),
  separators: fc.array(fc.constantFrom(' ', ' ', '  ', '\n'), { minLength: 16, maxLength: 16 }),
  cuts: fc.array(fc.nat(200), { maxLength: 8 }),
  charactersPerChunk: fc.integer({ min: 1, max: 13 }),
  msPerCharacter: fc.integer({ min: 5, max: 80 }),
  outputFormat: fc.constantFrom<ElevenLabsOutputFormat>('pcm_16000', 'pcm_22050', 'ulaw_8000'),
  flushAtSentenceEnd: fc.boolean(),
});

describe('ElevenLabsTtsModel against the test server (property)', () => {
  // numRuns 100 (each opens a server and a socket); 1–16 words, 0–8 delta cuts, 1–13 characters per
  // audio chunk, 5–80 ms per character, three wire formats, with and without sentence flushes.
  it('word marks cover every word once, in order, monotone, within the audio', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const text = input.words.map((w, i) => `${w}${input.separators[i]}`).join('');
        const cuts = [...new Set(input.cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const deltas: string[] = [];
        let previous = 0;
        for (const cut of [...cuts, text.length]) {
          deltas.push(text.slice(previous, cut));
          previous = cut;
        }
        const server = await createElevenLabsTestServer({
          charactersPerChunk: input.charactersPerChunk,
          msPerCharacter: input.msPerCharacter,
        });
        try {
          const tts = providerFor(server).tts(undefined, {
            outputFormat: input.outputFormat,
            flushAtSentenceEnd: input.flushAtSentenceEnd,
            chunkLengthSchedule: [50],
          });
          // Deltas arrive asynchronously, one per microtask, like a streamed LLM answer.
          const stream = new Observable<string>((subscriber) => {
            let cancelled = false;
            void (async () => {
              for (const delta of deltas) {
                await Promise.resolve();
                if (cancelled) return;
                subscriber.next(delta);
              }
              subscriber.complete();
            })();
            return () => {
              cancelled = true;
            };
          });
          const events: TtsEvent[] = await collect(tts.synthesize({ text: stream }));
          const end = events.at(-1);
          expect(end?.type).toBe('end');
          const durationMs = end?.type === 'end' ? end.durationMs : 0;
          const marks = wordMarks(events);
          expect(marks.map((mark) => mark.text)).toEqual(text.split(/\s+/).filter(Boolean));
          let previousEnd = 0;
          for (const mark of marks) {
            expect(mark.offsetMs).toBeGreaterThanOrEqual(previousEnd - 1e-9);
            expect(mark.offsetMs + mark.durationMs).toBeLessThanOrEqual(durationMs + 1e-9);
            previousEnd = mark.offsetMs + mark.durationMs;
          }
        } finally {
          await server.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
