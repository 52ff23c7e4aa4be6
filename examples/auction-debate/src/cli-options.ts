import { parseArgs } from 'node:util';
import { ConfigError } from './config-error';
import {
  type DebateManifest,
  LLM_PROVIDERS,
  type LlmProviderName,
  MAX_MINUTES,
  PRESETS,
  type PresetName,
  SAMPLE_RATES,
  TTS_PROVIDERS,
  type TtsProviderName,
} from './manifest';

/** What the command line asked for. */
export interface CliOptions {
  /** The manifest to read (`undefined`: the example's `debate.json`). */
  manifestPath: string | undefined;
  /** The output folder. */
  outDir: string;
  /** Manifest fields the flags override. */
  overrides: ManifestOverrides;
  /** Run OpenAI/ElevenLabs providers against their bundled local test servers (no keys, no network). */
  offlineProviders: boolean;
  /** Print nothing but errors. */
  quiet: boolean;
  /** Print the usage and exit. */
  help: boolean;
}

/** Manifest fields a flag can override. */
export interface ManifestOverrides {
  /** `--topic`. */
  topic?: string;
  /** `--minutes`. */
  minutes?: number;
  /** `--preset`. */
  preset?: PresetName;
  /** `--seed`. */
  seed?: number;
  /** `--realtime` (true) or `--fast` (false). */
  realtime?: boolean;
  /** `--agents`: the ids of the manifest's agents to keep, in that order. */
  agents?: string[];
  /** `--llm`. */
  llm?: LlmProviderName;
  /** `--tts`. */
  tts?: TtsProviderName;
  /** `--sample-rate`. */
  sampleRate?: (typeof SAMPLE_RATES)[number];
}

/** The usage text printed by `--help`. */
export const USAGE = `Usage: pnpm start -- [options]

Runs a multi-agent debate on one audio floor and writes, into the output folder:
debate.wav, transcript.json, transcript.txt, metrics.json, timeline.svg, timeline.html.

Options (each overrides the manifest):
  --manifest <file>      debate manifest (JSON; default: debate.json in this example)
  --out <dir>            output folder (default: ./out)
  --topic <text>         the question debated
  --minutes <n>          minutes of debate audio (decimals allowed, e.g. 0.5)
  --preset <id>          debate_snappy | panel_civil
  --seed <n>             seed of every random choice (same seed, same debate)
  --agents <ids>         comma-separated agent ids from the manifest (2 or more), e.g. ada,bruno
  --realtime             run on the wall clock (3 minutes of debate take 3 minutes)
  --fast                 run as fast as possible under a virtual clock (the default)
  --llm <name>           offline | openai (needs OPENAI_API_KEY)
  --tts <name>           mespeak | openai | elevenlabs (needs OPENAI_API_KEY / ELEVENLABS_API_KEY)
  --sample-rate <hz>     ${SAMPLE_RATES.join(' | ')}
  --offline-providers    run the OpenAI/ElevenLabs providers against their bundled local test servers
  --quiet                print only errors
  --help                 show this text
`;

const SOURCE = 'command line';

