import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkSecret, resolveRunMode } from './run-mode';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(exampleDir, 'node_modules', '.bin', 'tsx');
const mainScript = join(exampleDir, 'src', 'main.ts');

/** The parent's environment without the variables the example reads, so only `.env` provides them. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  delete env.ARGENTUM_SECRET;
  return env;
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** Starts `pnpm start <args>` in `cwd`; resolves with the output once it is ready or has exited. */
function start(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const process = spawn(tsx, [mainScript, ...args], { cwd, env: cleanEnv() });
    child = process;
    let stdout = '';
    let stderr = '';
    process.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/metrics: .*\n/.test(stdout)) done({ code: null, stdout, stderr });
    });
    process.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    process.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('voice-agent start-up: .env and the mode', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'voice-agent-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('runs on OpenAI with the key and the secret from .env, and says so', async () => {
    const dir = join(cwd, 'with-key');
    await mkdir(dir);
    await writeFile(join(dir, '.env'), `OPENAI_API_KEY=sk-test-123\nARGENTUM_SECRET=${'s'.repeat(40)}\n`);
    const run = await start(['--port', '0'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('voice agent ready — OpenAI (OPENAI_API_KEY from .env');
    expect(run.stdout).toContain('signed URLs use ARGENTUM_SECRET');
  }, 60_000);

  it('without a key and without --offline: one line naming the variable, exit code 2', async () => {
    const run = await start(['--port', '0'], cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      'error: OPENAI_API_KEY is not set and there is no .env here: copy .env.example to .env and put your key in it, or run `pnpm start --offline`.',
    );
  }, 60_000);

  it('--offline (also after a pnpm `--`) runs offline and says why', async () => {
    const run = await start(['--', '--offline', '--port', '0'], cwd);
    expect(run.stdout).toContain('voice agent ready — OFFLINE (--offline given');
    expect(run.stdout).toContain('ARGENTUM_SECRET is not set: using a random secret');
  }, 60_000);
});

describe('resolveRunMode and checkSecret', () => {
  it('never picks offline without --offline', () => {
    expect(resolveRunMode({ offline: false, env: {}, envFileLoaded: true })).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('(not in .env either)'),
    });
    expect(resolveRunMode({ offline: false, env: { OPENAI_API_KEY: '  ' }, envFileLoaded: false }).kind).toBe(
      'error',
    );
    expect(
      resolveRunMode({ offline: true, env: { OPENAI_API_KEY: 'sk-1' }, envFileLoaded: false }).kind,
    ).toBe('offline');
  });

  it('refuses a short ARGENTUM_SECRET instead of silently replacing it', () => {
    expect(checkSecret({ ARGENTUM_SECRET: 'change-me' }).error).toContain('9 characters long');
    expect(checkSecret({ ARGENTUM_SECRET: 'x'.repeat(32) }).error).toBeUndefined();
    expect(checkSecret({}).note).toContain('random secret');
  });
});
