/**
 * audio-basics — an Argentum starter.
 *
 * Reads a WAV (or generates a speech-like one), resamples it to 16 kHz, finds the speech with the energy
 * VAD, ducks a background bed under the voice while it speaks, writes the mix as a WAV and prints the
 * detected speech segments.
 *
 *   pnpm start                         # generate input, write ./out/{input,mixed}.wav
 *   pnpm start -- --in call.wav --out results --duck-db -15
 *   pnpm start -- --help
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ArgentumError,
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

const USAGE = `Usage: pnpm start [--in <file.wav>] [--out <dir>] [--duck-db <dB ≤ 0>] [--seed <n>]
  --in       your own WAV (PCM16 or float32, mono or stereo, any supported rate); default: generated
  --out      output folder (default ./out)
  --duck-db  gain of the bed under speech in dB, ≤ 0 (default -12), e.g. --duck-db -18
  --seed     seed of the generated input (default 7)
`;

/**
 * The command-line arguments, ready for `parseArgs`: `pnpm start -- --in x` passes the `--` along
 * (dropped here), and `--duck-db -18` is joined to `--duck-db=-18` (parseArgs refuses a separate
 * value that starts with `-`).
 */
function normalizeArgs(argv: readonly string[]): string[] {
  const args = argv.filter((arg, index) => !(index === 0 && arg === '--'));
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const next = args[index + 1];
    if (arg === '--duck-db' && next !== undefined && /^-\d*\.?\d+$/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else joined.push(arg);
  }
  return joined;
}

function parseCli(argv: readonly string[]) {
  try {
    return parseArgs({
      args: normalizeArgs(argv),
      options: {
        in: { type: 'string' },
        out: { type: 'string', default: 'out' },
        'duck-db': { type: 'string', default: '-12' },
        seed: { type: 'string', default: '7' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE.trimEnd()}`);
  }
}

const values = parseCli(process.argv.slice(2));
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const outDir = resolve(values.out);
const duckDb = Number(values['duck-db']);
if (values['duck-db'].trim() === '' || !Number.isFinite(duckDb) || duckDb > 0)
  fail(`--duck-db expects a gain in dB ≤ 0, e.g. --duck-db -18 (got "${values['duck-db']}")`);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail(`--seed expects an integer, e.g. --seed 3 (got "${values.seed}")`);
await mkdir(outDir, { recursive: true });

// 1. The input: a WAV file, or a generated speech-like signal at 48 kHz.
let inputPath = values.in ? resolve(values.in) : join(outDir, 'input.wav');
if (!values.in) {
  const signal = generateSpeechLikeSignal({
    seed,
    sampleRate: 48000,
    utteranceCount: 5,
  });
  await writeFile(inputPath, encodeWav(signal.samples, { sampleRate: 48000, channels: 1 }));
  console.log(`generated ${inputPath} (${(signal.durationMs / 1000).toFixed(1)} s, 48 kHz)`);
}
const wav = await readInput(inputPath, values.in);
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

if (segments.length === 0) {
  console.log(
    '\nno speech detected: the energy VAD looks for a level at least 10 dB above the noise floor that ' +
      'fluctuates like syllables do; silence, a steady tone or constant noise becomes the floor itself.',
  );
} else {
  console.log(`\nspeech segments (energy VAD, 16 kHz):`);
  console.table(
    segments.map((segment, i) => ({
      '#': i + 1,
      'start (s)': (segment.startMs / 1000).toFixed(2),
      'end (s)': segment.endMs === undefined ? '—' : (segment.endMs / 1000).toFixed(2),
      'length (ms)': segment.endMs === undefined ? '—' : Math.round(segment.endMs - segment.startMs),
    })),
  );
}
const level = measureLevel(readWav(new Uint8Array(await readFile(join(outDir, 'mixed.wav')))).samples);
console.log(
  `wrote ${join(outDir, 'mixed.wav').replace(`${process.cwd()}/`, '')} (${(writer.durationMs / 1000).toFixed(2)} s, 16 kHz, RMS ${level.rmsDbfs.toFixed(1)} dBFS; bed ducked ${duckDb} dB under speech)`,
);

/** Prints `message` (a mistake in the flags or the input) and exits with code 2, no stack trace. */
function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

/** Reads and decodes the input WAV; a missing file or a bad WAV ends the run with a one-line error. */
async function readInput(path: string, given: string | undefined): Promise<ReturnType<typeof readWav>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      `--in: cannot read ${given ?? path} (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
    );
  }
  try {
    return readWav(bytes);
  } catch (error) {
    if (ArgentumError.isInstance(error)) fail(`--in: ${given ?? path}: ${error.message}`);
    throw error;
  }
}
