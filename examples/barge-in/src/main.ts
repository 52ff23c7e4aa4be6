/**
 * barge-in: an agent speaks a paragraph, a user's recorded voice interrupts it. Offline.
 *
 *   pnpm start                           # virtual clock (instant), writes ./out
 *   pnpm start -- --out /tmp/barge-in    # another output folder
 *   pnpm start -- --realtime             # the same on the wall clock (~14 s)
 *   pnpm start -- --user my-voice.wav --text "hold on, a question"   # your own recording (any rate, mono or stereo)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ArgentumError, encodeWav } from '@argentum/core';
import { runBargeIn } from './run-barge-in';
import { recordUser, SAMPLE_RATE, type SessionAudio, toSessionAudio } from './user-voice';

const PARAGRAPH =
  'Here is the plan for tomorrow. We meet at the station at eight, and take the early train to the coast. ' +
  'After lunch there is a guided walk along the cliffs. In the evening we have dinner at the harbour, ' +
  'and then we catch the last train home.';
const USER_TEXT = 'Wait, wait. Can we leave at nine instead?';

const USAGE = `Usage: pnpm start -- [--out <dir>] [--realtime] [--user <WAV> --text <what it says>] [--at <ms>]
  --out       output folder (default ./out)
  --realtime  run on the wall clock instead of a virtual clock
  --user      the user's recording, any WAV (PCM16/float32, 8–48 kHz, mono or stereo; converted to
              16 kHz mono); default: generated with the offline voice "dara"
  --text      what the recording says (fed to the scripted STT)
  --at        when the user's recording starts, ms after the agent starts (default 2500)
  --runs      repeat the barge-in N times (the user starting 37 ms later each time) and print
              the pause-latency percentiles
`;

async function main(): Promise<void> {
  // `pnpm start -- --out x` passes the `--` along: drop it.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(args);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (pnpm start -- --help lists the flags)`);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const userStartMs = Number(values.at);
  if (values.at.trim() === '' || !Number.isFinite(userStartMs) || userStartMs < 0)
    throw new UsageError(`--at expects ms ≥ 0, e.g. --at 3000 (got "${values.at}")`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UsageError(`--runs expects a whole number ≥ 1, e.g. --runs 20 (got "${values.runs}")`);
  if (values.text !== undefined && values.user === undefined)
    throw new UsageError('--text describes your own recording: give it with --user <file.wav>.');
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });

  let userWav: Uint8Array;
  let userText: string;
  if (values.user === undefined) {
    const recording = await recordUser(USER_TEXT, { voice: 'dara', leadInMs: 600 });
    userWav = recording.wav;
    userText = USER_TEXT;
    await writeFile(join(out, 'user.wav'), userWav);
  } else {
    const audio = await readUserWav(values.user);
    userWav = audio.wav;
    userText = values.text ?? '';
    if (audio.converted) {
      console.log(
        `Converted ${values.user} from ${audio.originalSampleRate} Hz ${audio.originalChannels === 2 ? 'stereo' : 'mono'} to 16 kHz mono (stereoToMono + resample).`,
      );
    }
  }

  console.log(`Agent: "${PARAGRAPH}"`);
  console.log(
    `User (from ${userStartMs} ms): "${userText}"  — ${values.realtime ? 'real time' : 'virtual clock'}\n`,
  );
  const run = await runBargeIn({
    paragraph: PARAGRAPH,
    userWav,
    userText,
    userStartMs,
    realtime: values.realtime,
  });

  console.log('State timeline (ms from the agent starting):');
  for (const entry of run.timeline) console.log(`  ${entry.atMs.toFixed(1).padStart(8)}  ${entry.text}`);
  console.log(`\nTrue speech onset of the user: ${run.trueOnsetMs.toFixed(1)} ms`);
  for (const m of run.measured) {
    console.log(
      `barge-in ${m.outcome} (${m.reason}): VAD onset ${signed(m.vadOnsetMs)} ms, pause decided ${signed(m.decidedMs)} ms, ` +
        `output silent ${signed(m.silentMs)} ms after the true onset; tail after confirmation ${m.tailMs?.toFixed(1) ?? '—'} ms`,
    );
  }
  if (runs > 1) {
    const latencies = run.measured.map((m) => m.silentMs);
    const tails = run.measured.map((m) => m.tailMs ?? 0);
    for (let index = 1; index < runs; index++) {
      const again = await runBargeIn({
        paragraph: PARAGRAPH,
        userWav,
        userText,
        userStartMs: userStartMs + index * 37,
        realtime: values.realtime,
      });
      latencies.push(...again.measured.map((m) => m.silentMs));
      tails.push(...again.measured.map((m) => m.tailMs ?? 0));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
    console.log(
      `\n${runs} runs (${values.realtime ? 'real time' : 'virtual clock'}): output silent after the true onset ` +
        `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; ` +
        `tail max ${Math.max(...tails).toFixed(1)} ms`,
    );
  }
  const format = { sampleRate: SAMPLE_RATE, channels: 1 as const };
  await writeFile(join(out, 'agent.wav'), encodeWav(run.agent, format));
  await writeFile(join(out, 'mixed.wav'), encodeWav(run.mixed, format));
  console.log(
    `\nWrote ${join(out, 'mixed.wav')} (agent + user), agent.wav${values.user === undefined ? ', user.wav' : ''}`,
  );
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : ''}${ms.toFixed(1)}`;
}

/** A mistake on the command line or in the input file: one line, exit code 2. */
class UsageError extends Error {}

function parseCli(args: string[]) {
  return parseArgs({
    args,
    options: {
      out: { type: 'string', default: './out' },
      realtime: { type: 'boolean', default: false },
      user: { type: 'string' },
      text: { type: 'string' },
      at: { type: 'string', default: '2500' },
      runs: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
}

/** Reads `--user`; a missing file or one that is not a readable WAV is a one-line error. */
async function readUserWav(path: string): Promise<SessionAudio> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--user: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
    );
  }
  try {
    return await toSessionAudio(bytes);
  } catch (error) {
    if (ArgentumError.isInstance(error)) throw new UsageError(`--user: ${path}: ${error.message}`);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
