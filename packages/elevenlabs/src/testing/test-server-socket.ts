import { bytesToBase64 } from '@argentum/core';
import type { SchedulerLike, Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import type {
  ElevenLabsTestServerConnection,
  ElevenLabsTestServerFaults,
  ElevenLabsTestServerMessage,
} from './test-server-types';
import { type SynthesizedChunk, synthesizeSegment } from './tone-synthesizer';

/** What a socket session needs from its server. @internal */
export interface SocketSessionContext {
  scheduler: SchedulerLike;
  faults: () => ElevenLabsTestServerFaults;
  apiKey: string | undefined;
  msPerCharacter: number;
  charactersPerChunk: number;
  toneHz: number;
  log: (entry: ElevenLabsTestServerMessage) => void;
}

const MAX_CONTEXTS = 5;
const SETTINGS_ERROR =
  'voice_settings field must be provided in the first message and then either be not provided or not change.';

interface TextState {
  buffer: string;
  generations: number;
  /** Whether an audio message was already queued (the first one gets the first-chunk delay). */
  started: boolean;
  schedule: number[];
}

interface ContextState extends TextState {
  id: string;
  settings: string | undefined;
  openedByKeepAlive: boolean;
  closing: boolean;
  /** Audio messages sent for this context so far. */
  audioSent: number;
}

/**
 * Plays the ElevenLabs side of one stream-input or multi-stream-input socket (PROTOCOLS.md §1–2).
 * @internal
 */
export class SocketSession {
  readonly #socket: WebSocket;
  readonly #info: ElevenLabsTestServerConnection;
  readonly #context: SocketSessionContext;
  readonly #multi: boolean;
  readonly #queue: { delayMs: number; run: () => void; contextId: string | undefined }[] = [];
  #pumping: Subscription | undefined;
  #inactivity: Subscription | undefined;
  #authenticated: boolean;
  #initialized = false;
  #ended = false;
  #done = false;
  #audioSent = 0;
  #single: TextState | undefined;
  readonly #contexts = new Map<string, ContextState>();
  #connectionSettings: string | undefined;

  constructor(socket: WebSocket, info: ElevenLabsTestServerConnection, context: SocketSessionContext) {
    this.#socket = socket;
    this.#info = info;
    this.#context = context;
    this.#multi = info.endpoint === 'multi-stream-input';
    this.#authenticated = context.apiKey === undefined || info.apiKeyHeader === context.apiKey;
    socket.on('message', (data, isBinary) => this.#onMessage(isBinary ? '' : data.toString()));
    socket.on('close', (code) => this.#stop(code));
    socket.on('error', () => {});
    if (info.apiKeyHeader !== undefined && !this.#authenticated) {
      this.#fail('Invalid API key', 'invalid_api_key');
      return;
    }
    if (!parseFormat(info.query.output_format)) {
      this.#fail(
        `The test server cannot produce output_format=${info.query.output_format}: use pcm_*, ulaw_8000 or alaw_8000.`,
        'invalid_output_format',
      );
      return;
    }
    this.#armInactivity();
  }

  #onMessage(raw: string): void {
    if (this.#done) return;
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      message = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { raw };
    } catch {
      message = { raw };
    }
    this.#context.log({ connection: this.#info.id, message, at: this.#context.scheduler.now() });
    this.#armInactivity();
    if ('raw' in message) {
      this.#fail('Messages must be JSON objects.', 'invalid_message');
      return;
    }
    if (!this.#authenticated) {
      const key = message.xi_api_key ?? message['xi-api-key'];
      if (key !== this.#context.apiKey) {
        this.#fail('Invalid API key', 'invalid_api_key');
        return;
      }
      this.#authenticated = true;
    }
    const fault = this.#context.faults().errorAfterChunks;
    if (fault && fault.afterChunks === 0) {
      this.#fail(fault.message, fault.error, fault.closeCode);
      return;
    }
    if (this.#multi) this.#onMultiMessage(message);
    else this.#onSingleMessage(message);
  }

  #onSingleMessage(message: Record<string, unknown>): void {
    const text = message.text;
    if (!this.#initialized) {
      if (text !== ' ') {
        this.#fail(
          'The first message must have text " " (and optionally voice_settings).',
          'invalid_first_message',
        );
        return;
      }
      this.#initialized = true;
      this.#single = { buffer: '', generations: 0, started: false, schedule: scheduleOf(message) };
      return;
    }
    if (this.#ended || typeof text !== 'string') return;
    const state = this.#single!;
    if (text === '') {
      this.#ended = true;
      this.#generate(state, undefined);
      this.#enqueue(0, undefined, () => {
        this.#sendJson(this.#spell({ isFinal: true }));
        this.#socket.close(1000);
      });
      return;
    }
    this.#addText(state, text, message.flush === true, undefined);
  }

  #onMultiMessage(message: Record<string, unknown>): void {
    if (message.close_socket === true) {
      this.#done = true;
      this.#socket.close(1000);
      return;
    }
    const id = message.context_id;
    const text = message.text;
    const settings =
      message.voice_settings === undefined ? undefined : JSON.stringify(message.voice_settings);
    if (typeof id !== 'string') {
      if (text === ' ' || text === '') return; // a socket-level keepalive
      this.#fail(
        'Every message must carry a context_id on the multi-stream-input socket.',
        'invalid_message',
      );
      return;
    }
    let context = this.#contexts.get(id);
    if (!context) {
      if (message.close_context === true) return;
      if (this.#contexts.size >= MAX_CONTEXTS) {
        this.#fail(
          `Maximum simultaneous contexts per WebSocket connection exceeded (${MAX_CONTEXTS}). Please close an existing context before opening a new one.`,
          'max_active_conversations',
        );
        return;
      }
      const keepAlive = (text === '' || text === ' ') && settings === undefined && message.flush !== true;
      context = {
        id,
        buffer: '',
        generations: 0,
        started: false,
        schedule: scheduleOf(message),
        settings,
        openedByKeepAlive: keepAlive && text === '',
        closing: false,
        audioSent: 0,
      };
      this.#contexts.set(id, context);
      if (settings !== undefined) {
        if (this.#connectionSettings !== undefined && this.#connectionSettings !== settings) {
          this.#fail(SETTINGS_ERROR, 'invalid_voice_settings');
          return;
        }
        this.#connectionSettings = settings;
      }
      if (!keepAlive && typeof text === 'string' && text.trim())
        this.#addText(context, text, message.flush === true, id);
      return;
    }
    if (settings !== undefined && (context.openedByKeepAlive || context.settings !== settings)) {
      this.#fail(SETTINGS_ERROR, 'invalid_voice_settings');
      return;
    }
    if (context.closing) return;
    if (message.close_context === true) {
      context.closing = true;
      context.buffer = '';
      if (this.#context.faults().earlyCloseDropsAudio && context.audioSent === 0) {
        // The close overtook the start of synthesis: the pending audio is cancelled.
        this.#dropQueued(id);
        this.#sendJson(this.#spell({ isFinal: true, contextId: id }));
        this.#contexts.delete(id);
        return;
      }
      this.#enqueue(0, undefined, () => {
        this.#sendJson(this.#spell({ isFinal: true, contextId: id }));
        this.#contexts.delete(id);
      });
      return;
    }
    if (typeof text === 'string' || message.flush === true) {
      this.#addText(context, typeof text === 'string' ? text : '', message.flush === true, id);
    }
  }

  #addText(state: TextState, text: string, flush: boolean, contextId: string | undefined): void {
    if (text.trim().length > 0) state.buffer += text;
    const autoMode = this.#info.query.auto_mode === 'true';
    const threshold = state.schedule[Math.min(state.generations, state.schedule.length - 1)]!;
    if (flush || autoMode || state.buffer.length >= threshold) this.#generate(state, contextId);
  }

  #generate(state: TextState, contextId: string | undefined): void {
    const text = state.buffer;
    state.buffer = '';
    if (text.trim().length === 0) return;
    state.generations++;
    const chunks = synthesizeSegment(text, {
      outputFormat: this.#info.query.output_format ?? 'pcm_24000',
      msPerCharacter: this.#context.msPerCharacter,
      charactersPerChunk: this.#context.charactersPerChunk,
      toneHz: this.#context.toneHz,
    });
    for (const chunk of chunks) {
      const faults = this.#context.faults();
      const delayMs = state.started ? (faults.chunkDelayMs ?? 0) : (faults.firstChunkDelayMs ?? 0);
      state.started = true;
      this.#enqueue(delayMs, contextId, () => this.#sendAudio(chunk, contextId));
    }
  }

  #sendAudio(chunk: SynthesizedChunk, contextId: string | undefined): void {
    const faults = this.#context.faults();
    const alternate = faults.alternateSpellings === true;
    const alignment = (chars: string[]) => ({
      chars,
      charStartTimesMs: chunk.startsMs,
      [alternate ? 'charsDurationsMs' : 'charDurationsMs']: chunk.durationsMs,
    });
    const message: Record<string, unknown> = {
      audio: bytesToBase64(chunk.audio),
      [alternate ? 'is_final' : 'isFinal']: null,
      normalizedAlignment: alignment(chunk.chars.map((char) => char.toLowerCase())),
      alignment: alignment(chunk.chars),
    };
    if (contextId !== undefined) message[alternate ? 'context_id' : 'contextId'] = contextId;
    this.#sendJson(message);
    this.#audioSent++;
    const context = contextId === undefined ? undefined : this.#contexts.get(contextId);
    if (context) context.audioSent++;
    if (faults.disconnectAfterChunks !== undefined && this.#audioSent >= faults.disconnectAfterChunks) {
      this.#done = true;
      this.#socket.terminate();
    } else if (
      faults.malformedJsonAfterChunks !== undefined &&
      this.#audioSent === faults.malformedJsonAfterChunks
    ) {
      this.#socket.send('{"audio": "AAAA", "isFinal": ');
    } else if (faults.errorAfterChunks && this.#audioSent === faults.errorAfterChunks.afterChunks) {
      const { message: text, error, closeCode } = faults.errorAfterChunks;
      this.#fail(text, error, closeCode);
    }
  }

  #spell(message: Record<string, unknown>): Record<string, unknown> {
    if (!this.#context.faults().alternateSpellings) return message;
    const spelled: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(message)) {
      spelled[key === 'isFinal' ? 'is_final' : key === 'contextId' ? 'context_id' : key] = value;
    }
    return spelled;
  }

  #sendJson(message: Record<string, unknown>): void {
    if (this.#done || this.#socket.readyState !== this.#socket.OPEN) return;
    this.#socket.send(JSON.stringify(message));
    this.#armInactivity();
  }

  /** Sends an error body and closes with 1008 (or `closeCode`). */
  #fail(message: string, error: string, closeCode = 1008): void {
    if (this.#done) return;
    this.#socket.send(JSON.stringify({ message, error, code: closeCode }));
    this.#done = true;
    this.#socket.close(closeCode, error.slice(0, 100));
    this.#stopTimers();
  }

  #enqueue(delayMs: number, contextId: string | undefined, run: () => void): void {
    this.#queue.push({ delayMs, run, contextId });
    if (!this.#pumping && this.#queue.length === 1) this.#pump();
  }

  /** Removes a context's queued messages (restarting the pump if the head was one of them). */
  #dropQueued(contextId: string): void {
    const headDropped = this.#queue[0]?.contextId === contextId;
    const kept = this.#queue.filter((entry) => entry.contextId !== contextId);
    this.#queue.length = 0;
    this.#queue.push(...kept);
    if (headDropped) {
      this.#pumping?.unsubscribe();
      this.#pumping = undefined;
      this.#pump();
    }
  }

  #pump(): void {
    const next = this.#queue[0];
    if (!next || this.#done) return;
    const fire = (): void => {
      this.#pumping = undefined;
      this.#queue.shift();
      if (this.#done) return;
      next.run();
      this.#pump();
    };
    if (next.delayMs > 0) this.#pumping = this.#context.scheduler.schedule(fire, next.delayMs);
    else fire();
  }

  #armInactivity(): void {
    this.#inactivity?.unsubscribe();
    this.#inactivity = undefined;
    if (this.#done || this.#ended) return;
    const timeoutMs =
      this.#context.faults().inputTimeoutMs ?? Number(this.#info.query.inactivity_timeout ?? 20) * 1000;
    this.#inactivity = this.#context.scheduler.schedule(() => {
      this.#inactivity = undefined;
      if (this.#queue.length > 0) {
        this.#armInactivity();
        return;
      }
      this.#fail(
        `Have not received new text for ${timeoutMs / 1000} seconds. Closing the connection.`,
        'input_timeout_exceeded',
      );
    }, timeoutMs);
  }

  #stopTimers(): void {
    this.#pumping?.unsubscribe();
    this.#pumping = undefined;
    this.#inactivity?.unsubscribe();
    this.#inactivity = undefined;
    this.#queue.length = 0;
  }

  #stop(code: number): void {
    this.#done = true;
    this.#info.open = false;
    this.#info.closeCode = code;
    this.#stopTimers();
  }
}

function parseFormat(format: string | undefined): boolean {
  return (
    format === undefined || /^(pcm_(8000|16000|22050|24000|44100|48000)|ulaw_8000|alaw_8000)$/.test(format)
  );
}

function scheduleOf(message: Record<string, unknown>): number[] {
  const config = message.generation_config as { chunk_length_schedule?: unknown } | undefined;
  const schedule = config?.chunk_length_schedule;
  return Array.isArray(schedule) && schedule.length > 0 && schedule.every((n) => typeof n === 'number')
    ? schedule
    : [120, 160, 250, 290];
}
