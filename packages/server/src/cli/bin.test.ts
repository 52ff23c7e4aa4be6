import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/argentum-server.js', import.meta.url));
const builtCli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const DEFAULT_FLAGS = '--max-semi-space-size=4 --initial-old-space-size=256';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node [nodeArgs] bin/argentum-server.js [args]` with `env` added to a clean environment. */
function start(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Run {
  const {
    ARGENTUM_NODE_FLAGS: _flags,
    ARGENTUM_SERVER_CHILD: _child,
    NODE_OPTIONS: _options,
    ...base
  } = process.env;
  const child = spawn(process.execPath, [...nodeArgs, bin, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, exit };
}

let running: ChildProcess | undefined;
let folder: string | undefined;
afterEach(async () => {
  running?.kill('SIGKILL');
  running = undefined;
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

/** Starts the bin on a one-agent offline config and waits for its startup line. */
async function startListening(): Promise<{ run: Run; health: string }> {
  folder = await mkdtemp(join(tmpdir(), 'argentum-bin-'));
  const config = join(folder, 'server.config.json');
  await writeFile(
    config,
    JSON.stringify({
      port: 0,
      agents: { helper: { stt: { provider: 'scripted', transcripts: [] }, tts: { provider: 'tone' } } },
    }),
  );
  const run = start(['--config', config]);
  running = run.child;
  const url = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /agents helper at (ws:\/\/[^/\s]+)/.exec(run.stdout());
      if (match !== null) {
        clearInterval(check);
        resolve(match[1]!);
      }
    }, 20);
    void run.exit.then((exit) => {
      clearInterval(check);
      reject(new Error(`exited before listening: ${JSON.stringify(exit)}`));
    });
  });
  return { run, health: `${url.replace('ws:', 'http:')}/health` };
}

describe('the argentum-server bin', () => {
  beforeAll(() => {
    if (!existsSync(builtCli)) throw new Error(`build @argentum/server first: ${builtCli} is missing`);
  });

  it('runs the CLI in a Node with the garbage-collector flags', async () => {
    const run = start(['--help']);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toContain(`Node flags: ${DEFAULT_FLAGS} `);
  });

  it('takes its flags from ARGENTUM_NODE_FLAGS, and none when it is empty', async () => {
    const other = start(['--help'], { ARGENTUM_NODE_FLAGS: '--stack-trace-limit=20' });
    const none = start(['--help'], { ARGENTUM_NODE_FLAGS: '' });
    expect((await other.exit).code).toBe(0);
    expect((await none.exit).code).toBe(0);
    expect(other.stdout()).toContain('Node flags: --stack-trace-limit=20 ');
    expect(none.stdout()).toContain('Node flags: (none) ');
  });

  it('keeps a flag given to Node as it was given', async () => {
    const run = start(['--help'], {}, ['--max_semi_space_size=8']);
    expect((await run.exit).code).toBe(0);
    expect(run.stdout()).toContain('Node flags: --initial-old-space-size=256 --max_semi_space_size=8 ');
  });

  it('exits with the CLI’s exit code', async () => {
    const missing = start(['--config', join(tmpdir(), 'argentum-no-such-config.json')]);
    const usage = start([]); // no --config: usage, exit code 2
    expect(await missing.exit).toEqual({ code: 1, signal: null });
    expect(await usage.exit).toEqual({ code: 2, signal: null });
  });

  it('passes a SIGTERM sent to it alone on to the server, which drains and exits 0', async () => {
    const { run } = await startListening();
    expect(run.stdout()).toContain(`(Node flags: ${DEFAULT_FLAGS})`);
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 0, signal: null });
  });

  it('leaves no server behind when it is killed outright', async () => {
    const { run, health } = await startListening();
    expect((await fetch(health)).status).toBe(200);
    run.child.kill('SIGKILL');
    await run.exit;
    // The server sees its launcher's channel close, drains and exits: its port stops answering.
    const gone = await new Promise<boolean>((resolve) => {
      const started = Date.now();
      const poll = (): void => {
        fetch(health).then(
          () => (Date.now() - started > 10_000 ? resolve(false) : setTimeout(poll, 50)),
          () => resolve(true),
        );
      };
      poll();
    });
    expect(gone).toBe(true);
  });
});
