import { StreamingResampler } from '@argentum/core';
import { AudioFrame, AudioResampler, AudioResamplerQuality } from '@livekit/rtc-node';
import { compare, type MeasureResult } from '../harness';

const FRAMES_PER_ROUND = 50; // one second of audio

function speechLikeFrames(): Int16Array[] {
  const frames: Int16Array[] = [];
  let phase = 0;
  for (let f = 0; f < FRAMES_PER_ROUND; f++) {
    const samples = new Int16Array(960);
    for (let i = 0; i < samples.length; i++) {
      phase += (2 * Math.PI * (220 + 180 * Math.sin(f / 7))) / 48000;
      samples[i] = Math.round(8000 * Math.sin(phase) + 3000 * Math.sin(3.1 * phase));
    }
    frames.push(samples);
  }
  return frames;
}

/** Streaming 48 kHz → 16 kHz mono, µs per 20 ms frame, against LiveKit's native resampler. */
export function resamplingSuite(): Record<string, MeasureResult> {
  const inputs = speechLikeFrames();
  const peerFrames = inputs.map((samples) => new AudioFrame(samples, 48000, 1, 960));
  const results: Record<string, MeasureResult> = {};
  for (const [label, quality, peerQuality] of [
    ['resample_48k_to_16k_fast_vs_quick', 'fast', AudioResamplerQuality.QUICK],
    ['resample_48k_to_16k_high_vs_high', 'high', AudioResamplerQuality.HIGH],
  ] as const) {
    const ours = new StreamingResampler({ inputRate: 48000, outputRate: 16000, channels: 1, quality });
    const peer = new AudioResampler(48000, 16000, 1, peerQuality);
    results[label] = compare(
      'µs per 20 ms frame',
      {
        round() {
          for (const frame of inputs) ours.process(frame);
          return inputs.length;
        },
      },
      {
        round() {
          for (const frame of peerFrames) peer.push(frame);
          return peerFrames.length;
        },
      },
      {},
      `ours quality '${quality}', peer @livekit/rtc-node AudioResampler ${AudioResamplerQuality[peerQuality]}`,
    );
    peer.close();
  }
  return results;
}