/**
 * Parses the command line. A bare `--` (as `pnpm start -- --out x` may pass it through) is ignored.
 *
 * @throws {@link ConfigError} for an unknown flag, a missing or malformed value.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv.filter((argument) => argument !== '--'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      SOURCE,
      '',
      `${message.replace(/\. To specify.*$/s, '.')} Run with --help for the options.`,
    );
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    throw new ConfigError(
      SOURCE,
      '',
      `unexpected argument "${positionals[0]}" (put the topic in quotes after --topic). Run with --help.`,
    );
  }
  if (values.realtime && values.fast) {
    throw new ConfigError(SOURCE, '--realtime', 'choose either --realtime or --fast, not both.');
  }
  const overrides: ManifestOverrides = {};
  if (values.topic !== undefined) {
    if (values.topic.trim() === '') throw new ConfigError(SOURCE, '--topic', 'expected a non-empty topic.');
    overrides.topic = values.topic.trim();
  }
  if (values.minutes !== undefined) {
    overrides.minutes = flagNumber(
      '--minutes',
      values.minutes,
      (value) => value > 0 && value <= MAX_MINUTES,
      `a number > 0 and ≤ ${MAX_MINUTES}`,
    );
  }
  if (values.seed !== undefined) {
    overrides.seed = flagNumber(
      '--seed',
      values.seed,
      (value) => Number.isInteger(value) && value >= 0 && value <= 2 ** 31 - 1,
      'a whole number ≥ 0',
    );
  }
  if (values.preset !== undefined) overrides.preset = flagChoice('--preset', values.preset, PRESETS);
  if (values.llm !== undefined) overrides.llm = flagChoice('--llm', values.llm, LLM_PROVIDERS);
  if (values.tts !== undefined) overrides.tts = flagChoice('--tts', values.tts, TTS_PROVIDERS);
  if (values['sample-rate'] !== undefined) {
    overrides.sampleRate = flagChoice('--sample-rate', Number(values['sample-rate']), SAMPLE_RATES);
  }
  if (values.realtime) overrides.realtime = true;
  if (values.fast) overrides.realtime = false;
  if (values.agents !== undefined) {
    const ids = values.agents
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (ids.length < 2) {
      throw new ConfigError(
        SOURCE,
        '--agents',
        'expected 2 or more comma-separated agent ids, e.g. ada,bruno.',
      );
    }
    overrides.agents = ids;
  }
  return {
    manifestPath: values.manifest,
    outDir: values.out ?? 'out',
    overrides,
    offlineProviders: values['offline-providers'] ?? false,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      manifest: { type: 'string' },
      out: { type: 'string' },
      topic: { type: 'string' },
      minutes: { type: 'string' },
      preset: { type: 'string' },
      seed: { type: 'string' },
      agents: { type: 'string' },
      realtime: { type: 'boolean' },
      fast: { type: 'boolean' },
      llm: { type: 'string' },
      tts: { type: 'string' },
      'sample-rate': { type: 'string' },
      'offline-providers': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * Applies the flags to a validated manifest.
 *
 * @throws {@link ConfigError} when `--agents` names an agent the manifest does not have.
 */
export function applyOverrides(manifest: DebateManifest, overrides: ManifestOverrides): DebateManifest {
  const result: DebateManifest = {
    ...manifest,
    providers: { ...manifest.providers },
    agents: [...manifest.agents],
  };
  if (overrides.topic !== undefined) result.topic = overrides.topic;
  if (overrides.minutes !== undefined) result.minutes = overrides.minutes;
  if (overrides.preset !== undefined) result.preset = overrides.preset;
  if (overrides.seed !== undefined) result.seed = overrides.seed;
  if (overrides.realtime !== undefined) result.realtime = overrides.realtime;
  if (overrides.sampleRate !== undefined) result.sampleRate = overrides.sampleRate;
  if (overrides.llm !== undefined) result.providers.llm = overrides.llm;
  if (overrides.tts !== undefined) result.providers.tts = overrides.tts;
  if (overrides.agents !== undefined) {
    const known = manifest.agents.map((agent) => agent.id);
    result.agents = overrides.agents.map((id) => {
      const agent = manifest.agents.find((candidate) => candidate.id === id);
      if (agent === undefined) {
        throw new ConfigError(
          SOURCE,
          '--agents',
          `no agent "${id}" in the manifest; its agents are ${known.join(', ')}.`,
        );
      }
      return agent;
    });
    if (new Set(overrides.agents).size !== overrides.agents.length) {
      throw new ConfigError(SOURCE, '--agents', 'an agent is listed twice.');
    }
  }
  return result;
}

function flagNumber(flag: string, text: string, valid: (value: number) => boolean, expected: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !valid(value)) {
    throw new ConfigError(SOURCE, flag, `expected ${expected}, got "${text}".`);
  }
  return value;
}

function flagChoice<T extends string | number>(
  flag: string,
  value: string | number,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    throw new ConfigError(SOURCE, flag, `expected one of ${allowed.join(', ')}, got "${value}".`);
  }
  return value as T;
}
