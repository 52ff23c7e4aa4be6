import {
  createConversationAgent,
  createEchoAgent,
  InvalidArgumentError,
  type LlmModel,
  type SttModel,
  type TtsModel,
} from '@argentum/core';
import { createSignedUrl } from '../security/conversation-token';
import { serveStatic } from '../server/serve-static';
import { defineAgent, type ServerAgent } from '../server/server-agent';
import type { ServerLogger } from '../server/server-events';
import { createVoiceAgentServer, type VoiceAgentServer } from '../server/voice-agent-server';
import { createScriptedStt } from '../testing/scripted-stt';
import { createToneTts } from '../testing/tone-tts';
import type { ProviderConfig, ServerConfig } from './server-config';

type Loaded = Record<string, unknown>;

async function load(packageName: string): Promise<Loaded> {
  try {
    return (await import(/* @vite-ignore */ packageName)) as Loaded;
  } catch (error) {
    throw new InvalidArgumentError(
      'provider',
      `${packageName} is not installed next to @argentum/server (npm install ${packageName}): ${(error as Error).message}`,
    );
  }
}

function apiKey(config: ProviderConfig, env: NodeJS.ProcessEnv): string | undefined {
  return config.apiKeyEnv === undefined ? undefined : env[config.apiKeyEnv];
}

async function openai(config: ProviderConfig, env: NodeJS.ProcessEnv) {
  const module = await load('@argentum/openai');
  const create = module.createOpenAI as (settings: object) => {
    languageModel(id: string): LlmModel;
    speech(id: string, options?: object): TtsModel;
    transcription(id: string): SttModel;
  };
  const key = apiKey(config, env);
  return create({
    ...(key === undefined ? {} : { apiKey: key }),
    ...(config.baseUrl === undefined ? {} : { baseURL: config.baseUrl }),
  });
}

async function buildStt(config: ProviderConfig, env: NodeJS.ProcessEnv): Promise<SttModel> {
  if (config.provider === 'scripted') return createScriptedStt({ transcripts: config.transcripts ?? [] });
  if (config.provider === 'openai')
    return (await openai(config, env)).transcription(config.model ?? 'gpt-4o-mini-transcribe');
  throw new InvalidArgumentError(
    'stt.provider',
    `"${config.provider}" has no speech-to-text; use openai or scripted.`,
  );
}

async function buildTts(config: ProviderConfig, env: NodeJS.ProcessEnv): Promise<TtsModel> {
  switch (config.provider) {
    case 'tone':
      return createToneTts();
    case 'openai':
      return (await openai(config, env)).speech(
        config.model ?? 'gpt-4o-mini-tts',
        config.voice === undefined ? {} : { voice: config.voice },
      );
    case 'elevenlabs': {
      const module = await load('@argentum/elevenlabs');
      const create = module.createElevenLabs as (settings: object) => {
        tts(model?: string, options?: object): TtsModel;
      };
      const key = apiKey(config, env);
      return create({
        ...(key === undefined ? {} : { apiKey: key }),
        ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
      }).tts(config.model, config.voice === undefined ? {} : { voiceId: config.voice });
    }
    case 'mespeak': {
      const module = await load('@argentum/mespeak');
      const create = module.createMespeak as () => { tts(voice?: string): TtsModel };
      return create().tts(config.voice);
    }
    default:
      throw new InvalidArgumentError('tts.provider', `"${config.provider}" has no text-to-speech.`);
  }
}

async function buildLlm(config: ProviderConfig, env: NodeJS.ProcessEnv): Promise<LlmModel> {
  if (config.provider !== 'openai') {
    throw new InvalidArgumentError(
      'llm.provider',
      `"${config.provider}" has no LLM; use openai (or any OpenAI-compatible baseUrl).`,
    );
  }
  return (await openai(config, env)).languageModel(config.model ?? 'gpt-4o-mini');
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Where secrets and keys are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Log lines. Default: none. */
  logger?: ServerLogger;
  /** Overrides the config's port. */
  port?: number;
  /** Overrides the config's host. */
  host?: string;
}

