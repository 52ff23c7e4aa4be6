import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FakeSocket } from '../internal/fake-socket.test-support';
import { reuseReceiverFragments } from './ws-fragments-reuse';

type Receiver = { _fragments: unknown[] };

/**
 * Sends four text messages — one in three frames with a ping between them — to a ws server whose
 * connection applies the workaround after each message; returns what arrived and the arrays the
 * receiver held after each message.
 */
async function exchange(options: { allowSynchronousEvents?: boolean; binaryType?: 'fragments' } = {}) {
  const http = createServer();
  const server = new WebSocketServer({
    server: http,
    ...(options.allowSynchronousEvents === undefined
      ? {}
      : { allowSynchronousEvents: options.allowSynchronousEvents }),
  });
  const received: string[] = [];
  const arrays: unknown[][] = [];
  let workaround: unknown;
  const done = new Promise<void>((resolve) => {
    server.on('connection', (socket) => {
      if (options.binaryType !== undefined) socket.binaryType = options.binaryType;
      const afterMessage = reuseReceiverFragments(socket);
      workaround = afterMessage;
      const receiver = (socket as unknown as { _receiver: Receiver })._receiver;
      socket.on('message', (data) => {
        received.push(Array.isArray(data) ? Buffer.concat(data).toString() : String(data));
        afterMessage?.();
        arrays.push(receiver._fragments);
        if (received.length === 4) resolve();
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((resolve) => client.once('open', resolve));
  client.send('first');
  client.send('second');
  client.send('thi', { fin: false });
  client.ping();
  client.send('rd in ', { fin: false });
  client.send('parts', { fin: true });
  client.send('fourth');
  await done;
  client.close();
  server.close();
  http.close();
  return { received, arrays, workaround };
}

describe('reuseReceiverFragments', () => {
  it("gives ws's receiver one emptied array per connection and keeps every message whole", async () => {
    for (const allowSynchronousEvents of [true, false]) {
      const { received, arrays, workaround } = await exchange({ allowSynchronousEvents });
      // The workaround depends on ws's receiver keeping `_fragments`: a ws upgrade that changes it fails here.
      expect(workaround).toBeTypeOf('function');
      expect(received).toEqual(['first', 'second', 'third in parts', 'fourth']);
      expect(new Set(arrays).size).toBe(1);
      expect(arrays[0]).toEqual([]);
    }
  });

  it("leaves the receiver alone when it hands its arrays to listeners (binaryType 'fragments')", async () => {
    const { received, arrays } = await exchange({ binaryType: 'fragments' });
    expect(received).toEqual(['first', 'second', 'third in parts', 'fourth']);
    expect(new Set(arrays).size).toBe(4);
  });

  it('does nothing for a socket without a ws receiver', () => {
    expect(reuseReceiverFragments(new FakeSocket() as never)).toBeUndefined();
  });
});
