import { bytesToBase64, frameDurationMs, samplesToPcm16Bytes, type TtsEvent } from '@argentum/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOutputFormat } from './elevenlabs-tts-options';
import { TextChunker } from './text-chunker';
import { UtteranceAssembler } from './utterance-assembler';

const RATE = 16000;
const word = fc.stringMatching(/^[A-Za-z']{1,8}[.,!?;]?$/);
const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\n');

/** Random text, cut into random deltas, with a random duration (in samples) for each character. */
const scenario = fc
  .record({
    words: fc.array(word, { minLength: 1, maxLength: 30 }),
    separators: fc.array(separator, { minLength: 30, maxLength: 30 }),
    cuts: fc.array(fc.nat(400), { maxLength: 12 }),
    chunkCuts: fc.array(fc.nat(400), { maxLength: 25 }),
    charSamples: fc.array(fc.integer({ min: 16, max: 1600 }), { minLength: 400, maxLength: 400 }),
    // Vendor timings are not tidy: starts jitter (even before the chunk), durations overshoot
    // into the next character or past the chunk's audio.
    startJitterMs: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 400, maxLength: 400 }),
    overshootMs: fc.array(fc.constantFrom(0, 0, 0, 3, 40), { minLength: 400, maxLength: 400 }),
    extraText: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    normalized: fc.boolean(),
  })
  .map((input) => ({
    ...input,
    text: input.words.map((w, i) => `${w}${input.separators[i]}`).join(''),
  }));

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(input: Scenario) {
  // Deltas → pieces, as the model sends them.
  const cuts = [...new Set(input.cuts.map((cut) => cut % (input.text.length + 1)))].sort((a, b) => a - b);
  const deltas: string[] = [];
  let previous = 0;
  for (const cut of [...cuts, input.text.length]) {
    deltas.push(input.text.slice(previous, cut));
    previous = cut;
  }
  const chunker = new TextChunker();
  const pieces = [...deltas.flatMap((delta) => chunker.push(delta)), ...chunker.finish()].map((p) => p.text);
  const sent = pieces.join('');
  const chars = Array.from(sent);
  // The server aligns exactly the sent characters, split into random chunks.
  const chunkCuts = [...new Set(input.chunkCuts.map((cut) => cut % (chars.length + 1)))].sort(
    (a, b) => a - b,
  );
  const bounds = [0, ...chunkCuts.filter((cut) => cut > 0 && cut < chars.length), chars.length];
  const assembler = new UtteranceAssembler({
    format: parseOutputFormat('pcm_16000'),
    outputSampleRate: RATE,
    frameDurationMs: 20,
    useTextHint: !input.normalized,
  });
  const events: TtsEvent[] = [];
  const emit = (event: TtsEvent) => events.push(event);
  let piecesAdded = 0;
  let textAdded = 0;
  for (let c = 0; c + 1 < bounds.length; c++) {
    const [from, to] = [bounds[c]!, bounds[c + 1]!];
    // The server only speaks text it received: add pieces up to this chunk's end (maybe more).
    while (piecesAdded < pieces.length && (textAdded < to || input.extraText[c % 40])) {
      assembler.addSentText(pieces[piecesAdded]!);
      textAdded += Array.from(pieces[piecesAdded]!).length;
      piecesAdded++;
      if (textAdded >= to && !input.extraText[(c + piecesAdded) % 40]) break;
    }
    const sizes = chars.slice(from, to).map((_, i) => input.charSamples[(from + i) % 400]!);
    const samples = new Int16Array(sizes.reduce((sum, n) => sum + n, 0)).fill(1000);
    let offset = 0;
    const startsMs = sizes.map((n, i) => {
      const start = (offset / RATE) * 1000 + input.startJitterMs[(from + i) % 400]!;
      offset += n;
      return start;
    });
    const durationsMs = sizes.map((n, i) => (n / RATE) * 1000 + input.overshootMs[(from + i) % 400]!);
    assembler.pushChunk(
      bytesToBase64(samplesToPcm16Bytes(samples)),
      { chars: chars.slice(from, to), startsMs, durationsMs },
      c,
      emit,
    );
  }
  const durationMs = assembler.finish(bounds.length, emit);
  return { events, durationMs, words: input.text.split(/\s+/).filter(Boolean) };
}

describe('UtteranceAssembler (property)', () => {
  // numRuns 300; texts of 1–30 words, 0–12 delta cuts, 0–25 alignment chunk cuts, 1–100 ms characters,
  // starts jittered by ±5 ms and durations overshooting by up to 40 ms.
  it('word marks are monotone, cover every word once, fit the audio and precede their audio', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { events, durationMs, words } = run(input);
        const marks = events.flatMap((event, index) =>
          event.type === 'mark' && event.kind === 'word' ? [{ ...event, index }] : [],
        );
        expect(marks.map((mark) => mark.text)).toEqual(words);
        let previousEnd = 0;
        for (const mark of marks) {
          expect(mark.aligned).toBe(true);
          expect(mark.offsetMs).toBeGreaterThanOrEqual(previousEnd - 1e-9);
          expect(mark.durationMs).toBeGreaterThanOrEqual(0);
          expect(mark.offsetMs + mark.durationMs).toBeLessThanOrEqual(durationMs + 1e-9);
          previousEnd = mark.offsetMs + mark.durationMs;
          // Every frame emitted before the mark ends at or before the word starts.
          for (const event of events.slice(0, mark.index)) {
            if (event.type === 'audio') {
              expect(event.frame.timestamp + frameDurationMs(event.frame)).toBeLessThanOrEqual(
                mark.offsetMs + 1e-9,
              );
            }
          }
        }
        const audio = events.filter((event) => event.type === 'audio');
        expect(audio.length).toBe(Math.ceil(durationMs / 20 - 1e-9));
      }),
      { numRuns: 300 },
    );
  });
});
