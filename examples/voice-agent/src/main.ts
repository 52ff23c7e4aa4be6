import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkSecret, resolveRunMode } from './run-mode';
import { startVoiceAgentApp } from './voice-agent-app';

const USAGE = `Usage: pnpm start [--offline] [--port <n>] [--host <address>]
  --offline  no keys: meSpeak speaks, the bundled OpenAI test server plays STT + LLM
  --port     port of the page and the WebSocket (default 8080; 0 picks a free one)
  --host     interface to listen on (default 127.0.0.1)
`;

/** Prints `message` (a mistake in the flags or the environment) and exits with code 2. */
function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

function parseCli(argv: readonly string[]) {
  try {
    return parseArgs({
      // `pnpm start -- --offline` passes the `--` along: drop it.
      args: argv.filter((arg, index) => !(index === 0 && arg === '--')),
      options: {
        offline: { type: 'boolean', default: false },
        port: { type: 'string', default: '8080' },
        host: { type: 'string', default: '127.0.0.1' },
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
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port expects a port number 0–65535 (got "${values.port}")`);

const envFileLoaded = existsSync('.env');
if (envFileLoaded) process.loadEnvFile('.env');
const mode = resolveRunMode({ offline: values.offline, env: process.env, envFileLoaded });
if (mode.kind === 'error') fail(mode.message);
const secret = checkSecret(process.env);
if (secret.error !== undefined) fail(secret.error);

const app = await startVoiceAgentApp({
  offline: mode.kind === 'offline',
  port,
  host: values.host,
  env: process.env,
});
console.log(`voice agent ready — ${mode.kind === 'offline' ? 'OFFLINE' : 'OpenAI'} (${mode.reason})`);
console.log(`  ${secret.note}`);
console.log(`  open ${app.pageUrl} and press "Talk"`);
console.log(
  `  WebSocket: ${app.url}/v1/convai/conversation?agent_id=assistant (signed URLs from /api/signed-url)`,
);
console.log(`  metrics:   ${app.pageUrl}metrics`);
app.server.events.subscribe((event) => {
  if (event.type !== 'session-event') return;
  const inner = event.event;
  if (inner.type === 'user-transcript') console.log(`user:  ${inner.text}`);
  if (inner.type === 'agent-response') console.log(`agent: ${inner.text}`);
  if (inner.type === 'agent-interrupted') console.log(`       (interrupted; heard: "${inner.heardText}")`);
  if (inner.type === 'turn-metrics' && inner.metrics.endToEndMs !== undefined) {
    console.log(`       voice-to-voice ${inner.metrics.endToEndMs.toFixed(0)} ms`);
  }
});
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
