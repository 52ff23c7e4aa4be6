import type { ServerResponse } from 'node:http';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { StreamFaults } from './test-server-script';

/** Set on a response whose socket the script destroyed on purpose (`disconnectAfterChunks`). @internal */
export const DISCONNECTED_BY_SCRIPT = Symbol('disconnected-by-script');

/**
 * Streams `chunks` as the body of `response` with the timing and faults of `faults`, on
 * `scheduler`: waits `responseDelayMs`, sends the headers, waits `firstChunkDelayMs`, writes each
 * chunk (`chunkDelayMs` apart), and ends — early after `endAfterChunks`, or by destroying the
 * socket after `disconnectAfterChunks`.
 * Pending waits are cancelled when the connection closes.
 * @internal
 */
export function playChunks(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  chunks: readonly (string | Uint8Array)[],
  faults: StreamFaults,
  scheduler: SchedulerLike,
): void {
  let pending: Subscription | undefined;
  let closed = false;
  response.on('close', () => {
    closed = true;
    pending?.unsubscribe();
  });
  const after = (delayMs: number | undefined, step: () => void): void => {
    if (closed) return;
    if (delayMs === undefined || delayMs <= 0) {
      step();
      return;
    }
    pending = scheduler.schedule(() => {
      pending = undefined;
      if (!closed) step();
    }, delayMs);
  };
  const send = (index: number): void => {
    if (faults.disconnectAfterChunks !== undefined && index >= faults.disconnectAfterChunks) {
      (response as unknown as Record<symbol, boolean>)[DISCONNECTED_BY_SCRIPT] = true;
      // Destroy only once what was written has reached the socket, so the client sees those chunks.
      const socket = response.socket;
      if (socket === null || socket.writableLength === 0) socket?.destroy();
      else socket.write('', () => socket.destroy());
      return;
    }
    if (index >= chunks.length || (faults.endAfterChunks !== undefined && index >= faults.endAfterChunks)) {
      response.end();
      return;
    }
    response.write(chunks[index]!);
    after(index + 1 < chunks.length ? faults.chunkDelayMs : 0, () => send(index + 1));
  };
  after(faults.responseDelayMs, () => {
    response.writeHead(status, headers);
    response.flushHeaders();
    after(faults.firstChunkDelayMs, () => send(0));
  });
}
