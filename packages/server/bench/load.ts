/**
 * Load benchmark: N concurrent simulated clients on loopback, each streaming real-time audio (100 ms
 * `user_audio_chunk`s: 1.2 s of speech, then 3.8 s of silence, repeating) to a server process with
 * offline models (scripted STT, echo agent, tone TTS) and receiving the paced replies. For each N
 * it reports the server's event-loop delay p99 — how late every paced audio tick fires — and finds
 * the largest N whose p99 stays under 5 ms on the server's one core.
 *
 * Bounded: at most the listed steps, `STEP_SECONDS` each, loopback only; the server process is
 * stopped at the end. Usage: `npx tsx bench/load.ts [maxClients] [stepSeconds]`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const MAX_CLIENTS = Number(process.argv[2] ?? 1600);
const STEP_SECONDS = Number(process.argv[3] ?? 8);
const STEPS = [50, 100, 200, 400, 600, 800, 1000, 1200, 1600, 2000].filter((count) => count <= MAX_CLIENTS);
const CHUNK_MS = 100;
const SAMPLES = (16000 * CHUNK_MS) / 1000;

function chunk(speech: boolean, phase: number): string {
  const samples = new Int16Array(SAMPLES);
  for (let index = 0; index < SAMPLES; index++) {
    const noise = ((index * 7919 + phase * 31) % 17) - 8;
    samples[index] = speech
      ? Math.round(8000 * Math.sin((2 * Math.PI * 220 * (index + phase * SAMPLES)) / 16000)) + noise
      : noise;
  }
  return JSON.stringify({ user_audio_chunk: Buffer.from(samples.buffer).toString('base64') });
}
const SPEECH = Array.from({ length: 12 }, (_, index) => chunk(true, index));
const SILENCE = chunk(false, 0);

interface Client {
  socket: WebSocket;
  tick: number;
  audioBytes: number;
}

// LOAD_CPU_PROFILE_DIR=<folder> writes a CPU profile of the server process there.
const profile =
  process.env.LOAD_CPU_PROFILE_DIR === undefined
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_CPU_PROFILE_DIR}`];
const child = spawn(
  process.execPath,
  [...profile, '--import', 'tsx', new URL('./load-server.ts', import.meta.url).pathname],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: child.stdout! });
const waiting: ((value: Record<string, number | string>) => void)[] = [];
lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as Record<string, number | string>));
const next = () => new Promise<Record<string, number | string>>((resolve) => waiting.push(resolve));
const command = (text: string) => child.stdin!.write(`${text}\n`);

const ready = await next();
const url = `ws://127.0.0.1:${ready.port}/v1/convai/conversation?agent_id=echo`;
const clients: Client[] = [];

async function connect(): Promise<Client> {
  const socket = new WebSocket(url, ['convai']);
  const client: Client = { socket, tick: Math.floor(Math.random() * 50), audioBytes: 0 };
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (data: Buffer) => {
    client.audioBytes += data.length;
  });
  socket.send(JSON.stringify({ type: 'conversation_initiation_client_data' }));
  return client;
}

// Clients send their next 100 ms chunk every 100 ms, spread evenly over the interval (as independent
// microphones would be): a 10 ms timer serves a tenth of them per tick.
let slot = 0;
const driver = setInterval(() => {
  const current = slot++ % 10;
  for (let index = current; index < clients.length; index += 10) {
    const client = clients[index]!;
    if (client.socket.readyState !== WebSocket.OPEN) continue;
    const phase = client.tick++ % 50; // 5 s cycle
    client.socket.send(phase < 12 ? SPEECH[phase]! : SILENCE);
  }
}, CHUNK_MS / 10);

const results: {
  clients: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  heapMb: number;
  receivedMbPerSecond: number;
}[] = [];
for (const target of STEPS) {
  while (clients.length < target) clients.push(await connect());
  await new Promise((resolve) => setTimeout(resolve, 2000)); // settle
  for (const client of clients) client.audioBytes = 0;
  command('reset');
  await new Promise((resolve) => setTimeout(resolve, STEP_SECONDS * 1000));
  command('report');
  const report = await next();
  const received = clients.reduce((sum, client) => sum + client.audioBytes, 0);
  const row = {
    clients: Number(report.conversations),
    p50Ms: Number(report.p50Ms),
    p99Ms: Number(report.p99Ms),
    maxMs: Number(report.maxMs),
    heapMb: Number(report.heapMb),
    receivedMbPerSecond: received / 2 ** 20 / STEP_SECONDS,
  };
  results.push(row);
  console.log(
    `${String(row.clients).padStart(5)} clients: event-loop delay p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms, max ${row.maxMs.toFixed(1)} ms; heap ${row.heapMb.toFixed(0)} MB; ${row.receivedMbPerSecond.toFixed(1)} MB/s to clients`,
  );
  if (row.p99Ms >= 20) break;
}
clearInterval(driver);
for (const client of clients) client.socket.terminate();
command('stop');
const passing = results.filter((row) => row.p99Ms < 5);
console.log(
  `largest tested load with p99 < 5 ms: ${passing.length === 0 ? 'none' : passing.at(-1)!.clients} concurrent real-time sessions on one server core`,
);
