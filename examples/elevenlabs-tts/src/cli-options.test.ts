import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './cli-options';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

describe('elevenlabs-tts command line', () => {
  it('writes to out/speech.wav by default and drops the `--` pnpm passes along', () => {
    expect(parseCli(['--', '--offline', 'Hello', 'there.'])).toMatchObject({
      offline: true,
      outPath: 'out/speech.wav',
      text: 'Hello there.',
    });
  });

  it('accepts a supported format and rate', () => {
    expect(parseCli(['--format', 'ulaw_8000', '--rate', '16000', 'x'])).toMatchObject({
      outputFormat: 'ulaw_8000',
      sampleRate: 16000,
    });
  });

  it.each([
    [['--rate', '12345', 'x'], '--rate "12345" is not a supported sample rate: use one of 8000, 16000'],
    [['--rate', 'abc', 'x'], '--rate "abc" is not a supported sample rate'],
    [['--format', 'pcm_99', 'x'], '--format "pcm_99" is not supported: use one of pcm_8000'],
    [['--bogus', 'x'], "Unknown option '--bogus'"],
    [['--voice'], "Option '--voice <value>' argument missing"],
  ])('refuses %j with a UsageError saying what is accepted', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  it('a bad flag ends the CLI with one line on stderr and exit code 2, no stack trace', async () => {
    const run = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(
        join(exampleDir, 'node_modules', '.bin', 'tsx'),
        [join(exampleDir, 'src', 'main.ts'), '--rate', '12345', 'Hello'],
        { cwd: exampleDir },
        (error, _stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'error: --rate "12345" is not a supported sample rate: use one of 8000, 16000, 22050, 24000, 44100, 48000 (Hz)',
    ]);
  }, 30_000);
});
