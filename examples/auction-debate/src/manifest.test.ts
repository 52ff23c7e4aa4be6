import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyOverrides, parseCli } from './cli-options';
import { ConfigError } from './config-error';
import { parseManifestText, validateManifest } from './manifest';

const defaultText = readFileSync(new URL('../debate.json', import.meta.url), 'utf8');
/** The manifest's JSON, loosely typed so tests can break any field. */
interface RawManifest {
  [field: string]: unknown;
  providers: Record<string, unknown>;
  agents: { [field: string]: unknown; persona: Record<string, unknown> }[];
}
const defaultManifest = (): RawManifest => JSON.parse(defaultText) as RawManifest;

/** Runs `action` and returns the ConfigError it throws. */
function configError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the debate manifest', () => {
  it('reads the bundled debate.json: four agents with distinct mespeak voices, ~3 minutes', () => {
    const manifest = parseManifestText(defaultText, 'debate.json');
    expect(manifest.agents.map((agent) => agent.id)).toEqual(['ada', 'bruno', 'chen', 'dara']);
    expect(new Set(manifest.agents.map((agent) => agent.voice)).size).toBe(4);
    expect(manifest.minutes).toBe(3);
    expect(manifest.realtime).toBe(false);
    expect(manifest.providers).toMatchObject({ llm: 'offline', tts: 'mespeak' });
  });

  it('fills in defaults for the optional fields', () => {
    const manifest = validateManifest(
      {
        topic: 'Tea or coffee?',
        agents: [
          { id: 'a', voice: 'ada', persona: { name: 'A', stance: 'for' } },
          { id: 'b', voice: 'bruno', persona: { name: 'B', stance: 'against' } },
        ],
      },
      'm.json',
    );
    expect(manifest).toMatchObject({
      minutes: 3,
      preset: 'debate_snappy',
      seed: 1,
      realtime: false,
      sampleRate: undefined,
      providers: { llm: 'offline', tts: 'mespeak', openai: { llmModel: 'gpt-4o-mini' } },
    });
    expect(manifest.agents[0]).toEqual({
      id: 'a',
      voice: 'ada',
      voices: {},
      targetShare: 1,
      persona: { name: 'A', stance: 'for' },
    });
  });

  it.each([
    [
      (m: RawManifest) => (m.agents[2]!.persona.stance = 'maybe'),
      'agents[2].persona.stance',
      'expected one of "for", "against", "neutral", got "maybe"',
    ],
    [(m: RawManifest) => (m.agents[1]!.voice = 'zed'), 'agents[1].voice', 'expected one of "ada"'],
    [(m: RawManifest) => (m.minutes = -1), 'minutes', 'expected a number > 0 and ≤ 60, got -1'],
    [(m: RawManifest) => (m.minutes = '3'), 'minutes', 'expected a number, got "3"'],
    [(m: RawManifest) => (m.seed = 1.5), 'seed', 'expected a whole number, got 1.5'],
    [
      (m: RawManifest) => (m.preset = 'shouting_match'),
      'preset',
      'expected one of "debate_snappy", "panel_civil"',
    ],
    [
      (m: RawManifest) => (m.providers.tts = 'festival'),
      'providers.tts',
      'expected one of "mespeak", "openai", "elevenlabs"',
    ],
    [(m: RawManifest) => delete m.topic, 'topic', 'expected a non-empty string, got nothing'],
    [
      (m: RawManifest) => (m.agents[0]!.persona.assertiveness = 2),
      'agents[0].persona.assertiveness',
      '≤ 1, got 2',
    ],
    [(m: RawManifest) => (m.agents[3]!.id = 'Dara!'), 'agents[3].id', 'not a valid id'],
    [(m: RawManifest) => (m.agents[3]!.id = 'ada'), 'agents[3].id', 'already the id of agents[0]'],
    [(m: RawManifest) => (m.agents = m.agents.slice(0, 1)), 'agents', 'expected 2–8 agents, got 1'],
    [
      (m: RawManifest) => (m.agents[0]!.persona.assertivenes = 0.5),
      'agents[0].persona.assertivenes',
      'did you mean "assertiveness"',
    ],
    [(m: RawManifest) => (m.topik = 'x'), 'topik', 'did you mean "topic"'],
    [
      (m: RawManifest) => ((m.agents[1] as Record<string, unknown>).persona = 'Bruno'),
      'agents[1].persona',
      'expected an object, got "Bruno"',
    ],
  ])('names the offending field: %#', (mutate, field, fragment) => {
    const manifest = defaultManifest();
    mutate(manifest);
    const error = configError(() => validateManifest(manifest, 'debate.json'));
    expect(error.field).toBe(field);
    expect(error.message).toContain(`debate.json: ${field}: `);
    expect(error.message).toContain(fragment);
  });

  it('reports a JSON syntax error with its line and column', () => {
    const broken = defaultText.replace('"minutes": 3,', '"minutes": 3,,');
    const error = configError(() => parseManifestText(broken, 'debate.json'));
    expect(error.message).toMatch(/^debate\.json: not valid JSON at line 4, column \d+/);
  });
});

