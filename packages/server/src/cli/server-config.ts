import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from '@argentum/core';
import { type AgentAudioFormat, isAgentAudioFormat } from '../protocol/audio-format';

/**
 * A model chosen in a config file:
 * `openai` (`@argentum/openai`, key from `OPENAI_API_KEY` or `apiKeyEnv`), `elevenlabs` (TTS,
 * `@argentum/elevenlabs`), `mespeak` (offline TTS, `@argentum/mespeak`, GPL — install it yourself),
 * or the offline test models `tone` (TTS) and `scripted` (STT). Provider packages are loaded on
 * demand and must be installed next to the server.
 *
 * @example
 * ```ts
 * const stt: ProviderConfig = { provider: 'openai', model: 'gpt-4o-mini-transcribe' };
 * ```
 */
export interface ProviderConfig {
  /** Which provider. */
  provider: 'openai' | 'elevenlabs' | 'mespeak' | 'tone' | 'scripted';
  /** The model id, when the provider has several. */
  model?: string;
  /** The provider's base URL (e.g. a local test server). */
  baseUrl?: string;
  /** The environment variable holding the API key. */
  apiKeyEnv?: string;
  /** The voice (TTS). */
  voice?: string;
  /** What the `scripted` STT hears, utterance by utterance. */
  transcripts?: string[];
}

/**
 * One agent of a config file.
 *
 * @example
 * ```ts
 * const support: AgentConfig = { agent: 'conversation', llm: { provider: 'openai', model: 'gpt-4o-mini' }, stt, tts };
 * ```
 */
export interface AgentConfig {
  /** The built-in agent: `conversation` (needs `llm`) or `echo`. Default: `conversation` with an `llm`, else `echo`. */
  agent?: 'conversation' | 'echo';
  /** The speech-to-text model. */
  stt: ProviderConfig;
  /** The text-to-speech model; omit for text-only. */
  tts?: ProviderConfig;
  /** The LLM of the conversation agent. */
  llm?: ProviderConfig;
  /** The system prompt (`{{variables}}` allowed). */
  systemPrompt?: string;
  /** What the agent says first. */
  firstMessage?: string;
  /** The language (BCP 47). */
  language?: string;
  /** The user's audio format. */
  inputFormat?: AgentAudioFormat;
  /** The agent's audio format. */
  outputFormat?: AgentAudioFormat;
  /** Reachable without a signed URL. */
  public?: boolean;
  /** End-of-turn silence, ms. */
  minSilenceMs?: number;
}

/**
 * The config file of `argentum-server` (JSON).
 *
 * @example
 * ```json
 * {
 *   "port": 8080,
 *   "secretEnv": "ARGENTUM_SECRET",
 *   "allowedOrigins": ["https://app.example.com"],
 *   "metricsPath": "/metrics",
 *   "agents": { "support": { "stt": { "provider": "openai" }, "llm": { "provider": "openai" }, "tts": { "provider": "openai" } } }
 * }
 * ```
 */
export interface ServerConfig {
  /** The port. Default 8080. */
  port?: number;
  /** The interface. Default `127.0.0.1`. */
  host?: string;
  /** The environment variable holding the signed-URL secret; without it every agent is public. */
  secretEnv?: string;
  /** Serve `GET /v1/convai/conversation/get-signed-url?agent_id=…` (only behind your own auth!). Default `false`. */
  signedUrlEndpoint?: boolean;
  /** Allowed browser origins. */
  allowedOrigins?: string[];
  /** Prometheus endpoint path. */
  metricsPath?: string;
  /**
   * Adopt this upgrade request header (e.g. `x-request-id`) as each conversation's correlation id —
   * only behind a proxy that sets or strips it. Default: not adopted (the conversation id is used).
   */
  correlationIdHeader?: string;
  /** URL path → file or folder to serve (relative to the config file). */
  static?: Record<string, string>;
  /** Per-connection limits. */
  limits?: {
    /** Largest message, bytes. */
    maxPayloadBytes?: number;
    /** Sustained messages per second. */
    messagesPerSecond?: number;
    /** Message burst. */
    burst?: number;
    /** Idle timeout, ms. */
    idleTimeoutMs?: number;
    /** Most concurrent conversations. */
    maxConnections?: number;
  };
  /** The agents, by `agent_id`. */
  agents: Record<string, AgentConfig>;
}

const PROVIDERS = ['openai', 'elevenlabs', 'mespeak', 'tone', 'scripted'];

