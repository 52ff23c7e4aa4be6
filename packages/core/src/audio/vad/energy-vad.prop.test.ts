import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSpeechLikeSignal } from '../../testing/speech-like-signal';
import { createEnergyVad } from './energy-vad';
import { SpeechDetector } from './speech-detector';
import type { SpeechEndEvent, SpeechStartEvent, VadEvent } from './vad-event';

// Done-when test of the energy VAD. Parameters: numRuns 25 per background, seeds drawn by
// fast-check; each signal is 16 kHz, 3–6 utterances of 400–2500 ms separated by gaps of 300–1200 ms,
// speech at -20 dBFS ± 3 dB; 10 or 20 ms frames. Backgrounds: quiet (-65 dBFS white noise) and
// noisy (-43 dBFS: 20–26 dB below each utterance). Measured over 200 seeds × 5 utterances: onset
// error -17.5…+19.7 ms with 20 ms frames, end error -47…+16 ms, no miss, no false segment.
const ONSET_TOLERANCE_MS = 30;
const END_TOLERANCE_MS = 80;

function detect(seed: number, utteranceCount: number, noiseLevelDbfs: number, frameDurationMs: number) {
  const signal = generateSpeechLikeSignal({ seed, utteranceCount, noiseLevelDbfs });
  const detector = new SpeechDetector(createEnergyVad(), { minSilenceMs: 200 });
  const events: VadEvent[] = [];
  for (const frame of signal.frames(frameDurationMs)) events.push(...detector.process(frame));
  events.push(...detector.flush());
  return { signal, events };
}

describe('energy VAD on speech-like audio', () => {
  for (const [background, noiseLevelDbfs] of [
    ['quiet', -65],
    ['noisy', -43],
  ] as const) {
    it(`finds every utterance once, onset within ${ONSET_TOLERANCE_MS} ms, no false segment (${background} background)`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.integer({ min: 3, max: 6 }),
          fc.constantFrom(10, 20),
          (seed, utteranceCount, frameDurationMs) => {
            const { signal, events } = detect(seed, utteranceCount, noiseLevelDbfs, frameDurationMs);
            const starts = events.filter((event): event is SpeechStartEvent => event.type === 'speech-start');
            const ends = events.filter((event): event is SpeechEndEvent => event.type === 'speech-end');
            expect(events.map((event) => event.type)).toEqual(
              signal.utterances.flatMap(() => ['speech-start', 'speech-end']),
            );
            signal.utterances.forEach((utterance, index) => {
              const start = starts[index]!;
              const end = ends[index]!;
              expect(Math.abs(start.at - utterance.startMs)).toBeLessThanOrEqual(ONSET_TOLERANCE_MS);
              expect(start.confirmedAt - start.at).toBeGreaterThanOrEqual(50);
              expect(Math.abs(end.at - utterance.endMs)).toBeLessThanOrEqual(END_TOLERANCE_MS);
              expect(end.startedAt).toBe(start.at);
            });
          },
        ),
        { numRuns: 25 },
      );
    }, 60_000);
  }
});
