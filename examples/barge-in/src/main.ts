/**
 * barge-in: an agent speaks a paragraph, a user's recorded voice interrupts it. Offline.
 *
 *   pnpm start                           # virtual clock (instant), writes ./out
 *   pnpm start -- --out /tmp/barge-in    # another output folder
 *   pnpm start -- --realtime             # the same on the wall clock (~14 s)
 *   pnpm start -- --user my-voice.wav --text "hold on, a question"   # your own 16 kHz mono recording
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWav } from '@argentum/core';
import { runBargeIn } from './run-barge-in';
import { recordUser, SAMPLE_RATE } from './user-voice';

const PARAGRAPH =
  'Here is the plan for tomorrow. We meet at the station at eight, and take the early train to the coast. ' +
  'After lunch there is a guided walk along the cliffs. In the evening we have dinner at the harbour, ' +
  'and then we catch the last train home.';
const USER_TEXT = 'Wait, wait. Can we leave at nine instead?';

const USAGE = `Usage: pnpm start -- [--out <dir>] [--realtime] [--user <16 kHz mono WAV> --text <what it says>] [--at <ms>]
  --out       output folder (default ./out)
  --realtime  run on the wall clock instead of a virtual clock
  --user      the user's recording (default: generated with the offline voice "dara")
  --text      what the recording says (fed to the scripted STT)
  --at        when the user's recording starts, ms after the agent starts (default 2500)
  --runs      repeat the barge-in N times (the user starting 37 ms later each time) and print
              the pause-latency percentiles
`;

async function main(): Promise<void> {
  // `pnpm start -- --out x` passes the `--` along: drop it.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  const { values } = parseArgs({
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
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const userStartMs = Number(values.at);
  if (!Number.isFinite(userStartMs) || userStartMs < 0)
    throw new Error(`--at expects ms ≥ 0, got ${values.at}`);
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
    userWav = new Uint8Array(await readFile(values.user));
    userText = values.text ?? '';
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
  const runs = Math.max(1, Math.floor(Number(values.runs)));
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