describe('the command line', () => {
  it('reads the flags and ignores a bare -- passed through by pnpm', () => {
    const cli = parseCli([
      '--',
      '--out',
      '/tmp/x',
      '--minutes',
      '0.5',
      '--seed',
      '11',
      '--agents',
      'ada,chen',
      '--realtime',
    ]);
    expect(cli.outDir).toBe('/tmp/x');
    expect(cli.overrides).toEqual({ minutes: 0.5, seed: 11, agents: ['ada', 'chen'], realtime: true });
    expect(parseCli([]).outDir).toBe('out');
  });

  it('overrides the manifest, keeping only the chosen agents in the order given', () => {
    const manifest = parseManifestText(defaultText, 'debate.json');
    const cli = parseCli([
      '--topic',
      'Four-day weeks?',
      '--preset',
      'panel_civil',
      '--agents',
      'dara,bruno',
      '--tts',
      'openai',
    ]);
    const result = applyOverrides(manifest, cli.overrides);
    expect(result.topic).toBe('Four-day weeks?');
    expect(result.preset).toBe('panel_civil');
    expect(result.agents.map((agent) => agent.id)).toEqual(['dara', 'bruno']);
    expect(result.providers.tts).toBe('openai');
    expect(manifest.agents).toHaveLength(4); // the manifest itself is untouched
  });

  it.each([
    [['--minutes', 'soon'], '--minutes', 'expected a number > 0 and ≤ 60, got "soon"'],
    [['--seed=-3'], '--seed', 'expected a whole number ≥ 0, got "-3"'],
    [['--seed', '2.5'], '--seed', 'expected a whole number ≥ 0, got "2.5"'],
    [['--preset', 'rowdy'], '--preset', 'expected one of debate_snappy, panel_civil'],
    [['--agents', 'ada'], '--agents', 'expected 2 or more'],
    [['--realtime', '--fast'], '--realtime', 'not both'],
    [['--sample-rate', '11025'], '--sample-rate', 'expected one of 8000'],
    [['--colour'], '', "Unknown option '--colour'"],
    [['hello'], '', 'unexpected argument "hello"'],
  ])('rejects %j', (argv, field, fragment) => {
    const error = configError(() => parseCli(argv));
    expect(error.field).toBe(field);
    expect(error.message).toContain(fragment);
  });

  it('rejects --agents naming an agent the manifest lacks', () => {
    const manifest = parseManifestText(defaultText, 'debate.json');
    const error = configError(() => applyOverrides(manifest, { agents: ['ada', 'zoe'] }));
    expect(error.message).toBe(
      'command line: --agents: no agent "zoe" in the manifest; its agents are ada, bruno, chen, dara.',
    );
  });
});
