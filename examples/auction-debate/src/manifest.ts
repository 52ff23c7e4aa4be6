import { MESPEAK_VOICES } from '@argentum/mespeak';
import { ConfigError } from './config-error';

/** Where the agents' words come from: the built-in offline debater, or an OpenAI chat model. */
export type LlmProviderName = 'offline' | 'openai';
/** Who speaks: mespeak (offline, GPL), OpenAI's speech API or ElevenLabs. */
export type TtsProviderName = 'mespeak' | 'openai' | 'elevenlabs';
/** The built-in conversation presets. */
export type PresetName = 'debate_snappy' | 'panel_civil';

/** The stances a persona can take. */
export const STANCES = ['for', 'against', 'neutral'] as const;
/** The accepted `providers.llm` values. */
export const LLM_PROVIDERS: readonly LlmProviderName[] = ['offline', 'openai'];
/** The accepted `providers.tts` values. */
export const TTS_PROVIDERS: readonly TtsProviderName[] = ['mespeak', 'openai', 'elevenlabs'];
/** The accepted `preset` values. */
export const PRESETS: readonly PresetName[] = ['debate_snappy', 'panel_civil'];
/** The accepted `sampleRate` values (core's supported rates). */
export const SAMPLE_RATES = [8000, 16000, 22050, 24000, 44100, 48000] as const;
/** The longest debate the example accepts, minutes. */
export const MAX_MINUTES = 60;
/** How many agents a debate may have. */
export const AGENT_COUNT = { min: 2, max: 8 } as const;

/** A debater's persona, as written in the manifest. */
export interface ManifestPersona {
  /** The name it speaks under. */
  name: string;
  /** `for`, `against` or `neutral`. */
  stance: (typeof STANCES)[number];
  /** Who it is, e.g. `urban planner`. */
  role?: string;
  /** How it talks, e.g. `blunt, short sentences`. */
  style?: string;
  /** How readily it takes the floor, interjects and interrupts, 0..1. */
  assertiveness?: number;
  /** How readily it agrees, 0..1. */
  agreeableness?: number;
  /** How long its turns are, 0..1. */
  verbosity?: number;
}

/** One debater in the manifest. */
export interface ManifestAgent {
  /** A short unique id: lower-case letters, digits, `-` or `_`, starting with a letter. */
  id: string;
  /** The mespeak voice (`ada`, `bruno`, `chen`, `dara`, `emil`, `fay`). */
  voice: string;
  /** Voices for the vendor TTS providers (an OpenAI voice name, an ElevenLabs voice id). */
  voices: { openai?: string; elevenlabs?: string };
  /** Relative talk-share target, > 0 (default 1: equal shares). */
  targetShare: number;
  /** Who it is. */
  persona: ManifestPersona;
}

/** Provider choices and their models. */
export interface ManifestProviders {
  /** Where the words come from. */
  llm: LlmProviderName;
  /** Who speaks. */
  tts: TtsProviderName;
  /** OpenAI models. */
  openai: { llmModel: string; ttsModel: string };
  /** ElevenLabs model. */
  elevenlabs: { model: string };
}

/** A validated debate manifest, with every default filled in. */
export interface DebateManifest {
  /** The question debated. */
  topic: string;
  /** How much debate audio to produce, minutes. */
  minutes: number;
  /** The conversation preset. */
  preset: PresetName;
  /** The seed of every random choice. */
  seed: number;
  /** Run on the wall clock (`true`) or as fast as possible under a virtual clock (`false`). */
  realtime: boolean;
  /** The output sample rate; `undefined` picks the TTS provider's natural rate. */
  sampleRate: (typeof SAMPLE_RATES)[number] | undefined;
  /** Providers. */
  providers: ManifestProviders;
  /** The debaters, in speaking-lane order. */
  agents: ManifestAgent[];
}

type Json = Record<string, unknown>;

/** Reads a manifest's JSON text, reporting a syntax error with its line and column. */
export function parseManifestText(text: string, source: string): DebateManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    let where = '';
    if (position !== undefined) {
      const before = text.slice(0, Number(position));
      const line = before.split('\n').length;
      const column = Number(position) - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    throw new ConfigError(source, '', `not valid JSON${where} (${message.replace(/ in JSON at .*$/, '')}).`);
  }
  return validateManifest(raw, source);
}

