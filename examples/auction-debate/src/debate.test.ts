import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AudioFrame, createEnergyVad, detectSpeech, readWav } from '@argentum/core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOverrides } from './cli-options';
import { ConfigError } from './config-error';
import { type DebateManifest, parseManifestText } from './manifest';
import type { DebateMetrics } from './metrics';
import { runDebate } from './run-debate';
import type { Transcript } from './transcript';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const defaultManifest = parseManifestText(
  await readFile(join(exampleDir, 'debate.json'), 'utf8'),
  'debate.json',
);
const twentySeconds = applyOverrides(defaultManifest, { minutes: 20 / 60 });

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'auction-debate-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** 20 ms frames of a mono PCM16 buffer. */
function framesOf(samples: Int16Array, sampleRate: 22050 | 24000): AudioFrame[] {
  const length = (sampleRate * 20) / 1000;
  const frames: AudioFrame[] = [];
  for (let offset = 0; offset + length <= samples.length; offset += length) {
    frames.push({
      samples: samples.subarray(offset, offset + length),
      sampleRate,
      channels: 1,
      timestamp: (offset / sampleRate) * 1000,
    });
  }
  return frames;
}

function rmsDbfs(samples: Int16Array): number {
  let energy = 0;
  for (const value of samples) energy += value * value;
  return 10 * Math.log10(energy / Math.max(1, samples.length) / 32768 ** 2);
}

/** Median pitch (Hz) of the loud 40 ms windows of a stretch, by autocorrelation over 60–400 Hz. */
function medianPitchHz(samples: Int16Array, sampleRate: number): number {
  const size = Math.round(sampleRate * 0.04);
  const pitches: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    const window = samples.subarray(start, start + size);
    if (rmsDbfs(window) < -40) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = Math.floor(sampleRate / 400); lag <= Math.ceil(sampleRate / 60); lag++) {
      let product = 0;
      let energyA = 0;
      let energyB = 0;
      for (let i = 0; i + lag < window.length; i++) {
        const a = window[i] ?? 0;
        const b = window[i + lag] ?? 0;
        product += a * b;
        energyA += a * a;
        energyB += b * b;
      }
      const correlation = product / Math.sqrt(energyA * energyB || 1);
      if (correlation > best) {
        best = correlation;
        bestLag = lag;
      }
    }
    if (best > 0.6) pitches.push(sampleRate / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? 0;
}

async function run(manifest: DebateManifest, name: string, extra: { offlineProviders?: boolean } = {}) {
  const outDir = join(workDir, name);
  const result = await runDebate({ manifest, outDir, env: {}, ...extra });
  return { outDir, result };
}

