import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initializeLogger } from '@livekit/agents';
import type { MeasureResult } from './harness';

initializeLogger({ pretty: false, level: 'warn' });

type Suite = () => Promise<Record<string, MeasureResult>>;

/** Suites load lazily, so running one does not import the others' peers. */
const suites: Record<string, Suite> = {
  framing: async () => (await import('./suites/framing')).framingSuite(),
  resampling: async () => (await import('./suites/resampling')).resamplingSuite(),
  vad: async () => (await import('./suites/vad')).vadSuite(),
  economics: async () => (await import('./suites/economics')).economicsSuite(),
  conversation: async () => (await import('./suites/conversation')).conversationSuite(),
};

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
for (const name of only) {
  if (!(name in suites)) {
    console.error(`unknown suite "${name}": choose from ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'latest.json');
// Running a subset of suites updates their measures and keeps the others from the last full run.
let results: Record<string, MeasureResult> = {};
if (only.length > 0) {
  try {
    results = JSON.parse(readFileSync(out, 'utf8')).results ?? {};
  } catch {
    results = {};
  }
}
for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`running ${name}…\n`);
  Object.assign(results, await run());
}

console.table(
  Object.entries(results).map(([measure, r]) => ({
    measure,
    'ours µs': r.ours_ns === undefined ? r.ours_us : `${r.ours_us} (${r.ours_ns} ns)`,
    'peer µs': r.peer_us ?? '—',
    ratio: r.ratio ?? '—',
    unit: r.unit,
  })),
);

mkdirSync(dirname(out), { recursive: true });
const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
writeFileSync(out, `${JSON.stringify({ machine, results }, null, 2)}\n`);
console.log(`wrote ${out}`);
// @livekit/rtc-node's native FFI runtime keeps Node's event loop alive after its resamplers are closed,
// so the run would never end on its own: everything is measured and written, exit explicitly.
process.exit(0);