/**
 * Checks a parsed manifest and fills in the defaults. Unknown fields are errors (they are usually
 * typos), with a suggestion when a known field is close.
 *
 * @param raw - the parsed JSON.
 * @param source - the manifest's path, for messages.
 * @throws {@link ConfigError} naming the first offending field.
 */
export function validateManifest(raw: unknown, source: string): DebateManifest {
  const check = new FieldChecker(source);
  const root = check.object(raw, '', [
    '$comment',
    'topic',
    'minutes',
    'preset',
    'seed',
    'realtime',
    'sampleRate',
    'providers',
    'agents',
  ]);
  const topic = check.text(root.topic, 'topic', { maxLength: 300 });
  const minutes = check.number(root.minutes ?? 3, 'minutes', { above: 0, max: MAX_MINUTES });
  const preset = check.oneOf(root.preset ?? 'debate_snappy', 'preset', PRESETS);
  const seed = check.integer(root.seed ?? 1, 'seed', { min: 0, max: 2 ** 31 - 1 });
  const realtime = check.boolean(root.realtime ?? false, 'realtime');
  const sampleRate =
    root.sampleRate === undefined ? undefined : check.oneOf(root.sampleRate, 'sampleRate', SAMPLE_RATES);
  const providers = validateProviders(check, root.providers ?? {});

  if (!Array.isArray(root.agents)) {
    throw new ConfigError(
      source,
      'agents',
      `expected a list of ${AGENT_COUNT.min}–${AGENT_COUNT.max} agents.`,
    );
  }
  if (root.agents.length < AGENT_COUNT.min || root.agents.length > AGENT_COUNT.max) {
    throw new ConfigError(
      source,
      'agents',
      `expected ${AGENT_COUNT.min}–${AGENT_COUNT.max} agents, got ${root.agents.length}.`,
    );
  }
  const agents = root.agents.map((value: unknown, index) => validateAgent(check, value, `agents[${index}]`));
  const seen = new Map<string, number>();
  agents.forEach((agent, index) => {
    const previous = seen.get(agent.id);
    if (previous !== undefined) {
      throw new ConfigError(
        source,
        `agents[${index}].id`,
        `"${agent.id}" is already the id of agents[${previous}]; ids must be unique.`,
      );
    }
    seen.set(agent.id, index);
  });
  return { topic, minutes, preset, seed, realtime, sampleRate, providers, agents };
}

function validateProviders(check: FieldChecker, value: unknown): ManifestProviders {
  const providers = check.object(value, 'providers', ['llm', 'tts', 'openai', 'elevenlabs']);
  const openai = check.object(providers.openai ?? {}, 'providers.openai', ['llmModel', 'ttsModel']);
  const elevenlabs = check.object(providers.elevenlabs ?? {}, 'providers.elevenlabs', ['model']);
  return {
    llm: check.oneOf(providers.llm ?? 'offline', 'providers.llm', LLM_PROVIDERS),
    tts: check.oneOf(providers.tts ?? 'mespeak', 'providers.tts', TTS_PROVIDERS),
    openai: {
      llmModel: check.text(openai.llmModel ?? 'gpt-4o-mini', 'providers.openai.llmModel', { maxLength: 100 }),
      ttsModel: check.text(openai.ttsModel ?? 'gpt-4o-mini-tts', 'providers.openai.ttsModel', {
        maxLength: 100,
      }),
    },
    elevenlabs: {
      model: check.text(elevenlabs.model ?? 'eleven_flash_v2_5', 'providers.elevenlabs.model', {
        maxLength: 100,
      }),
    },
  };
}