describe('a 20-second offline debate', () => {
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    first = await run(twentySeconds, 'first');
  });

  it('writes every output file, and each parses', async () => {
    const { outDir } = first;
    const transcript = JSON.parse(await readFile(join(outDir, 'transcript.json'), 'utf8')) as Transcript;
    expect(transcript.topic).toBe(defaultManifest.topic);
    expect(transcript.entries.filter((entry) => entry.kind === 'turn').length).toBeGreaterThanOrEqual(2);

    const text = await readFile(join(outDir, 'transcript.txt'), 'utf8');
    const firstTurn = transcript.entries.find((entry) => entry.kind === 'turn');
    expect(text).toContain(`${firstTurn?.name} (turn-1): `);
    expect(text).toMatch(/^\[ ?\d:\d\d\.\d\] /m);

    const metrics = JSON.parse(await readFile(join(outDir, 'metrics.json'), 'utf8')) as DebateMetrics;
    expect(metrics.summary.agents.map((agent) => agent.agentId)).toEqual(['ada', 'bruno', 'chen', 'dara']);
    expect(metrics.summary.turns.length).toBe(
      transcript.entries.filter((entry) => entry.kind === 'turn').length,
    );
    expect(metrics.auctions.length).toBeGreaterThanOrEqual(
      metrics.summary.turns.filter((turn) => turn.cause === 'auction').length,
    );
    expect(metrics.auctions[0]?.bids).toHaveLength(4);
    expect(metrics.pacing.length).toBeGreaterThan(0);
    const shares = metrics.summary.agents.reduce((sum, agent) => sum + agent.share, 0);
    expect(shares).toBeCloseTo(1, 2); // each share is rounded to 3 decimals in the file

    const svg = await readFile(join(outDir, 'timeline.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const name of ['Ada', 'Bruno', 'Chen', 'Dara']) expect(svg).toContain(`>${name}</text>`);
    const html = await readFile(join(outDir, 'timeline.html'), 'utf8');
    expect(html).toContain('<svg xmlns=');
    expect(html).toContain('<audio controls preload="none" src="debate.wav">');

    const events = (await readFile(join(outDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(events[0] ?? '{}').type).toBe('start');
    expect(JSON.parse(events.at(-1) ?? '{}').type).toBe('end');
  });

  it('the WAV is about 20 s of speech in several voices, not silence', async () => {
    const { outDir, result } = first;
    const wav = readWav(new Uint8Array(await readFile(join(outDir, 'debate.wav'))));
    expect(wav.format).toEqual({ sampleRate: 22050, channels: 1 });
    const seconds = wav.samples.length / 22050;
    expect(seconds).toBeGreaterThan(18);
    expect(seconds).toBeLessThan(40); // the turn on the floor finishes its sentence

    // Speech is loud most of the time and comes in bursts with pauses between them.
    const frames = framesOf(wav.samples, 22050);
    const loud = frames.filter((frame) => rmsDbfs(frame.samples) > -45).length;
    expect(loud / frames.length).toBeGreaterThan(0.5);
    const vadEvents = await lastValueFrom(from(frames).pipe(detectSpeech(createEnergyVad()), toArray()));
    expect(vadEvents.filter((event) => event.type === 'speech-start').length).toBeGreaterThanOrEqual(3);

    // Different agents speak with different voices: their turns' median pitches differ.
    const pitchByAgent = new Map<string, number>();
    for (const entry of result.transcript.entries) {
      if (entry.kind !== 'turn' || pitchByAgent.has(entry.agentId)) continue;
      const from = Math.round((entry.atMs / 1000) * 22050);
      const to = Math.round((entry.endMs / 1000) * 22050);
      pitchByAgent.set(entry.agentId, medianPitchHz(wav.samples.subarray(from, to), 22050));
    }
    const pitches = [...pitchByAgent.values()].filter((pitch) => pitch > 0).sort((a, b) => a - b);
    expect(pitches.length).toBeGreaterThanOrEqual(2);
    // at least 3 semitones between the lowest and the highest voice heard
    expect(12 * Math.log2((pitches.at(-1) ?? 1) / (pitches[0] ?? 1))).toBeGreaterThan(3);
  });

  it('the same seed gives byte-identical transcript, metrics and WAV; another seed does not', async () => {
    const again = await run(twentySeconds, 'again');
    for (const file of ['transcript.json', 'transcript.txt', 'metrics.json', 'debate.wav', 'timeline.svg']) {
      const a = await readFile(join(first.outDir, file));
      const b = await readFile(join(again.outDir, file));
      expect(a.equals(b), `${file} differs between two runs with the same seed`).toBe(true);
    }
    const other = await run(applyOverrides(twentySeconds, { seed: 8 }), 'other-seed');
    const a = await readFile(join(first.outDir, 'transcript.json'), 'utf8');
    const b = await readFile(join(other.outDir, 'transcript.json'), 'utf8');
    expect(a).not.toBe(b);
  });
});

describe('the default debate (debate.json, about 3 minutes)', () => {
  it('has several voices, ducked interjections and at least one crossfaded interrupt', async () => {
    const { result } = await run(defaultManifest, 'default');
    const { summary } = result.metrics;
    expect(result.audioMs).toBeGreaterThan(170_000);
    expect(new Set(summary.turns.map((turn) => turn.agentId)).size).toBe(4);
    const interjections = result.events.filter(
      (event) => event.type === 'interjection' && event.outcome === 'played',
    );
    expect(interjections.length).toBeGreaterThanOrEqual(2);
    for (const event of interjections) {
      if (event.type !== 'interjection') continue;
      expect(event.leaseId).toMatch(/^lease-\d+$/);
      expect(event.duckGainDb).toBeLessThan(0);
      // It reacts to something heard: a sentence of the turn it plays under had already ended.
      const heardBefore = result.events.some(
        (other) =>
          other.type === 'segment-end' &&
          other.kind === 'turn' &&
          other.turnId === event.turnId &&
          other.heardText.length > 0 &&
          other.sequence < event.sequence,
      );
      expect(heardBefore).toBe(true);
    }
    const committed = result.events.filter(
      (event) => event.type === 'interrupt' && event.outcome === 'committed',
    );
    const crossfaded = committed.filter((event) => event.type === 'interrupt' && event.crossfadeMs > 0);
    expect(crossfaded.length).toBeGreaterThanOrEqual(1);
    expect(crossfaded.length * 2).toBeGreaterThan(committed.length); // cuts land in pauses
    expect(summary.interrupts.midWordCuts).toBe(0);
    expect(summary.interrupts.unguardedCommits).toBe(0);
    expect(
      result.transcript.entries.some((entry) => entry.kind === 'interrupt' && entry.crossfadeMs > 0),
    ).toBe(true);
  });
});

describe('the real-provider path, against the bundled test servers', () => {
  const short = applyOverrides(defaultManifest, { minutes: 6 / 60, agents: ['ada', 'bruno'] });

  it('OpenAI agents write the words (local test server) and mespeak speaks them', async () => {
    const manifest = applyOverrides(short, { llm: 'openai' });
    const { outDir, result } = await run(manifest, 'openai-llm', { offlineProviders: true });
    expect(result.realtime).toBe(true);
    expect(result.providers).toBe('OpenAI gpt-4o-mini agents · mespeak voices (local test servers)');
    const text = await readFile(join(outDir, 'transcript.txt'), 'utf8');
    expect(text).toMatch(/the numbers point the other way|footfall went up|buses actually come on time/);
    const wav = readWav(new Uint8Array(await readFile(join(outDir, 'debate.wav'))));
    expect(rmsDbfs(wav.samples)).toBeGreaterThan(-40);
  });

  it('ElevenLabs voices (local test server) speak OpenAI agents over the same conversation', async () => {
    const manifest = applyOverrides(short, { llm: 'openai', tts: 'elevenlabs' });
    const { outDir, result } = await run(manifest, 'elevenlabs-tts', { offlineProviders: true });
    expect(result.providers).toBe('OpenAI gpt-4o-mini agents · ElevenLabs voices (local test servers)');
    const wav = readWav(new Uint8Array(await readFile(join(outDir, 'debate.wav'))));
    expect(wav.format.sampleRate).toBe(24000);
    expect(result.metrics.summary.turns.length).toBeGreaterThanOrEqual(1);
    expect(rmsDbfs(wav.samples)).toBeGreaterThan(-40);
  });

  it('OpenAI speech (local test server) works as the voices too', async () => {
    const manifest = applyOverrides(short, { tts: 'openai' });
    const { outDir, result } = await run(manifest, 'openai-tts', { offlineProviders: true });
    expect(result.providers).toBe('offline agents · OpenAI voices (local test servers)');
    const wav = readWav(new Uint8Array(await readFile(join(outDir, 'debate.wav'))));
    expect(result.metrics.summary.turns.length).toBeGreaterThanOrEqual(1);
    expect(rmsDbfs(wav.samples)).toBeGreaterThan(-40);
  });

  it('without a key (and without --offline-providers) it stops with an error naming the variable', async () => {
    const manifest = applyOverrides(short, { llm: 'openai' });
    const error = await runDebate({ manifest, outDir: join(workDir, 'no-key'), env: {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('OPENAI_API_KEY');
  });
});

describe('the command', () => {
  const execFileAsync = promisify(execFile);
  const tsx = join(exampleDir, 'node_modules', '.bin', 'tsx');

  async function start(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await execFileAsync(tsx, ['src/main.ts', ...args], { cwd: exampleDir });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  }

  it('a bad manifest exits with code 2 and a message naming the field, without a stack trace', async () => {
    const bad = join(workDir, 'bad.json');
    const manifest = JSON.parse(await readFile(join(exampleDir, 'debate.json'), 'utf8'));
    manifest.agents[1].persona.stance = 'sideways';
    await writeFile(bad, JSON.stringify(manifest));
    const { code, stderr } = await start(['--manifest', bad, '--out', join(workDir, 'bad-out')]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'agents[1].persona.stance: expected one of "for", "against", "neutral", got "sideways".',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad flag exits with code 2', async () => {
    const { code, stderr } = await start(['--minutes', 'lots']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('error: command line: --minutes: expected a number > 0 and ≤ 60, got "lots".');
  });

  it('runs a debate from the command line and prints the progress and the summary table', async () => {
    const outDir = join(workDir, 'cli');
    const { code, stdout } = await start([
      '--',
      '--out',
      outDir,
      '--minutes',
      '0.15',
      '--agents',
      'chen,dara',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Debate: Should cities ban private cars from their centres?');
    expect(stdout).toMatch(/agent\s+share\s+target\s+turns/);
    expect(stdout).toMatch(/^Chen\s+\d+\.\d%\s+50\.0%/m);
    expect(stdout).toMatch(
      /handoff gaps p50 (-?\d+ ms|–) · p95 (-?\d+ ms|–) · overlap \d+\.\d% of talk time · Jain's fairness \d\.\d{3}/,
    );
    expect(stdout).toMatch(/faster than real time/);
    expect(stdout).toContain(`Wrote to ${outDir}/:`);
    const wav = readWav(new Uint8Array(await readFile(join(outDir, 'debate.wav'))));
    expect(wav.samples.length).toBeGreaterThan(22050 * 8);
  });
});
