import { createAudioFrame, samplesToPcm16Bytes } from '@argentum/core';
import WebSocket from 'ws';

/** A raw `ws` client that records every server message, for protocol tests. */
export class TestClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly socket: WebSocket;
  closeCode: number | undefined;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  #waiters: (() => void)[] = [];

  constructor(
    url: string,
    options: { protocols?: string[]; origin?: string; headers?: Record<string, string> } = {},
  ) {
    this.socket = new WebSocket(url, options.protocols ?? ['convai'], {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
        this.#notify();
      });
    });
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.#notify();
    });
  }

  static async connect(
    url: string,
    options: {
      protocols?: string[];
      origin?: string;
      headers?: Record<string, string>;
      initiate?: boolean;
      clientData?: object;
    } = {},
  ) {
    const client = new TestClient(url, options);
    await client.opened;
    if (options.initiate !== false) {
      client.send({ type: 'conversation_initiation_client_data', ...(options.clientData ?? {}) });
      await client.waitFor((message) => message.type === 'conversation_initiation_metadata');
    }
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends PCM16 audio as `user_audio_chunk`s of `chunkMs`. */
  sendAudio(samples: Int16Array, sampleRate = 16000, chunkMs = 100): void {
    const perChunk = (sampleRate * chunkMs) / 1000;
    for (let start = 0; start < samples.length; start += perChunk) {
      const chunk = samples.slice(start, start + perChunk);
      this.send({ user_audio_chunk: Buffer.from(samplesToPcm16Bytes(chunk)).toString('base64') });
    }
  }

  of(type: string): Record<string, unknown>[] {
    return this.messages.filter((message) => message.type === type);
  }

  waitFor(
    predicate: (message: Record<string, unknown>) => boolean,
    timeoutMs = 10_000,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = (): boolean => {
        const found = this.messages.find(predicate);
        if (found !== undefined) resolve(found);
        else if (this.closeCode !== undefined)
          reject(new Error(`closed ${this.closeCode} before a matching message`));
        else return false;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((entry) => entry !== check);
        return true;
      };
      if (check()) return;
      this.#waiters.push(check);
      timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((entry) => entry !== check);
        reject(
          new Error(
            `no matching message in ${timeoutMs} ms; got ${this.messages.map((m) => m.type).join(',')}`,
          ),
        );
      }, timeoutMs);
    });
  }

  /** Resolves once `condition()` holds (checked on every message and on close). */
  waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const check = (): boolean => {
        if (!condition()) return false;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((entry) => entry !== check);
        resolve();
        return true;
      };
      if (check()) return;
      this.#waiters.push(check);
      timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((entry) => entry !== check);
        reject(new Error(`condition not met in ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  close(): void {
    this.socket.close(1000);
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** `durationMs` of a loud 220 Hz tone (speech) or near-silence at 16 kHz. */
export function tone(durationMs: number, speech: boolean, sampleRate = 16000): Int16Array {
  const samples = new Int16Array(Math.round((sampleRate * durationMs) / 1000));
  for (let index = 0; index < samples.length; index++) {
    const noise = ((index * 7919) % 17) - 8;
    samples[index] = speech
      ? Math.round(8000 * Math.sin((2 * Math.PI * 220 * index) / sampleRate)) + noise
      : noise;
  }
  return samples;
}

/** Concatenates sample arrays. */
export function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Decodes an `audio` event's PCM16 payload. */
export function audioSamples(message: Record<string, unknown>): Int16Array {
  const event = message.audio_event as { audio_base_64: string };
  const bytes = Buffer.from(event.audio_base_64, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Int16Array(copy.buffer, 0, copy.length / 2);
}

export { createAudioFrame };
