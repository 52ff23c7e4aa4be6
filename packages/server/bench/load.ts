/**
 * Load benchmark: N concurrent simulated clients on loopback (`load-clients.ts`: 100 ms
 * `user_audio_chunk`s in real time, sends spread evenly over each 100 ms) against a server process
 * with offline models (`load-server.ts`). Per step it reports:
 *
 * - server CPU per session-second (user + system) and the event loop's busy fraction — the robust
 *   figures on a shared machine — and the CPU-bound ceiling they imply (1000 ms / cost);
 * - the real lateness of the server's timed work (fired − due of every paced tick and timer, p99);
 * - the arrival lateness of the agent's audio at the clients against its playback schedule (p99)
 *   and underruns (chunks later than the lead, `output.leadMs`: audible);
 * - the machine's load (1-min load average, CPU pressure, hypervisor steal) during the step.
 *
 * It reports the largest step whose server timer lateness p99 and audio arrival lateness p99 both
 * stay under 5 ms.
 *
 * Bounded: at most the listed steps, `stepSeconds` each, loopback only; child processes are stopped
 * at the end. Usage: `npx tsx bench/load.ts [maxClients] [stepSeconds]`. Environment:
 * `LOAD_SERVER=floor` (the transport-only baseline of `transport-floor-server.ts`), `LOAD_STEPS=100,200,400` (explicit steps), `LOAD_CHUNK_MS=25` (the clients' chunk length; default 100), `LOAD_CLIENTS=process` (clients in their own process,
 * default: in this one), `LOAD_SERVER_CPUS=0` / `LOAD_CLIENT_CPUS=1` (pin with `taskset`),
 * `LOAD_SERVER_SOURCE=<src folder>` (A/B against another copy of the server),
 * `LOAD_CPU_PROFILE_DIR=<folder>` (CPU profile of the server), `LOAD_SERVER_NODE_FLAGS="--trace-gc …"`
 * (more Node/V8 flags for the server process, which runs with the `argentum-server` command's —
 * `ARGENTUM_NODE_FLAGS=` for Node's defaults; its non-JSON output goes to stderr),
 * `LOAD_CLIENT_NODE_FLAGS="--trace-gc"` (more Node/V8 flags for the clients' process, which also
 * runs with the command's), `LOAD_JSON=1` (JSON lines).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { nodeFlagsToAdd } from '../bin/node-flags.js';
import { watchMachineLoad } from './bench-support';
import { type ClientReport, LoadClients } from './load-clients';

const MAX_CLIENTS = Number(process.argv[2] ?? 1600);
const STEP_SECONDS = Number(process.argv[3] ?? 8);
const STEPS = (
  process.env.LOAD_STEPS?.split(',').map(Number) ?? [50, 100, 200, 400, 600, 800, 1000, 1200, 1600, 2000]
).filter((count) => count <= MAX_CLIENTS);
const GOAL_MS = 5;

type Json = Record<string, number | string | boolean>;

/** A child process answering one JSON line per command. */
function jsonChild(command: string, args: string[], pinned: string | undefined) {
  const child: ChildProcess = pinned
    ? spawn('taskset', ['-c', pinned, command, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((value: Json) => void)[] = [];
  // Lines that are not JSON (e.g. from `--trace-gc` in LOAD_SERVER_NODE_FLAGS) are passed to stderr.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) waiting.shift()?.(JSON.parse(line) as Json);
    else process.stderr.write(`${line}\n`);
  });
  const next = () => new Promise<Json>((resolve) => waiting.push(resolve));
  const send = (text: string) => {
    const answer = next();
    child.stdin!.write(`${text}\n`);
    return answer;
  };
  const write = (text: string) => child.stdin!.write(`${text}\n`);
  return { child, next, send, write };
}

const profile =
  process.env.LOAD_CPU_PROFILE_DIR === undefined
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_CPU_PROFILE_DIR}`];
const server = jsonChild(
  process.execPath,
  [
    // The `argentum-server` command's Node flags (`ARGENTUM_NODE_FLAGS=` for none), then any extra.
    ...nodeFlagsToAdd(),
    ...(process.env.LOAD_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ...profile,
    '--import',
    'tsx',
    new URL('./load-server.ts', import.meta.url).pathname,
  ],
  process.env.LOAD_SERVER_CPUS,
);
const ready = await server.next();
const url = `ws://127.0.0.1:${ready.port}/v1/convai/conversation?agent_id=echo`;

