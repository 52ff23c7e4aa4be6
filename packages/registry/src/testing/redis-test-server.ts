import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { realtimeScheduler } from '@argentum/core';

/**
 * Options of {@link startRedisTestServer}.
 *
 * @example
 * ```ts
 * const server = await startRedisTestServer({ command: '/usr/local/bin/redis-server', startTimeoutMs: 5000 });
 * ```
 */
export interface RedisTestServerOptions {
  /** The `redis-server` executable. Default: `redis-server` on the PATH (Debian: `apt-get install redis-server`). */
  command?: string;
  /** How long to wait for the server to accept connections, ms. Default 10 000. */
  startTimeoutMs?: number;
}

/**
 * A throwaway `redis-server` on 127.0.0.1 with no persistence.
 *
 * @example
 * ```ts
 * const server = await startRedisTestServer();
 * const registry = await RedisWorkerRegistry.connect({ url: server.url });
 * // …
 * await registry.close();
 * await server.stop();
 * ```
 */
export interface RedisTestServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port. */
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after a second) and waits for it to exit. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function launch(command: string, port: number, startTimeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      command,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'notice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = realtimeScheduler.schedule(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        timer.unsubscribe();
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      timer.unsubscribe();
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${command} was not found: install Redis (Debian: apt-get install redis-server) or pass options.command.`,
            )
          : error,
      );
    });
    child.once('exit', (code) => {
      timer.unsubscribe();
      reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

/**
 * Starts a `redis-server` on 127.0.0.1 at a free port, without persistence, for tests; stop it
 * with {@link RedisTestServer.stop}. Retries a few ports if one is taken meanwhile.
 *
 * @param options - executable and start timeout.
 * @returns the running server.
 * @example
 * ```ts
 * import { startRedisTestServer } from '@argentum/registry/testing';
 *
 * let server: RedisTestServer;
 * beforeAll(async () => { server = await startRedisTestServer(); });
 * afterAll(() => server.stop());
 * ```
 */
export async function startRedisTestServer(options: RedisTestServerOptions = {}): Promise<RedisTestServer> {
  const command = options.command ?? 'redis-server';
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    let child: ChildProcess;
    try {
      child = await launch(command, port, startTimeoutMs);
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.includes('was not found')) throw error;
      continue;
    }
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      stop: async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const force = realtimeScheduler.schedule(() => child.kill('SIGKILL'), 1000);
          await exited;
          force.unsubscribe();
        }
      },
    };
  }
  throw lastError;
}
