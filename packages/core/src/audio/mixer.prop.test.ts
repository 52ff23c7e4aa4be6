import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAudioFrame, type SampleRate, SUPPORTED_SAMPLE_RATES } from './audio-frame';
import { GainEnvelope } from './gain-envelope';
import { Mixer } from './mixer';

const int16 = fc.integer({ min: -32768, max: 32767 });
const rate = fc.constantFrom(...SUPPORTED_SAMPLE_RATES);
const channels = fc.constantFrom<1 | 2>(1, 2);
/** Frame durations that are a whole number of samples at every supported rate. */
const frameDurationMs = fc.constantFrom(20, 40, 60);

function samplesOf(values: number[], count: number): Int16Array {
  return Int16Array.from({ length: count }, (_, i) => values[i % values.length]!);
}

describe('Mixer properties', () => {
  // 200 runs; 1–5 tracks, gains -60…+24 dB or muted, 1–3 frames of random samples.
  it('sums with saturation: each output sample is the clamped, rounded sum of gained inputs', () => {
    fc.assert(
      fc.property(
        rate,
        channels,
        fc.array(
          fc.record({
            gainDb: fc.oneof(fc.double({ min: -60, max: 24, noNaN: true }), fc.constant(-Infinity)),
            values: fc.array(int16, { minLength: 1, maxLength: 50 }),
            frames: fc.integer({ min: 1, max: 3 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (sampleRate, channelCount, tracks) => {
          const mixer = new Mixer({ sampleRate, channels: channelCount });
          const length = mixer.frameLength * channelCount;
          const inputs = tracks.map((spec, index) => {
            const samples = samplesOf(spec.values, length * spec.frames);
            mixer
              .addTrack(`t${index}`, { gainDb: spec.gainDb })
              .push(createAudioFrame({ samples, sampleRate, channels: channelCount }));
            return { samples, gain: spec.gainDb === -Infinity ? 0 : 10 ** (spec.gainDb / 20) };
          });
          let worstError = 0;
          for (let f = 0; f < 3; f++) {
            const out = mixer.render(f * 20).samples;
            for (let i = 0; i < length; i++) {
              let exact = 0;
              for (const input of inputs) exact += (input.samples[f * length + i] ?? 0) * input.gain;
              const clamped = Math.min(32767, Math.max(-32768, exact));
              worstError = Math.max(worstError, Math.abs(out[i]! - clamped));
            }
          }
          // Rounding only: a sum beyond the int16 range comes out at the rail, never wrapped.
          expect(worstError).toBeLessThanOrEqual(0.5 + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });

  // 200 runs; 0–12 chunks of 0–3000 samples per channel (pseudo-random full-range values), every
  // rate, mono and stereo, 20/40/60 ms frames.
  it('conserves samples: one unit-gain track comes out exactly as it went in', () => {
    fc.assert(
      fc.property(
        rate,
        channels,
        frameDurationMs,
        fc.array(fc.record({ length: fc.integer({ min: 0, max: 3000 }), seed: int16 }), { maxLength: 12 }),
        (sampleRate, channelCount, durationMs, chunks) => {
          const mixer = new Mixer({ sampleRate, channels: channelCount, frameDurationMs: durationMs });
          const track = mixer.addTrack('only');
          const input: number[] = [];
          for (const { length, seed } of chunks) {
            const whole = Int16Array.from({ length: length * channelCount }, (_, i) => seed + i * 7919);
            input.push(...whole);
            track.push(createAudioFrame({ samples: whole, sampleRate, channels: channelCount }));
          }
          const output: number[] = [];
          while (output.length < input.length) output.push(...mixer.render(0).samples);
          expect(output.slice(0, input.length)).toEqual(input);
          expect(output.slice(input.length).every((s) => s === 0)).toBe(true);
          expect(track.bufferedMs).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  // 300 runs; 1–8 gain requests (-60…+12 dB or muted, ramps 0.1–80 ms, clamped to a 30 ms
  // maxRampMs) at random points, 20 ms frames so requests land mid-ramp, full-scale DC input.
  it('never steps faster than the running ramp allows (full-scale DC in, sample deltas out)', () => {
    fc.assert(
      fc.property(
        rate,
        fc.array(
          fc.record({
            framesBefore: fc.integer({ min: 0, max: 4 }),
            gainDb: fc.oneof(fc.double({ min: -60, max: 12, noNaN: true }), fc.constant(-Infinity)),
            rampMs: fc.double({ min: 0.1, max: 80, noNaN: true }),
            duck: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (sampleRate: SampleRate, requests) => {
          const mixer = new Mixer({ sampleRate, maxRampMs: 30 });
          const track = mixer.addTrack('dc');
          const totalFrames = requests.reduce((sum, r) => sum + r.framesBefore, 0) + 4;
          track.push(
            createAudioFrame({
              samples: new Int16Array(mixer.frameLength * totalFrames).fill(32767),
              sampleRate,
              channels: 1,
            }),
          );
          const ramps: { start: number; length: number; step: number }[] = [];
          const out: number[] = [];
          const renderFrames = (count: number): void => {
            for (let f = 0; f < count; f++) out.push(...mixer.render(0).samples);
          };
          for (const request of requests) {
            renderFrames(request.framesBefore);
            const before = track.currentGain;
            if (request.duck && request.gainDb <= 0) track.duck(request.gainDb, { rampMs: request.rampMs });
            else track.setGain(request.gainDb, { rampMs: request.rampMs });
            const length = Math.round((Math.min(request.rampMs, 30) * sampleRate) / 1000);
            ramps.push({
              start: out.length,
              length,
              step: Math.abs(track.targetGain - before) / Math.max(length, 1),
            });
          }
          renderFrames(totalFrames - requests.reduce((sum, r) => sum + r.framesBefore, 0));
          let worstExcess = 0;
          let next = 0;
          let active: (typeof ramps)[number] | undefined;
          for (let n = 1; n < out.length; n++) {
            while (next < ramps.length && ramps[next]!.start <= n) active = ramps[next++];
            const allowed = active !== undefined && n < active.start + active.length ? active.step : 0;
            // Rounding each sample to an integer adds at most 1 to the difference.
            worstExcess = Math.max(worstExcess, Math.abs(out[n]! - out[n - 1]!) - (32767 * allowed + 1));
          }
          expect(worstExcess).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  // 300 runs; random start/end gains (0…4), lengths 0–2000 samples, queries around the ramp.
  it('envelope: linear ramps move by exactly |Δ|/length per sample and start from the current gain', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.array(
          fc.record({
            target: fc.double({ min: 0, max: 4, noNaN: true }),
            at: fc.integer({ min: 0, max: 3000 }),
            length: fc.integer({ min: 1, max: 2000 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (initial, ramps) => {
          const envelope = new GainEnvelope(initial);
          let position = 0;
          for (const ramp of ramps) {
            position += ramp.at;
            const before = envelope.valueAt(position - 1);
            envelope.rampTo(ramp.target, position, ramp.length);
            const step = Math.abs(ramp.target - before) / ramp.length;
            expect(envelope.valueAt(position - 1)).toBe(before); // the past is untouched
            let worstExcess = 0;
            for (let i = position; i < position + ramp.length + 2; i++) {
              const delta = Math.abs(envelope.valueAt(i) - envelope.valueAt(i - 1));
              const allowed = i < position + ramp.length ? step : 0;
              worstExcess = Math.max(worstExcess, delta - allowed);
            }
            expect(worstExcess).toBeLessThanOrEqual(1e-12);
            expect(envelope.valueAt(position + ramp.length - 1)).toBe(ramp.target);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  // 300 runs; DC levels ±16000, the incoming track starting at a random gain 0…1, fades 1–100 ms,
  // both curves, every rate.
  it('crossfades along the expected envelope', () => {
    fc.assert(
      fc.property(
        rate,
        fc.integer({ min: -16000, max: 16000 }),
        fc.integer({ min: -16000, max: 16000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom<'equal-power' | 'linear'>('equal-power', 'linear'),
        (sampleRate, fromLevel, toLevel, toStart, durationMs, curve) => {
          const mixer = new Mixer({ sampleRate });
          const length = Math.round((durationMs * sampleRate) / 1000);
          const frames = Math.ceil(length / mixer.frameLength) + 1;
          const total = frames * mixer.frameLength;
          const from = mixer.addTrack('from');
          const to = mixer.addTrack('to', { gainDb: 20 * Math.log10(toStart) });
          from.push(
            createAudioFrame({ samples: new Int16Array(total).fill(fromLevel), sampleRate, channels: 1 }),
          );
          to.push(
            createAudioFrame({ samples: new Int16Array(total).fill(toLevel), sampleRate, channels: 1 }),
          );
          const a = to.currentGain;
          mixer.crossfade('from', 'to', durationMs, { curve });
          const out: number[] = [];
          for (let f = 0; f < frames; f++) out.push(...mixer.render(f * 20).samples);
          let worstError = 0;
          for (let n = 0; n < total; n++) {
            const p = Math.min(1, (n + 1) / length);
            const fadeOut = curve === 'linear' ? 1 - p : Math.cos((p * Math.PI) / 2);
            const fadeIn = curve === 'linear' ? p : Math.sin((p * Math.PI) / 2);
            const expected = fromLevel * fadeOut + toLevel * (a + (1 - a) * fadeIn);
            worstError = Math.max(worstError, Math.abs(out[n]! - expected));
          }
          expect(worstError).toBeLessThanOrEqual(0.5 + 1e-6);
          expect(to.currentGain).toBe(1);
          expect(from.currentGain).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
