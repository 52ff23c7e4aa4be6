import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, readWav } from '@argentum/core';
import { generateSpeechLikeSignal } from '@argentum/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(exampleDir, 'node_modules', '.bin', 'tsx');
const mainScript = join(exampleDir, 'src', 'main.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `pnpm start <args>` the way pnpm 10 does: the script gets every word after `start`,
 * including a leading `--`.
 */
function start(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(tsx, [mainScript, ...args], { cwd }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The `pnpm start …` lines of the README's shell block, as argument lists. */
async function readmeCommands(): Promise<string[][]> {
  const readme = await readFile(join(exampleDir, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('pnpm start'))
    .map((line) => line.split(/\s+/).slice(2));
}

describe('audio-basics README commands', () => {
  let cwd: string;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'audio-basics-'));
    // The user's own recording: 44.1 kHz stereo, to exercise stereoToMono and resample.
    const signal = generateSpeechLikeSignal({ seed: 11, sampleRate: 44100, utteranceCount: 3 });
    const stereo = new Int16Array(signal.samples.length * 2);
    signal.samples.forEach((sample, index) => {
      stereo[2 * index] = sample;
      stereo[2 * index + 1] = sample;
    });
    await writeFile(join(cwd, 'call.wav'), encodeWav(stereo, { sampleRate: 44100, channels: 2 }));
  });

  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('the README shows the three documented commands', async () => {
    const commands = await readmeCommands();
    expect(commands.map((args) => args.join(' '))).toEqual([
      '',
      '-- --in call.wav --out results',
      '-- --duck-db -18 --seed 3',
    ]);
  });

  it('every README command runs, prints the speech segments and writes a 16 kHz mix', async () => {
    for (const args of await readmeCommands()) {
      const run = await start(args, cwd);
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('speech segments');
      const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1]! : 'out';
      const mix = readWav(new Uint8Array(await readFile(join(cwd, outDir, 'mixed.wav'))));
      expect(mix.format).toMatchObject({ sampleRate: 16000, channels: 1 });
      const duck = args.includes('--duck-db') ? args[args.indexOf('--duck-db') + 1]! : '-12';
      expect(run.stdout).toContain(`bed ducked ${duck} dB under speech`);
    }
    expect(existsSync(join(cwd, 'results', 'input.wav'))).toBe(false);
  }, 120_000);

  it('a missing input or a bad flag is one line on stderr and exit code 2', async () => {
    const missing = await start(['--', '--in', 'nope.wav'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('error: --in: cannot read nope.wav (no such file)');
    const positive = await start(['--duck-db', '6'], cwd);
    expect(positive.code).toBe(2);
    expect(positive.stderr).toContain('--duck-db expects a gain in dB ≤ 0');
    const unknown = await start(['--dcuk-db=-3'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--dcuk-db'");
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('says why when the input holds no speech', async () => {
    await writeFile(
      join(cwd, 'silence.wav'),
      encodeWav(new Int16Array(16000), { sampleRate: 16000, channels: 1 }),
    );
    const run = await start(['--in', 'silence.wav'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no speech detected');
    expect(run.stdout).not.toContain('┌');
  }, 60_000);
});
