/**
 * openai-voice: ask an LLM a question, speak its streamed answer into a WAV file, and transcribe
 * it back.
 *
 *   pnpm start "Why do people take turns when they talk?"   # real OpenAI API (OPENAI_API_KEY)
 *   pnpm start --offline                                     # bundled local test server, no network
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ArgentumError } from '@argentum/core';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer, type OpenAITestServer } from '@argentum/openai/testing';
import { OFFLINE_SCRIPT } from './offline-script';
import { runVoiceDemo } from './voice-demo';

const USAGE = `Usage: pnpm start [--offline] [--out out/answer.wav] ["your question"]
  --offline  the bundled local test server instead of api.openai.com (no key, no network)
  --out      the WAV file to write (default out/answer.wav; folders are created)
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
        out: { type: 'string', default: 'out/answer.wav' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message} (pnpm start --help lists the flags)`);
  }
}

const { values: flags, positionals } = parseCli(process.argv.slice(2));
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (flags.out.trim() === '') fail('--out expects a file name, e.g. --out out/answer.wav');
if (existsSync('.env')) process.loadEnvFile('.env');

const question = positionals.join(' ') || 'In two short sentences: why do people take turns when they talk?';
const env = process.env;

let server: OpenAITestServer | undefined;
if (flags.offline) {
  // The same server the package's tests use: it speaks OpenAI's wire protocol on 127.0.0.1.
  server = await createOpenAITestServer({ script: OFFLINE_SCRIPT });
  console.log(
    `offline: using the local test server at ${server.baseURL} (the answer and the transcript are scripted, the speech is a generated sweep)\n`,
  );
} else if (!env.OPENAI_API_KEY) {
  fail(
    'OPENAI_API_KEY is not set: copy .env.example to .env and add your key, or run `pnpm start --offline`.',
  );
}

try {
  await runVoiceDemo({
    openai: createOpenAI(server ? { baseURL: server.baseURL, apiKey: 'offline' } : {}),
    question,
    outPath: flags.out,
    models: {
      llm: env.OPENAI_LLM_MODEL,
      tts: env.OPENAI_TTS_MODEL,
      stt: env.OPENAI_STT_MODEL,
      voice: env.OPENAI_VOICE,
    },
  });
} catch (error) {
  // A typed SDK error (the key refused, a model name unknown, the network down) says what to do: no stack.
  if (!ArgentumError.isInstance(error)) throw error;
  console.error(`\nerror: ${error.message}`);
  process.exitCode = 1;
} finally {
  await server?.close();
}
