import {
  type Agent,
  LlmAgent,
  OfflineDebateAgent,
  type Persona,
  type SampleRate,
  type TtsModel,
} from '@argentum/core';
import { createElevenLabs } from '@argentum/elevenlabs';
import { createElevenLabsTestServer } from '@argentum/elevenlabs/testing';
import { createMespeak } from '@argentum/mespeak';
import { createOpenAI } from '@argentum/openai';
import { createOpenAITestServer, type RecordedRequest } from '@argentum/openai/testing';
import { ConfigError } from './config-error';
import type { DebateManifest, ManifestAgent } from './manifest';

/** What a debate runs on: its agents, their voices and the output rate. */
export interface DebateProviders {
  /** The debaters, in manifest order. */
  agents: Agent[];
  /** One TTS for every agent (mespeak: voices by name), or one per agent id (vendor voices). */
  tts: TtsModel | Record<string, TtsModel>;
  /** The output sample rate. */
  sampleRate: SampleRate;
  /** Whether every provider is local CPU work, so a virtual clock can drive the run. */
  virtualTimeCapable: boolean;
  /** One line for people, e.g. `offline agents · mespeak voices`. */
  description: string;
  /** Stops the local test servers, if any were started. */
  close(): Promise<void>;
}

/** What {@link createDebateProviders} reads besides the manifest. */
export interface ProviderEnvironment {
  /** Run the vendor providers against their bundled local test servers (no keys, no network). */
  offlineProviders: boolean;
  /** Environment variables (API keys). */
  env: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_OPENAI_VOICES = ['coral', 'onyx', 'echo', 'nova', 'sage', 'ash', 'ballad', 'shimmer'];
const DEFAULT_ELEVENLABS_VOICES = [
  '21m00Tcm4TlvDq8ikWAM',
  'JBFqnCBsd6RMkjVDRZzb',
  'pNInz6obpgDQGcFmaJgB',
  'EXAVITQu4vr4xnSDxMaL',
];

/**
 * Builds the agents and voices the manifest asks for: the offline debater or an OpenAI chat model
 * for the words; mespeak, OpenAI speech or ElevenLabs for the voices. With `offlineProviders`, the
 * vendor providers talk to their packages' local test servers (`@argentum/openai/testing`,
 * `@argentum/elevenlabs/testing`) instead of the vendors.
 *
 * @throws {@link ConfigError} when a vendor provider is chosen but its API key is not set.
 */
export async function createDebateProviders(
  manifest: DebateManifest,
  environment: ProviderEnvironment,
): Promise<DebateProviders> {
  const { llm, tts } = manifest.providers;
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(closers.map((closer) => closer()));
  };
  try {
    const needsOpenAI = llm === 'openai' || tts === 'openai';
    if (needsOpenAI && !environment.offlineProviders && !environment.env.OPENAI_API_KEY) {
      throw new ConfigError(
        'environment',
        'OPENAI_API_KEY',
        `not set, but the debate uses OpenAI (providers.llm "${llm}", providers.tts "${tts}"): put your key in .env (see .env.example), choose --llm offline --tts mespeak, or add --offline-providers to use the local test server.`,
      );
    }
    if (tts === 'elevenlabs' && !environment.offlineProviders && !environment.env.ELEVENLABS_API_KEY) {
      throw new ConfigError(
        'environment',
        'ELEVENLABS_API_KEY',
        'not set, but providers.tts is "elevenlabs": put your key in .env (see .env.example), choose --tts mespeak, or add --offline-providers to use the local test server.',
      );
    }

    let openai: ReturnType<typeof createOpenAI> | undefined;
    if (needsOpenAI) {
      if (environment.offlineProviders) {
        const server = await createOpenAITestServer({ script: { chat: offlineChatAnswer } });
        closers.push(() => server.close());
        openai = createOpenAI({ baseURL: server.baseURL, apiKey: 'offline' });
      } else {
        openai = createOpenAI({ apiKey: environment.env.OPENAI_API_KEY });
      }
    }

    const agents: Agent[] = manifest.agents.map((agent, index) => {
      const persona = personaOf(agent, voiceOf(manifest, agent, index));
      // Each agent gets its own seed, derived from the debate's.
      const seed = manifest.seed * 1000 + index + 1;
      if (llm === 'openai' && openai !== undefined) {
        return new LlmAgent({
          id: agent.id,
          persona,
          model: openai.languageModel(manifest.providers.openai.llmModel),
          seed,
        });
      }
      return new OfflineDebateAgent({ id: agent.id, persona, seed });
    });

    let speech: DebateProviders['tts'];
    let sampleRate: SampleRate;
    if (tts === 'mespeak') {
      speech = createMespeak().speech();
      sampleRate = manifest.sampleRate ?? 22050;
    } else if (tts === 'openai' && openai !== undefined) {
      const models: Record<string, TtsModel> = {};
      manifest.agents.forEach((agent, index) => {
        models[agent.id] = openai.speech(manifest.providers.openai.ttsModel, {
          voice: voiceOf(manifest, agent, index),
        });
      });
      speech = models;
      sampleRate = manifest.sampleRate ?? 24000;
    } else {
      let elevenlabs: ReturnType<typeof createElevenLabs>;
      if (environment.offlineProviders) {
        const server = await createElevenLabsTestServer();
        closers.push(() => server.close());
        elevenlabs = createElevenLabs({
          apiKey: 'offline',
          baseURL: server.httpBaseUrl,
          webSocketBaseURL: server.wsBaseUrl,
        });
      } else {
        elevenlabs = createElevenLabs({ apiKey: environment.env.ELEVENLABS_API_KEY });
      }
      const models: Record<string, TtsModel> = {};
      manifest.agents.forEach((agent, index) => {
        models[agent.id] = elevenlabs.tts(manifest.providers.elevenlabs.model, {
          voice: voiceOf(manifest, agent, index),
          outputFormat: 'pcm_24000',
        });
      });
      speech = models;
      sampleRate = manifest.sampleRate ?? 24000;
    }

    const local = llm === 'offline' && tts === 'mespeak';
    const where = environment.offlineProviders && !local ? ' (local test servers)' : '';
    return {
      agents,
      tts: speech,
      sampleRate,
      virtualTimeCapable: local,
      description: `${llm === 'offline' ? 'offline agents' : `OpenAI ${manifest.providers.openai.llmModel} agents`} · ${
        tts === 'mespeak' ? 'mespeak' : tts === 'openai' ? 'OpenAI' : 'ElevenLabs'
      } voices${where}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The voice an agent speaks with under the manifest's TTS provider. */
function voiceOf(manifest: DebateManifest, agent: ManifestAgent, index: number): string {
  switch (manifest.providers.tts) {
    case 'mespeak':
      return agent.voice;
    case 'openai':
      return agent.voices.openai ?? DEFAULT_OPENAI_VOICES[index % DEFAULT_OPENAI_VOICES.length] ?? 'alloy';
    case 'elevenlabs':
      return (
        agent.voices.elevenlabs ??
        DEFAULT_ELEVENLABS_VOICES[index % DEFAULT_ELEVENLABS_VOICES.length] ??
        '21m00Tcm4TlvDq8ikWAM'
      );
  }
}

function personaOf(agent: ManifestAgent, voice: string): Persona {
  return { ...agent.persona, voice };
}

/** Lines the local OpenAI test server answers with in `--offline-providers` mode. */
const OFFLINE_CHAT_LINES = [
  'I hear the concern, but the numbers point the other way.',
  'Look at the cities that tried it: footfall went up, not down.',
  'That only works if the buses actually come on time.',
  'Deliveries are the hard part, and nobody has answered that yet.',
  'Cleaner air is not a luxury, it is fewer asthma admissions.',
  'Then phase it in street by street and measure as you go.',
  'Shops on the edge of the zone will pay the price for this.',
  'We should ask who uses the centre now, and how they get there.',
];

function offlineChatAnswer(request: RecordedRequest): string {
  const first = OFFLINE_CHAT_LINES[request.index % OFFLINE_CHAT_LINES.length] ?? '';
  const second = OFFLINE_CHAT_LINES[(request.index * 3 + 1) % OFFLINE_CHAT_LINES.length] ?? '';
  return `${first} ${second}`;
}