interface Clients {
  grow(count: number): Promise<void>;
  reset(): Promise<void>;
  report(): Promise<ClientReport>;
  stop(): void;
}
let clients: Clients;
if (process.env.LOAD_CLIENTS === 'process') {
  const driver = jsonChild(
    process.execPath,
    [
      // The server's GC flags here too: with Node's defaults this one process for all the clients
      // ran a full collection every 2–4 s after a few minutes (a pause for every client at once,
      // which the arrival lateness would blame on the server); with them, none in 6 minutes.
      ...nodeFlagsToAdd(),
      ...(process.env.LOAD_CLIENT_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      new URL('./load-clients.ts', import.meta.url).pathname,
      url,
    ],
    process.env.LOAD_CLIENT_CPUS,
  );
  await driver.next();
  clients = {
    grow: async (count) => void (await driver.send(JSON.stringify({ command: 'grow', count }))),
    reset: async () => void (await driver.send(JSON.stringify({ command: 'reset' }))),
    report: async () => (await driver.send(JSON.stringify({ command: 'report' }))) as unknown as ClientReport,
    stop: () => driver.write(JSON.stringify({ command: 'stop' })),
  };
} else {
  const inline = new LoadClients(url);
  clients = {
    grow: (count) => inline.grow(count),
    reset: async () => inline.reset(),
    report: async () => inline.report(),
    stop: () => inline.stop(),
  };
}

console.log(
  `${process.env.LOAD_SERVER === 'floor' ? 'transport floor (no session pipeline)' : 'voice-agent server'}; machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; clients ${process.env.LOAD_CLIENTS === 'process' ? 'in their own process' : 'in the driver process'}${process.env.LOAD_SERVER_CPUS ? `, server pinned to CPU ${process.env.LOAD_SERVER_CPUS}` : ''}`,
);
const rows: Json[] = [];
for (const target of STEPS) {
  await clients.grow(target);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // settle
  await clients.reset();
  server.write('reset');
  const machineLoad = watchMachineLoad();
  await new Promise((resolve) => setTimeout(resolve, STEP_SECONDS * 1000));
  const report = await server.send('report');
  const client = await clients.report();
  const cost = Number(report.cpuMsPerSessionSecond);
  const row: Json = {
    clients: Number(report.conversations),
    cpuPercent: Number(report.cpuPercent),
    cpuMsPerSessionSecond: cost,
    ceilingSessions: cost > 0 ? Math.floor(1000 / cost) : 0,
    busy: Number(report.busy),
    // The share of the intended input (one chunk per LOAD_CHUNK_MS per session) the clients managed to send.
    delivered:
      client.sentChunksPerSecond /
      ((1000 / Number(process.env.LOAD_CHUNK_MS ?? 100)) * Number(report.conversations)),
    timerLateP50Ms: Number(report.timerLateP50Ms),
    timerLateP99Ms: Number(report.timerLateP99Ms),
    timerLateMaxMs: Number(report.timerLateMaxMs),
    eldP99Ms: Number(report.eldP99Ms),
    gcPercent: Number(report.gcPercent),
    gcPauseP99Ms: Number(report.gcPauseP99Ms),
    gcPauseMaxMs: Number(report.gcPauseMaxMs),
    arrivalLateP50Ms: client.arrivalLateP50Ms,
    arrivalLateP99Ms: client.arrivalLateP99Ms,
    underruns: client.underruns,
    audioChunksPerSecond: client.audioChunksPerSecond,
    clientCpuPercent: client.clientCpuPercent,
    clientGcPercent: client.clientGcPercent,
    clientFullCollections: client.clientFullCollections,
    clientGcPauseMaxMs: client.clientGcPauseMaxMs,
    heapMb: Number(report.heapMb),
    ...machineLoad(),
  };
  rows.push(row);
  if (process.env.LOAD_JSON === '1') console.log(JSON.stringify(row));
  else {
    const fixed = (key: string, digits: number) => Number(row[key]).toFixed(digits);
    console.log(
      `${String(row.clients).padStart(5)} sessions: server CPU ${fixed('cpuPercent', 0)} % = ${fixed('cpuMsPerSessionSecond', 2)} ms per session-second (ceiling ≈ ${row.ceilingSessions}/core), busy ${fixed('busy', 2)}, input delivered ${fixed('delivered', 2)}; timer lateness p50 ${fixed('timerLateP50Ms', 2)} / p99 ${fixed('timerLateP99Ms', 2)} ms; audio arrival lateness p50 ${fixed('arrivalLateP50Ms', 2)} / p99 ${fixed('arrivalLateP99Ms', 2)} ms, ${row.underruns} underruns; GC ${fixed('gcPercent', 1)} % (pause p99 ${fixed('gcPauseP99Ms', 1)} / max ${fixed('gcPauseMaxMs', 1)} ms); clients ${fixed('clientCpuPercent', 0)} % CPU, GC ${fixed('clientGcPercent', 1)} % (${row.clientFullCollections} full, max ${fixed('clientGcPauseMaxMs', 1)} ms); load ${fixed('load1', 1)}, CPU pressure ${fixed('cpuPressureAvg10', 0)} %, steal ${fixed('stealPercent', 1)} %`,
    );
  }
  if (Number(row.busy) > 0.9) break; // saturated: the next step would only queue
}
clients.stop();
server.write('stop');
await new Promise((resolve) => server.child.once('exit', resolve));
const passing = rows.filter(
  (row) => Number(row.timerLateP99Ms) < GOAL_MS && Number(row.arrivalLateP99Ms) < GOAL_MS,
);
console.log(
  `largest tested load with timer and audio-arrival lateness p99 < ${GOAL_MS} ms: ${passing.length === 0 ? 'none' : passing.at(-1)!.clients} concurrent real-time sessions on one server process`,
);
process.exit(0);
