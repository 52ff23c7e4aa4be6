/**
 * openai-voice: ask an LLM a question, speak its streamed answer into a WAV file, and transcribe
 * it back.
 *
 *   pnpm start "Why do people take turns when they talk?"   # real OpenAI API (OPENAI_API_KEY)
 *   pnpm start --offline                                     # bundled local test server, no network
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer, type OpenAITestServer } from '@argentum/openai/testing';
import { OFFLINE_SCRIPT } from './offline-script';
import { runVoiceDemo } from './voice-demo';

const { values: flags, positionals } = parseArgs({
  options: {
    offline: { type: 'boolean', default: false },
    out: { type: 'string', default: 'out/answer.wav' },
  },
  allowPositionals: true,
});
if (existsSync('.env')) process.loadEnvFile('.env');

const question = positionals.join(' ') || 'In two short sentences: why do people take turns when they talk?';
const env = process.env;

let server: OpenAITestServer | undefined;
if (flags.offline) {
  // The same server the package's tests use: it speaks OpenAI's wire protocol on 127.0.0.1.
  server = await createOpenAITestServer({ script: OFFLINE_SCRIPT });
  console.log(`offline: using the local test server at ${server.baseURL}\n`);
} else if (!env.OPENAI_API_KEY) {
  console.error(
    'OPENAI_API_KEY is not set: copy .env.example to .env and add your key, or run `pnpm start --offline`.',
  );
  process.exit(1);
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
} finally {
  await server?.close();
}
