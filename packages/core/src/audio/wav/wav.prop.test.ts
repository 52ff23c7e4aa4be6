import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_SAMPLE_RATES } from '../audio-frame';
import { encodeWav } from './encode-wav';
import { readWav } from './read-wav';
import { MemoryWavSink, WavWriter } from './wav-writer';

const format = fc.record({
  sampleRate: fc.constantFrom(...SUPPORTED_SAMPLE_RATES),
  channels: fc.constantFrom<1 | 2>(1, 2),
});
const samples = fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 4000, size: 'max' });

describe('WAV round trip', () => {
  // 300 runs; 0–4000 random PCM16 values (trimmed to whole frames), every rate, mono and stereo.
  it('readWav(encodeWav(x)) is x', () => {
    fc.assert(
      fc.property(format, samples, (wavFormat, values) => {
        const input = Int16Array.from(values.slice(0, values.length - (values.length % wavFormat.channels)));
        const wav = readWav(encodeWav(input, wavFormat));
        expect(wav.format).toEqual(wavFormat);
        expect(wav.samples).toEqual(input);
        expect(wav.durationMs).toBeCloseTo(
          (input.length / wavFormat.channels / wavFormat.sampleRate) * 1000,
          9,
        );
      }),
      { numRuns: 300 },
    );
  });

  // 200 runs; the same inputs cut into 0–20 random chunk sizes (whole frames), via the streaming
  // writer on a memory sink; also the frames() of the result reassemble the input.
  it('streaming writes in any chunking read back as the input', async () => {
    await fc.assert(
      fc.asyncProperty(
        format,
        samples,
        fc.array(fc.integer({ min: 0, max: 1500 }), { maxLength: 20, size: 'max' }),
        async (wavFormat, values, cuts) => {
          const input = Int16Array.from(
            values.slice(0, values.length - (values.length % wavFormat.channels)),
          );
          const sink = new MemoryWavSink();
          const writer = new WavWriter(sink, wavFormat);
          let offset = 0;
          for (const cut of cuts) {
            const end = Math.min(input.length, offset + cut * wavFormat.channels);
            await writer.write(input.slice(offset, end));
            offset = end;
          }
          await writer.write(input.slice(offset));
          await writer.end();
          const bytes = sink.bytes();
          expect(bytes).toEqual(encodeWav(input, wavFormat));
          const wav = readWav(bytes);
          expect(wav.samples).toEqual(input);
          const joined = wav.frames(20).flatMap((frame) => [...frame.samples]);
          expect(joined.slice(0, input.length)).toEqual([...input]);
          expect(joined.slice(input.length).every((s) => s === 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
