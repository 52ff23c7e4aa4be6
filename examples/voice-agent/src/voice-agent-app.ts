import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConversationAgent } from '@argentum/core';
import { createMespeak } from '@argentum/mespeak';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer, type OpenAITestServer } from '@argentum/openai/testing';
import {
  createSignedUrl,
  createVoiceAgentServer,
  defineAgent,
  serveStatic,
  type VoiceAgentServer,
} from '@argentum/server';

/** How the example runs. */
export interface VoiceAgentAppOptions {
  /** Offline: meSpeak speaks, the bundled OpenAI test server plays STT and LLM. */
  offline: boolean;
  /** The port (0 picks one). */
  port: number;
  /** The interface. */
  host: string;
  /** Where keys and the secret come from. */
  env: NodeJS.ProcessEnv;
}

/** The running example. */
export interface VoiceAgentApp {
  /** The page's address. */
  pageUrl: string;
  /** The WebSocket origin. */
  url: string;
  /** The server. */
  server: VoiceAgentServer;
  /** Stops everything. */
  close(): Promise<void>;
}

const AGENT_ID = 'assistant';
const OFFLINE_TRANSCRIPTS = [
  'Hello, who are you?',
  'What can you do?',
  'Tell me something interesting.',
  'Thank you, goodbye.',
];

/** Offline LLM answers: a canned reply that quotes what the (scripted) user said. */
function offlineAnswer(request: { body: Record<string, unknown> | undefined }): string {
  const messages = (request.body?.messages ?? []) as { role: string; content: string }[];
  const last = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  return `You asked: ${last} I am an offline demo agent, so I can only repeat that, but with real keys I would answer properly.`;
}

/**
 * Starts the example: the voice-agent server (agent `assistant`), the web page, and a signed-URL
 * endpoint the page calls before it connects.
 */
export async function startVoiceAgentApp(options: VoiceAgentAppOptions): Promise<VoiceAgentApp> {
  let testServer: OpenAITestServer | undefined;
  let openai: ReturnType<typeof createOpenAI>;
  if (options.offline) {
    let heard = 0;
    testServer = await createOpenAITestServer({
      script: {
        transcription: () => OFFLINE_TRANSCRIPTS[heard++ % OFFLINE_TRANSCRIPTS.length]!,
        chat: (request) => offlineAnswer(request),
      },
    });
    openai = createOpenAI({ apiKey: 'offline', baseURL: testServer.baseURL });
  } else {
    openai = createOpenAI(); // reads OPENAI_API_KEY
  }
  const env = options.env;
  const secret =
    env.ARGENTUM_SECRET && env.ARGENTUM_SECRET.length >= 32
      ? env.ARGENTUM_SECRET
      : randomBytes(32).toString('hex');
  const tts = options.offline
    ? createMespeak().tts('ada')
    : openai.speech(env.OPENAI_TTS_MODEL ?? 'gpt-4o-mini-tts', { voice: env.OPENAI_VOICE ?? 'coral' });
  const here = dirname(fileURLToPath(import.meta.url));
  const clientBundle = join(
    dirname(createRequire(import.meta.url).resolve('@elevenlabs/client')),
    'lib.iife.js',
  );
  const statics = serveStatic({
    '/': join(here, '..', 'public'),
    '/vendor/elevenlabs-client.js': clientBundle,
  });
  let origin = '';
  const server = createVoiceAgentServer({
    agents: {
      [AGENT_ID]: defineAgent({
        agents: createConversationAgent({
          llm: openai.languageModel(env.OPENAI_LLM_MODEL ?? 'gpt-4o-mini'),
          systemPrompt: 'You are a friendly voice assistant. Answer in one or two short spoken sentences.',
        }),
        stt: openai.transcription(env.OPENAI_STT_MODEL ?? 'gpt-4o-mini-transcribe'),
        tts,
        firstMessage: 'Hi! I am listening.',
      }),
    },
    auth: { secret },
    metricsPath: '/metrics',
    httpHandler: async (request, response) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname === '/api/signed-url') {
        // A real app authenticates its user here before minting a URL.
        response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        response.end(
          JSON.stringify({
            signedUrl: createSignedUrl({ serverUrl: origin, agentId: AGENT_ID, secret, expiresInMs: 60_000 }),
          }),
        );
        return true;
      }
      return statics(request, response);
    },
  });
  const { url, port, host } = await server.listen(options.port, options.host);
  origin = url;
  return {
    pageUrl: `http://${host === '::' ? 'localhost' : host}:${port}/`,
    url,
    server,
    close: async () => {
      await server.close({ drainTimeoutMs: 2000 });
      await testServer?.close();
    },
  };
}