function validateAgent(check: FieldChecker, value: unknown, path: string): ManifestAgent {
  const agent = check.object(value, path, ['id', 'voice', 'voices', 'targetShare', 'persona']);
  const id = check.text(agent.id, `${path}.id`, { maxLength: 32 });
  if (!/^[a-z][a-z0-9_-]*$/.test(id)) {
    throw new ConfigError(
      check.source,
      `${path}.id`,
      `"${id}" is not a valid id: use lower-case letters, digits, "-" or "_", starting with a letter.`,
    );
  }
  const voice = check.oneOf(agent.voice, `${path}.voice`, Object.keys(MESPEAK_VOICES));
  const voices = check.object(agent.voices ?? {}, `${path}.voices`, ['openai', 'elevenlabs']);
  const persona = check.object(agent.persona, `${path}.persona`, [
    'name',
    'stance',
    'role',
    'style',
    'assertiveness',
    'agreeableness',
    'verbosity',
  ]);
  const trait = (name: 'assertiveness' | 'agreeableness' | 'verbosity'): number | undefined =>
    persona[name] === undefined
      ? undefined
      : check.number(persona[name], `${path}.persona.${name}`, { min: 0, max: 1 });
  const optionalText = (name: 'role' | 'style'): string | undefined =>
    persona[name] === undefined
      ? undefined
      : check.text(persona[name], `${path}.persona.${name}`, { maxLength: 200 });
  const result: ManifestAgent = {
    id,
    voice,
    voices: {},
    targetShare: check.number(agent.targetShare ?? 1, `${path}.targetShare`, { above: 0, max: 100 }),
    persona: {
      name: check.text(persona.name, `${path}.persona.name`, { maxLength: 40 }),
      stance: check.oneOf(persona.stance, `${path}.persona.stance`, STANCES),
    },
  };
  if (voices.openai !== undefined) {
    result.voices.openai = check.text(voices.openai, `${path}.voices.openai`, { maxLength: 100 });
  }
  if (voices.elevenlabs !== undefined) {
    result.voices.elevenlabs = check.text(voices.elevenlabs, `${path}.voices.elevenlabs`, { maxLength: 100 });
  }
  const role = optionalText('role');
  const style = optionalText('style');
  if (role !== undefined) result.persona.role = role;
  if (style !== undefined) result.persona.style = style;
  for (const name of ['assertiveness', 'agreeableness', 'verbosity'] as const) {
    const traitValue = trait(name);
    if (traitValue !== undefined) result.persona[name] = traitValue;
  }
  return result;
}

/** Typed field checks that throw a {@link ConfigError} naming the field. */
class FieldChecker {
  constructor(readonly source: string) {}

  object(value: unknown, path: string, known: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(this.source, path, `expected an object, got ${describe(value)}.`);
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        const suggestion = closest(key, known);
        throw new ConfigError(
          this.source,
          path === '' ? key : `${path}.${key}`,
          `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known fields: ${known.join(', ')}.`,
        );
      }
    }
    return value as Json;
  }

  text(value: unknown, path: string, options: { maxLength: number }): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigError(this.source, path, `expected a non-empty string, got ${describe(value)}.`);
    }
    if (value.length > options.maxLength) {
      throw new ConfigError(
        this.source,
        path,
        `too long (${value.length} characters; at most ${options.maxLength}).`,
      );
    }
    return value.trim();
  }

  number(value: unknown, path: string, range: { min?: number; above?: number; max?: number }): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(this.source, path, `expected a number, got ${describe(value)}.`);
    }
    const { min, above, max } = range;
    const low = min !== undefined ? `≥ ${min}` : above !== undefined ? `> ${above}` : undefined;
    const bounds = [low, max !== undefined ? `≤ ${max}` : undefined].filter(Boolean).join(' and ');
    if (
      (min !== undefined && value < min) ||
      (above !== undefined && value <= above) ||
      (max !== undefined && value > max)
    ) {
      throw new ConfigError(this.source, path, `expected a number ${bounds}, got ${value}.`);
    }
    return value;
  }

  integer(value: unknown, path: string, range: { min: number; max: number }): number {
    const number = this.number(value, path, range);
    if (!Number.isInteger(number)) {
      throw new ConfigError(this.source, path, `expected a whole number, got ${number}.`);
    }
    return number;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') {
      throw new ConfigError(this.source, path, `expected true or false, got ${describe(value)}.`);
    }
    return value;
  }

  oneOf<T extends string | number>(value: unknown, path: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) {
      const list = allowed.map((item) => JSON.stringify(item)).join(', ');
      throw new ConfigError(this.source, path, `expected one of ${list}, got ${describe(value)}.`);
    }
    return value as T;
  }
}

/** A short description of a JSON value for error messages: `"maybe"`, `42`, `a list`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** The known name within edit distance 2 of `name`, if any (for "did you mean"). */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
