import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../audio/audio-frame';
import { OutputAssembler } from './output-assembler';

const frame = (timestamp: number, value: number, length = 160): AudioFrame => ({
  samples: new Int16Array(length).fill(value),
  sampleRate: 8000,
  channels: 1,
  timestamp,
});

describe('OutputAssembler', () => {
  it('fills idle gaps with silence and sums restarted frames that overlap', () => {
    const out: AudioFrame[] = [];
    const assembler = new OutputAssembler({ sampleRate: 8000, channels: 1 }, 1000, 20, (f) => out.push(f));
    assembler.push(frame(1000, 1)); // 1000–1020
    assembler.push(frame(1020, 2)); // 1020–1040
    assembler.push(frame(1030, 4)); // restart overlapping the last 10 ms
    assembler.push(frame(1100, 8)); // after a 50 ms gap
    assembler.flush(1140);
    const samples = Int16Array.from(out.flatMap((f) => Array.from(f.samples)));
    expect(samples.length).toBe(140 * 8);
    expect(out.every((f, index) => f.timestamp === 1000 + index * 20)).toBe(true);
    expect(samples[0]).toBe(1);
    expect(samples[20 * 8]).toBe(2);
    expect(samples[35 * 8]).toBe(6); // overlap: 2 + 4
    expect(samples[45 * 8]).toBe(4);
    expect(samples[70 * 8]).toBe(0); // the gap
    expect(samples[110 * 8]).toBe(8);
    expect(samples[139 * 8]).toBe(0); // padding to the end
  });

  it('saturates instead of wrapping', () => {
    const out: AudioFrame[] = [];
    const assembler = new OutputAssembler({ sampleRate: 8000, channels: 1 }, 0, 20, (f) => out.push(f));
    assembler.push(frame(0, 30000));
    assembler.push(frame(10, 30000));
    assembler.flush();
    expect(Math.max(...out.flatMap((f) => Array.from(f.samples)))).toBe(32767);
  });
});
