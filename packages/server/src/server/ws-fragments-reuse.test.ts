import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FakeSocket } from '../internal/fake-socket.test-support';
import { reuseReceiverFragments } from './ws-fragments-reuse';

type Receiver = { _fragments: unknown[] };

describe('reuseReceiverFragments', () => {
  it("gives ws's receiver one emptied array per connection and keeps every message whole", async () => {
    const http = createServer();
    const server = new WebSocketServer({ server: http });
    const received: string[] = [];
    const arrays = new Set<unknown[]>();
    let checks = 0;
    const done = new Promise<void>((resolve) => {
      server.on('connection', (socket) => {
        const afterMessage = reuseReceiverFragments(socket);
        // The workaround depends on ws's receiver keeping `_fragments`: a ws upgrade that changes it fails here.
        expect(afterMessage).toBeTypeOf('function');
        const receiver = (socket as unknown as { _receiver: Receiver })._receiver;
        socket.on('message', (data) => {
          received.push(String(data));
          afterMessage!();
          arrays.add(receiver._fragments);
          if (receiver._fragments.length === 0) checks++;
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
    // A message in three frames: the receiver collects them in the array it was given.
    client.send('thi', { fin: false });
    client.send('rd in ', { fin: false });
    client.send('parts', { fin: true });
    client.send('fourth');
    await done;
    client.close();
    server.close();
    http.close();
    expect(received).toEqual(['first', 'second', 'third in parts', 'fourth']);
    expect(arrays.size).toBe(1);
    expect(checks).toBe(4);
  });

  it('does nothing for a socket without a ws receiver', () => {
    expect(reuseReceiverFragments(new FakeSocket() as never)).toBeUndefined();
  });
});