/**
 * Builds and starts a server from a {@link ServerConfig}: providers are loaded on demand, agents
 * defined, static routes and the optional signed-URL endpoint mounted. What `argentum-server` runs.
 *
 * @param config - the validated config.
 * @param options - environment, logger, address overrides.
 * @returns the running server and its `ws://` origin.
 * @throws `InvalidArgumentError` for a missing secret or an unusable provider.
 * @example
 * ```ts
 * const { server, url } = await startServer(await loadServerConfig('server.config.json'), { logger: console });
 * process.on('SIGTERM', () => server.close());
 * ```
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<{ server: VoiceAgentServer; url: string }> {
  const env = options.env ?? process.env;
  const secret = config.secretEnv === undefined ? undefined : env[config.secretEnv];
  if (config.secretEnv !== undefined && (secret === undefined || secret.length === 0)) {
    throw new InvalidArgumentError('secretEnv', `the environment variable ${config.secretEnv} is not set.`);
  }
  const agents: Record<string, ServerAgent> = {};
  for (const [id, agentConfig] of Object.entries(config.agents)) {
    const llm = agentConfig.llm === undefined ? undefined : await buildLlm(agentConfig.llm, env);
    const kind = agentConfig.agent ?? (llm === undefined ? 'echo' : 'conversation');
    agents[id] = defineAgent({
      agents:
        kind === 'conversation' && llm !== undefined
          ? createConversationAgent({
              llm,
              ...(agentConfig.systemPrompt === undefined ? {} : { systemPrompt: agentConfig.systemPrompt }),
            })
          : createEchoAgent(),
      stt: await buildStt(agentConfig.stt, env),
      ...(agentConfig.tts === undefined ? {} : { tts: await buildTts(agentConfig.tts, env) }),
      ...(agentConfig.firstMessage === undefined ? {} : { firstMessage: agentConfig.firstMessage }),
      ...(agentConfig.language === undefined ? {} : { language: agentConfig.language }),
      ...(agentConfig.tts?.voice === undefined ? {} : { voice: agentConfig.tts.voice }),
      ...(agentConfig.inputFormat === undefined ? {} : { inputFormat: agentConfig.inputFormat }),
      ...(agentConfig.outputFormat === undefined ? {} : { outputFormat: agentConfig.outputFormat }),
      ...(agentConfig.public === undefined ? {} : { public: agentConfig.public }),
      ...(agentConfig.minSilenceMs === undefined
        ? {}
        : { endpointing: { minSilenceMs: agentConfig.minSilenceMs } }),
    });
  }
  const statics = config.static === undefined ? undefined : serveStatic(config.static);
  let publicUrl = '';
  const limits = config.limits ?? {};
  const server = createVoiceAgentServer({
    agents,
    ...(secret === undefined ? {} : { auth: { secret } }),
    ...(config.allowedOrigins === undefined ? {} : { allowedOrigins: config.allowedOrigins }),
    ...(config.correlationIdHeader === undefined ? {} : { correlationIdHeader: config.correlationIdHeader }),
    ...(config.metricsPath === undefined ? {} : { metricsPath: config.metricsPath }),
    ...(limits.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: limits.maxPayloadBytes }),
    ...(limits.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: limits.idleTimeoutMs }),
    ...(limits.maxConnections === undefined ? {} : { maxConnections: limits.maxConnections }),
    rateLimit: {
      ...(limits.messagesPerSecond === undefined ? {} : { messagesPerSecond: limits.messagesPerSecond }),
      ...(limits.burst === undefined ? {} : { burst: limits.burst }),
    },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    httpHandler: async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (config.signedUrlEndpoint === true && url.pathname === '/v1/convai/conversation/get-signed-url') {
        const agentId = url.searchParams.get('agent_id') ?? '';
        if (secret === undefined || !Object.hasOwn(agents, agentId)) {
          response.writeHead(secret === undefined ? 404 : 400, { 'Content-Type': 'application/json' });
          response.end(
            JSON.stringify({
              error: secret === undefined ? 'signed URLs are off (no secretEnv)' : 'unknown agent_id',
            }),
          );
          return true;
        }
        const signedUrl = createSignedUrl({ serverUrl: publicUrl, agentId, secret });
        response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        response.end(JSON.stringify({ signed_url: signedUrl }));
        return true;
      }
      return statics === undefined ? false : statics(request, response);
    },
  });
  const { url } = await server.listen(
    options.port ?? config.port ?? 8080,
    options.host ?? config.host ?? '127.0.0.1',
  );
  publicUrl = url;
  return { server, url };
}