const SERVER_KEYS = [
  'port',
  'host',
  'secretEnv',
  'signedUrlEndpoint',
  'allowedOrigins',
  'metricsPath',
  'correlationIdHeader',
  'static',
  'limits',
  'agents',
];
const LIMIT_KEYS = ['maxPayloadBytes', 'messagesPerSecond', 'burst', 'idleTimeoutMs', 'maxConnections'];
const AGENT_KEYS = [
  'agent',
  'stt',
  'tts',
  'llm',
  'systemPrompt',
  'firstMessage',
  'language',
  'inputFormat',
  'outputFormat',
  'public',
  'minSilenceMs',
];
const PROVIDER_KEYS = ['provider', 'model', 'baseUrl', 'apiKeyEnv', 'voice', 'transcripts'];

function fail(where: string, message: string): never {
  throw new InvalidArgumentError(where, message);
}

/** Edit distance, for "did you mean" on misspelt keys. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * Refuses keys the config does not know: a misspelt `secretEnv` must not silently start a server
 * whose agents are all public.
 */
function checkKeys(where: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const nearest = [...allowed].sort((a, b) => distance(key, a) - distance(key, b))[0];
    const hint =
      nearest !== undefined && distance(key, nearest) <= Math.max(2, Math.floor(nearest.length / 3))
        ? ` Did you mean "${nearest}"?`
        : '';
    fail(
      where === '' ? key : `${where}.${key}`,
      `unknown field.${hint} Known fields: ${allowed.join(', ')}.`,
    );
  }
}

function checkProvider(where: string, value: unknown): ProviderConfig {
  if (typeof value !== 'object' || value === null)
    fail(where, 'expected an object like {"provider": "openai"}.');
  checkKeys(where, value, PROVIDER_KEYS);
  const config = value as ProviderConfig;
  if (!PROVIDERS.includes(config.provider))
    fail(`${where}.provider`, `expected one of ${PROVIDERS.join(', ')}.`);
  return config;
}

/**
 * Validates a parsed config object, resolving `static` paths against `baseDirectory`.
 *
 * @param value - the parsed JSON.
 * @param baseDirectory - where relative paths start.
 * @returns the config.
 * @throws `InvalidArgumentError` naming the first bad field — including unknown (e.g. misspelt) fields,
 *   with a "did you mean" when one is close.
 * @example
 * ```ts
 * const config = validateServerConfig(JSON.parse(text), process.cwd());
 * ```
 */
export function validateServerConfig(value: unknown, baseDirectory: string): ServerConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('config', 'expected a JSON object.');
  checkKeys('', value, SERVER_KEYS);
  const config = value as ServerConfig;
  if (config.limits !== undefined) {
    if (typeof config.limits !== 'object' || config.limits === null) fail('limits', 'expected an object.');
    checkKeys('limits', config.limits, LIMIT_KEYS);
  }
  if (
    typeof config.agents !== 'object' ||
    config.agents === null ||
    Object.keys(config.agents).length === 0
  ) {
    fail('agents', 'expected at least one agent, keyed by agent_id.');
  }
  if (config.correlationIdHeader !== undefined && typeof config.correlationIdHeader !== 'string')
    fail('correlationIdHeader', 'expected a header name such as "x-request-id".');
  if (
    config.port !== undefined &&
    (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
  ) {
    fail('port', 'expected an integer 0–65535.');
  }
  for (const [id, agent] of Object.entries(config.agents)) {
    const where = `agents.${id}`;
    if (typeof agent !== 'object' || agent === null) fail(where, 'expected an object.');
    checkKeys(where, agent, AGENT_KEYS);
    checkProvider(`${where}.stt`, agent.stt);
    if (agent.tts !== undefined) checkProvider(`${where}.tts`, agent.tts);
    if (agent.llm !== undefined) checkProvider(`${where}.llm`, agent.llm);
    if (agent.agent === 'conversation' && agent.llm === undefined)
      fail(`${where}.llm`, 'the conversation agent needs an llm.');
    for (const key of ['inputFormat', 'outputFormat'] as const) {
      if (agent[key] !== undefined && !isAgentAudioFormat(agent[key]))
        fail(`${where}.${key}`, 'expected e.g. pcm_16000 or ulaw_8000.');
    }
  }
  if (config.static !== undefined) {
    config.static = Object.fromEntries(
      Object.entries(config.static).map(([path, target]) => [path, resolve(baseDirectory, target)]),
    );
  }
  return config;
}

/**
 * Reads and validates a JSON config file.
 *
 * @param path - the file.
 * @returns the config.
 * @throws `InvalidArgumentError` for invalid content.
 * @example
 * ```ts
 * const config = await loadServerConfig('server.config.json');
 * ```
 */
export async function loadServerConfig(path: string): Promise<ServerConfig> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError('config', `${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateServerConfig(value, dirname(resolve(path)));
}
