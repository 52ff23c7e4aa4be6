#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadServerConfig } from './server-config';
import { startServer } from './start-server';

/** The Node flags this process runs with (the bin adds the garbage-collector settings). */
const nodeFlags = process.execArgv.join(' ') || '(none)';

const usage = `Usage: argentum-server --config <server.config.json> [--port <n>] [--host <address>]

Runs a voice-agent server that speaks the ElevenLabs Agents protocol.
SIGINT/SIGTERM drain conversations (up to 10 s) before exiting.
Node flags: ${nodeFlags} (the command adds its garbage-collector flags unless ARGENTUM_NODE_FLAGS
replaces them; '' adds none).`;

async function main(): Promise<void> {
  // Started by the argentum-server command: its IPC channel must not keep this process alive.
  process.channel?.unref();
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || values.config === undefined) {
    console.log(usage);
    process.exitCode = values.help === true ? 0 : 2;
    return;
  }
  const config = await loadServerConfig(values.config);
  const { server, url } = await startServer(config, {
    logger: {
      info: (message, fields) => console.log(message, fields ?? ''),
      warn: (message, fields) => console.warn(message, fields ?? ''),
      error: (message, fields) => console.error(message, fields ?? ''),
    },
    ...(values.port === undefined ? {} : { port: Number(values.port) }),
    ...(values.host === undefined ? {} : { host: values.host }),
  });
  console.log(
    `argentum-server: agents ${Object.keys(config.agents).join(', ')} at ${url}/v1/convai/conversation (Node flags: ${nodeFlags})`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close({ drainTimeoutMs: 10_000 }).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The command's launcher closes the channel to ask for a drain, or because it died.
  if (process.channel !== undefined) process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
