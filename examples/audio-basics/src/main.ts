/**
 * audio-basics — an Argentum starter.
 *
 * Reads a WAV (or generates a speech-like one), resamples it to 16 kHz, finds the speech with the energy
 * VAD, ducks a background bed under the voice while it speaks, writes the mix as a WAV and prints the
 * detected speech segments.
 *
 *   pnpm start                         # generate input, write ./out/{input,mixed}.wav
 *   pnpm start -- --in call.wav --out results --duck-db -15
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AudioFrame,
  createEnergyVad,
  encodeWav,
  Mixer,
  measureLevel,
  readWav,
  resample,
  SpeechDetector,
  stereoToMono,
  WavWriter,
} from '@argentum/core';
import { generateSpeechLikeSignal } from '@argentum/core/testing';
import { from, lastValueFrom, toArray } from 'rxjs';

const { values } = parseArgs({
  options: {
    in: { type: 'string' },
    out: { type: 'string', default: 'out' },
    'duck-db': { type: 'string', default: '-12' },
    seed: { type: 'string', default: '7' },
  },
});
const outDir = resolve(values.out ?? 'out');
const duckDb = Number(values['duck-db']);
if (!Number.isFinite(duckDb) || duckDb > 0)
  throw new Error(`--duck-db must be a number ≤ 0, got ${values['duck-db']}`);
await mkdir(outDir, { recursive: true });

// 1. The input: a WAV file, or a generated speech-like signal at 48 kHz.
let inputPath = values.in ? resolve(values.in) : join(outDir, 'input.wav');
if (!values.in) {
  const signal = generateSpeechLikeSignal({
    seed: Number(values.seed),
    sampleRate: 48000,
    utteranceCount: 5,
  });
  await writeFile(inputPath, encodeWav(signal.samples, { sampleRate: 48000, channels: 1 }));
  console.log(`generated ${inputPath} (${(signal.durationMs / 1000).toFixed(1)} s, 48 kHz)`);
}
const wav = readWav(new Uint8Array(await readFile(inputPath)));
inputPath = inputPath.replace(`${process.cwd()}/`, '');
console.log(
  `read ${inputPath}: ${wav.format.sampleRate} Hz, ${wav.format.channels} ch, ${(wav.durationMs / 1000).toFixed(2)} s`,
);

// 2. Resample to 16 kHz mono, as a stream of 20 ms frames.
const voice = await lastValueFrom(
  from(wav.frames(20).map((frame) => stereoToMono(frame))).pipe(resample({ to: 16000 }), toArray()),
);

// 3. A background bed (a soft chord) to duck under the voice.
function bedFrame(index: number, length: number): Int16Array {
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const t = (index * length + i) / 16000;
    const tone =
      Math.sin(2 * Math.PI * 220 * t) +
      0.7 * Math.sin(2 * Math.PI * 277.2 * t) +
      0.5 * Math.sin(2 * Math.PI * 329.6 * t);
    samples[i] = Math.round(2600 * tone);
  }
  return samples;
}

// 4. Run VAD frame by frame; duck the bed while speech is detected; mix and write.
const mixer = new Mixer({ sampleRate: 16000, channels: 1, frameDurationMs: 20 });
const voiceTrack = mixer.addTrack('voice');
const bedTrack = mixer.addTrack('bed', { gainDb: -6 });
const detector = new SpeechDetector(createEnergyVad());
const writer = await WavWriter.open(join(outDir, 'mixed.wav'), mixer.format);
const segments: { startMs: number; endMs?: number }[] = [];
let index = 0;
for (const frame of voice) {
  for (const event of detector.process(frame)) {
    if (event.type === 'speech-start') {
      segments.push({ startMs: event.at });
      bedTrack.duck(duckDb);
    } else {
      const open = segments.at(-1);
      if (open) open.endMs = event.at;
      bedTrack.unduck();
    }
  }
  voiceTrack.push(frame);
  bedTrack.push({ ...frame, samples: bedFrame(index, frame.samples.length) } satisfies AudioFrame);
  await writer.write(mixer.render(frame.timestamp));
  index++;
}
for (const event of detector.flush()) {
  const open = segments.at(-1);
  if (event.type === 'speech-end' && open) open.endMs = event.at;
}
await writer.end();

console.log(`\nspeech segments (energy VAD, 16 kHz):`);
console.table(
  segments.map((segment, i) => ({
    '#': i + 1,
    'start (s)': (segment.startMs / 1000).toFixed(2),
    'end (s)': segment.endMs === undefined ? '—' : (segment.endMs / 1000).toFixed(2),
    'length (ms)': segment.endMs === undefined ? '—' : Math.round(segment.endMs - segment.startMs),
  })),
);
const level = measureLevel(readWav(new Uint8Array(await readFile(join(outDir, 'mixed.wav')))).samples);
console.log(
  `wrote ${join(outDir, 'mixed.wav').replace(`${process.cwd()}/`, '')} (${(writer.durationMs / 1000).toFixed(2)} s, 16 kHz, RMS ${level.rmsDbfs.toFixed(1)} dBFS; bed ducked ${duckDb} dB under speech)`,
);
