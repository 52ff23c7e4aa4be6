import { createAudioFrame, createEnergyVad } from '@argentum/core';
import { compare, type MeasureResult } from '../harness';

/** Energy VAD scoring per 32 ms window at 16 kHz (512 samples); target ≤ 2 µs. */
export function vadSuite(): Record<string, MeasureResult> {
  const windows = Array.from({ length: 64 }, (_, w) => {
    const samples = new Int16Array(512);
    for (let i = 0; i < samples.length; i++)
      samples[i] = Math.round(6000 * Math.sin((w * 512 + i) * 0.07) * (w % 4 ? 1 : 0.01));
    return createAudioFrame({ samples, sampleRate: 16000, channels: 1, timestamp: w * 32 });
  });
  const vad = createEnergyVad();
  let sink = 0;
  const result = compare(
    'µs per 32 ms window (16 kHz)',
    {
      round() {
        for (const window of windows) sink += vad.score(window);
        return windows.length;
      },
    },
    null,
    {},
    'target ≤ 2 µs; the peer (Silero through LiveKit) measures 366–640 µs per window on this kind of machine (TARGETS.md)',
  );
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return { energy_vad_32ms_window: result };
}
