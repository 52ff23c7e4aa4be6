import { EventEmitter } from 'node:events';

/** An in-memory stand-in for a `ws` socket: records what the server sends and the first close code. */
export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readonly CONNECTING = 0;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code: number): void {
    this.closedWith ??= code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  /** Delivers a client message (as JSON text). */
  receive(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}
