/**
 * auction-debate: four agents debate on one audio floor, offline by default.
 *
 *   pnpm start                                  # the default debate.json, ~3 minutes, into ./out
 *   pnpm start -- --out /tmp/debate --seed 3    # flags override the manifest (see --help)
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, realtimeScheduler } from '@argentum/core';
import { applyOverrides, parseCli, USAGE } from './cli-options';
import { ConfigError } from './config-error';
import { parseManifestText } from './manifest';
import { ProgressReporter } from './progress-reporter';
import { runDebate } from './run-debate';
import { formatSummaryTable } from './summary-table';

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCli(argv);
  if (cli.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const manifestPath = cli.manifestPath ?? fileURLToPath(new URL('../debate.json', import.meta.url));
  const shownPath = cli.manifestPath ?? (relative(process.cwd(), manifestPath) || manifestPath);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      shownPath,
      '',
      code === 'ENOENT' ? 'no such file.' : `cannot read it (${code ?? error}).`,
    );
  }
  const manifest = applyOverrides(parseManifestText(text, shownPath), cli.overrides);

  const say = (line: string): void => {
    if (!cli.quiet) process.stdout.write(`${line}\n`);
  };
  const names = new Map(manifest.agents.map((agent) => [agent.id, agent.persona.name]));
  say(`Debate: ${manifest.topic}`);
  say(
    `  ${manifest.agents.map((agent) => `${agent.persona.name} (${agent.persona.stance})`).join(', ')} · ${manifest.preset} · seed ${manifest.seed} · ${manifest.minutes} min`,
  );
  const tty = process.stdout.isTTY === true;
  const progress = new ProgressReporter({
    write: (chunk) => {
      if (!cli.quiet) process.stdout.write(chunk);
    },
    tty,
    wallNow: () => realtimeScheduler.now(),
    plannedMs: manifest.minutes * 60_000,
    names,
  });
  const run = await runDebate({
    manifest,
    outDir: cli.outDir,
    offlineProviders: cli.offlineProviders,
    onEvent: (event) => progress.update(event),
    onNotice: (notice) => say(`  note: ${notice}`),
  }).finally(() => progress.finish());

  say(`  ${run.providers} · ${run.realtime ? 'real time' : 'virtual clock, as fast as possible'}\n`);
  if (!cli.quiet) {
    process.stdout.write(
      formatSummaryTable(run.metrics.summary, {
        wallMs: run.wallMs,
        audioMs: run.audioMs,
        realtime: run.realtime,
      }),
    );
  }
  say(`\nWrote to ${cli.outDir}/:`);
  say('  debate.wav         the mixed conversation (listen to it)');
  say('  timeline.html      open in a browser: who spoke when, interjections, interrupts, ducking');
  say('  timeline.svg       the same picture on its own');
  say('  transcript.txt     readable transcript with timestamps (also transcript.json)');
  say('  metrics.json       per-turn timings, auctions, talk shares, gaps, overlap, drift, guard bands');
  say('  events.jsonl       every conversation event');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || InvalidArgumentError.isInstance(error)) {
      // A mistake in the manifest, a flag or the environment: say what, no stack trace.
      process.stderr.write(`\nerror: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `\nauction-debate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
