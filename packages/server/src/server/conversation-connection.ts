import type { Socket } from 'node:net';
import {
  isRealtimeScheduler,
  type SampleRate,
  type VoiceAgentEvent,
  type VoiceAgentSession,
} from '@argentum/core';
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import {
  type AgentAudioFormat,
  audioFormatSampleRate,
  decodeUserAudio,
  userAudioSamples,
} from '../protocol/audio-format';
import type { ClientMessage, InitiationClientDataMessage } from '../protocol/client-messages';
import { parseClientMessage } from '../protocol/parse-client-message';
import { ProtocolMessageError } from '../protocol/protocol-message-error';
import { serializeServerMessage } from '../protocol/serialize-server-message';
import { DROPPABLE_MESSAGE_TYPES, type ServerMessage } from '../protocol/server-messages';
import { readUserAudioChunkFrame } from '../protocol/user-audio-chunk-frame';
import { RateLimiter } from '../security/rate-limiter';
import type { ServerAgent } from './server-agent';
import type { ServerEvent } from './server-events';
import { UserAudioFramer } from './user-audio-framer';
import { WireEventMapper } from './wire-event-mapper';
import { reuseReceiverFragments } from './ws-fragments-reuse';

/** Limits and timings of one connection (resolved server options). @internal */
export interface ConnectionSettings {
  scheduler: SchedulerLike;
  maxTextLength: number;
  maxAudioBase64Length: number;
  messagesPerSecond: number;
  messageBurst: number;
  maxBadMessages: number;
  idleTimeoutMs: number;
  initiationTimeoutMs: number;
  pingIntervalMs: number;
  maxBufferedBytes: number;
  slowClientTimeoutMs: number;
}

type Phase = 'awaiting-initiation' | 'active' | 'draining' | 'closed';

const MAX_OUTSTANDING_PINGS = 16;
/** Session events sent many times a second: reported only while someone watches the server's events. */
const HIGH_RATE_EVENT_TYPES: ReadonlySet<VoiceAgentEvent['type']> = new Set(['agent-audio', 'vad-score']);
const SESSION_START_DELAY_MS = 20;

/**
 * One client WebSocket speaking the ElevenLabs Agents protocol, bridged to a
 * `VoiceAgentSession`: it runs the handshake, decodes and validates every message, answers
 * bad ones with `error` events (closing with 1008 after `maxBadMessages`), rate-limits, pings,
 * times out idle clients, assigns event ids and applies the send-buffer drop policy.
 * @internal
 */
export class ConversationConnection {
  readonly conversationId: string;
  readonly correlationId: string;
  readonly agentId: string;
  #phase: Phase = 'awaiting-initiation';
  readonly #socket: WebSocket;
  readonly #agent: ServerAgent;
  readonly #settings: ConnectionSettings;
  readonly #report: (event: ServerEvent) => void;
  readonly #watched: () => boolean;
  readonly #onClosed: (connection: ConversationConnection) => void;
  readonly #limiter: RateLimiter;
  readonly #inputFormat: AgentAudioFormat;
  readonly #outputFormat: AgentAudioFormat;
  readonly #inputRate: SampleRate;
  readonly #framer: UserAudioFramer;
  readonly #wire: WireEventMapper;
  #session: VoiceAgentSession | undefined;
  #sessionSubscription: Subscription | undefined;
  readonly #timers: Subscription[] = [];
  #idleTimer: Subscription | undefined;
  #lastMessageAt = 0;
  #pingTimer: Subscription | undefined;
  #badMessages = 0;
  #pingId = 0;
  readonly #pings = new Map<number, number>();
  #lastPingMs: number | null = null;
  #slowSince: number | undefined;
  #held: ServerMessage[] | undefined;
  /** The TCP socket under the WebSocket, when there is one (`ws` keeps it as `_socket`). */
  readonly #tcp: Socket | undefined;
  #corked = false;
  #drainResolve: (() => void) | undefined;
  readonly #drained: (() => void)[] = [];
  /** Counters for tests and metrics. */
  readonly counters = { dropped: 0, badMessages: 0, audioChunks: 0 };

  constructor(init: {
    socket: WebSocket;
    conversationId: string;
    /** The id on the session's spans and provider calls. Default: the conversation id. */
    correlationId?: string;
    agentId: string;
    agent: ServerAgent;
    settings: ConnectionSettings;
    report: (event: ServerEvent) => void;
    /**
     * Whether anyone watches the reported events beyond metrics and logs (which ignore audio and
     * VAD scores); while not, high-rate session events are not reported. Default: always.
     */
    watched?: () => boolean;
    onClosed: (connection: ConversationConnection) => void;
  }) {
    this.#socket = init.socket;
    const tcp = (init.socket as unknown as { _socket?: unknown })._socket;
    this.#tcp = tcp !== null && typeof tcp === 'object' && 'cork' in tcp ? (tcp as Socket) : undefined;
    this.conversationId = init.conversationId;
    this.correlationId = init.correlationId ?? init.conversationId;
    this.agentId = init.agentId;
    this.#agent = init.agent;
    this.#settings = init.settings;
    this.#report = init.report;
    this.#watched = init.watched ?? (() => true);
    this.#onClosed = init.onClosed;
    this.#inputFormat = init.agent.inputFormat ?? 'pcm_16000';
    this.#outputFormat = init.agent.outputFormat ?? 'pcm_16000';
    this.#inputRate = audioFormatSampleRate(this.#inputFormat);
    this.#framer = new UserAudioFramer(this.#inputRate);
    this.#wire = new WireEventMapper(this.#outputFormat);
    const scheduler = this.#settings.scheduler;
    this.#limiter = new RateLimiter(
      this.#settings.messagesPerSecond,
      this.#settings.messageBurst,
      scheduler.now(),
    );
    const afterMessage = reuseReceiverFragments(this.#socket);
    // Timed work that fell due while a message was handled (other conversations' paced audio, say)
    // runs right after it, not after the rest of the event loop's turn of socket reads.
    const dueWork = isRealtimeScheduler(scheduler) ? scheduler : undefined;
    this.#socket.on('message', (data, isBinary) => {
      this.#onMessage(data as Buffer | ArrayBuffer | Buffer[], isBinary);
      afterMessage?.();
      dueWork?.runDue();
    });
    this.#socket.on('close', (code, reason) => this.#finish(code, reason.toString()));
    this.#socket.on('error', () => this.close(1011, 'socket error'));
    this.#timers.push(
      scheduler.schedule(() => {
        if (this.#phase === 'awaiting-initiation') {
          this.#protocolError(
            new ProtocolMessageError(
              'handshake',
              `no conversation_initiation_client_data within ${this.#settings.initiationTimeoutMs} ms`,
            ),
            false,
          );
          this.close(1008, 'conversation_initiation_client_data not received in time');
        }
      }, this.#settings.initiationTimeoutMs),
    );
    this.#touch();
  }

  /** The session's state, or the handshake phase. */
  get busy(): boolean {
    const state = this.#session?.state;
    return state === 'thinking' || state === 'speaking' || state === 'barged-in';
  }

  /** Waits until the current reply has finished (or `timeoutMs`), then closes with 1001. */
  drain(timeoutMs: number): Promise<void> {
    if (this.#phase === 'closed') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.close(1001, 'server shutting down');
        resolve();
      };
      this.#drained.push(resolve);
      if (this.#phase !== 'active' || !this.busy) {
        done();
        return;
      }
      this.#phase = 'draining';
      this.#drainResolve = done;
      this.#timers.push(this.#settings.scheduler.schedule(done, timeoutMs));
    });
  }

  /** Closes the socket and the session. */
  close(code: number, reason: string): void {
    if (this.#phase === 'closed') return;
    const socket = this.#socket;
    this.#releaseHeld();
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
      socket.close(code, reason);
    this.#finish(code, reason);
  }

  #finish(code: number, reason: string): void {
    if (this.#phase === 'closed') return;
    const wasActive = this.#session !== undefined;
    this.#phase = 'closed';
    for (const timer of this.#timers) timer.unsubscribe();
    this.#idleTimer?.unsubscribe();
    this.#pingTimer?.unsubscribe();
    this.#sessionSubscription?.unsubscribe();
    this.#session?.close();
    if (wasActive) {
      this.#report({
        type: 'conversation-end',
        conversationId: this.conversationId,
        agentId: this.agentId,
        code,
        reason,
        at: this.#settings.scheduler.now(),
      });
    }
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.terminate();
    this.#onClosed(this);
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  // ── incoming ───────────────────────────────────────────────────────────────────────────────

  #onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.#phase === 'closed') return;
    try {
      this.#touch();
      const now = this.#settings.scheduler.now();
      if (!this.#limiter.take(now)) {
        // Dropped unread; answered like any bad message (so a flood ends in a 1008 close).
        this.#reject(
          new ProtocolMessageError(
            'rate_limited',
            `more than ${this.#settings.messagesPerSecond} messages per second; this message was dropped.`,
          ),
        );
        return;
      }
      if (isBinary) {
        this.#reject(
          new ProtocolMessageError(
            'invalid_message',
            'binary frames are not accepted; send JSON text frames.',
          ),
        );
        return;
      }
      const session = this.#session;
      if (session !== undefined && Buffer.isBuffer(data)) {
        const bytes = readUserAudioChunkFrame(data, this.#settings.maxAudioBase64Length);
        if (bytes !== undefined) {
          this.#onAudio(bytes, session);
          return;
        }
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(data).toString('utf8');
      const result = parseClientMessage(text, {
        maxTextLength: this.#settings.maxTextLength,
        maxAudioBase64Length: this.#settings.maxAudioBase64Length,
      });
      if (!result.ok) {
        this.#reject(result.error);
        return;
      }
      this.#dispatch(result.message);
    } catch {
      // A bug must cost this conversation at most, never the process or other sessions.
      this.close(1011, 'internal error');
    }
  }

  #dispatch(message: ClientMessage): void {
    if (this.#phase === 'awaiting-initiation') {
      if (message.type !== 'conversation_initiation_client_data') {
        this.#protocolError(
          new ProtocolMessageError(
            'handshake',
            `"${message.type}" before conversation_initiation_client_data`,
          ),
          false,
        );
        this.close(1008, 'send conversation_initiation_client_data first');
        return;
      }
      this.#initiate(message);
      return;
    }
    const session = this.#session;
    if (session === undefined) return;
    switch (message.type) {
      case 'conversation_initiation_client_data':
        this.#reject(
          new ProtocolMessageError('handshake', 'conversation_initiation_client_data was already received.'),
        );
        return;
      case 'user_audio_chunk':
        this.#onAudio(message.audioBase64, session);
        return;
      case 'pong': {
        const sentAt = this.#pings.get(message.eventId);
        if (sentAt !== undefined) {
          this.#pings.delete(message.eventId);
          this.#lastPingMs = Math.max(0, Math.round(this.#settings.scheduler.now() - sentAt));
        }
        return;
      }
      case 'user_message':
        session.sendUserMessage(message.text);
        return;
      case 'contextual_update':
        session.addContextualUpdate(message.text);
        return;
      case 'user_activity':
      case 'feedback':
        return;
      case 'client_tool_result':
        if (!session.resolveToolCall(message.toolCallId, message.result, message.isError)) {
          this.#reject(
            new ProtocolMessageError(
              'invalid_message',
              `client_tool_result for unknown or already answered tool_call_id "${message.toolCallId.slice(0, 64)}".`,
            ),
          );
        }
        return;
    }
  }

  #initiate(message: InitiationClientDataMessage): void {
    const allowed = this.#agent.allowOverrides ?? {};
    const requested = message.overrides;
    const overrides: InitiationClientDataMessage['overrides'] = {};
    if (requested.prompt !== undefined && allowed.prompt !== false) overrides.prompt = requested.prompt;
    if (requested.firstMessage !== undefined && allowed.firstMessage !== false) {
      overrides.firstMessage = requested.firstMessage;
    }
    if (requested.language !== undefined && allowed.language !== false)
      overrides.language = requested.language;
    if (requested.voiceId !== undefined && allowed.voice !== false) overrides.voiceId = requested.voiceId;
    const scheduler = this.#settings.scheduler;
    let session: VoiceAgentSession;
    try {
      session = this.#agent.createSession({
        conversationId: this.conversationId,
        correlationId: this.correlationId,
        agentId: this.agentId,
        overrides,
        dynamicVariables: message.dynamicVariables,
        inputSampleRate: this.#inputRate,
        outputSampleRate: audioFormatSampleRate(this.#outputFormat),
        textOnly: requested.textOnly === true,
        scheduler,
      });
    } catch {
      this.close(1011, 'the agent could not start a session');
      return;
    }
    this.#session = session;
    this.#phase = 'active';
    this.#send({
      type: 'conversation_initiation_metadata',
      conversation_initiation_metadata_event: {
        conversation_id: this.conversationId,
        agent_output_audio_format: this.#outputFormat,
        user_input_audio_format: this.#inputFormat,
      },
    });
    this.#report({
      type: 'conversation-start',
      conversationId: this.conversationId,
      correlationId: this.correlationId,
      agentId: this.agentId,
      at: scheduler.now(),
    });
    this.#sessionSubscription = session.events.subscribe((event) => this.#onSessionEvent(event));
    // The official client attaches its message listener only after it has handled the metadata; a
    // message arriving in the same read would be lost, so the session's first messages wait a moment.
    this.#held = [];
    this.#timers.push(scheduler.schedule(() => this.#releaseHeld(), SESSION_START_DELAY_MS));
    session.start();
    this.#schedulePing();
  }

  /** Schedules the first ping; each ping's work reschedules its own action for the next. */
  #schedulePing(): void {
    this.#pingTimer = this.#settings.scheduler.schedule(
      ConversationConnection.#pingTick,
      this.#settings.pingIntervalMs,
      this,
    );
  }

  /**
   * The ping timer's work: it reschedules its own action, so a connection's pings allocate no
   * timer each (one would live the 2 s to the next ping, long enough to be promoted to the old
   * generation).
   */
  static readonly #pingTick = function (
    this: SchedulerAction<ConversationConnection>,
    connection?: ConversationConnection,
  ): void {
    if (connection === undefined || connection.#phase === 'closed') return;
    connection.#ping();
    const next = this.schedule(connection, connection.#settings.pingIntervalMs);
    if (next !== this) {
      // A virtual clock hands the work a new action chained to this one: keep that one as the
      // timer and let this one go, or the chain would grow by a ping every interval.
      this.remove(next);
      connection.#pingTimer = next;
    }
  };

  /** A `user_audio_chunk`: its base64 text, or its bytes already decoded by the fast path. */
  #onAudio(payload: string | Uint8Array, session: VoiceAgentSession): void {
    let samples: Int16Array;
    try {
      samples =
        typeof payload === 'string'
          ? decodeUserAudio(payload, this.#inputFormat)
          : userAudioSamples(payload, this.#inputFormat);
    } catch (error) {
      if (ProtocolMessageError.isInstance(error)) this.#reject(error);
      return;
    }
    this.counters.audioChunks++;
    for (const frame of this.#framer.push(samples, this.#settings.scheduler.now())) session.pushAudio(frame);
  }

  #releaseHeld(): void {
    const held = this.#held;
    this.#held = undefined;
    for (const message of held ?? []) this.#send(message);
  }

  #reject(error: ProtocolMessageError): void {
    if (this.#phase === 'awaiting-initiation') {
      this.#protocolError(
        new ProtocolMessageError(
          'handshake',
          `${error.errorType} before conversation_initiation_client_data`,
        ),
        false,
      );
      this.close(1008, 'send conversation_initiation_client_data first');
      return;
    }
    this.#badMessages++;
    this.counters.badMessages++;
    this.#protocolError(error, true);
    this.#checkAbuse();
  }

  #checkAbuse(): void {
    if (this.#badMessages > this.#settings.maxBadMessages && this.#phase !== 'closed') {
      this.close(1008, 'too many invalid messages');
    }
  }

  #protocolError(error: ProtocolMessageError, notifyClient: boolean): void {
    this.#report({
      type: 'protocol-error',
      conversationId: this.conversationId,
      errorType: error.errorType,
      message: error.message,
      at: this.#settings.scheduler.now(),
    });
    if (notifyClient && this.#phase !== 'awaiting-initiation') {
      this.#send({
        type: 'error',
        error_event: { code: 1008, message: error.message, error_type: error.errorType },
      });
    }
  }

  /**
   * Notes client activity. The idle timer is not re-armed per message (a timer per audio chunk is
   * garbage at thousands of messages a second): it fires at the deadline it was set for and
   * re-arms itself for the rest of the time when a message came since.
   */
  #touch(): void {
    this.#lastMessageAt = this.#settings.scheduler.now();
    if (this.#idleTimer === undefined) this.#armIdleTimer(this.#settings.idleTimeoutMs);
  }

  #armIdleTimer(delayMs: number): void {
    if (this.#phase === 'closed') return;
    this.#idleTimer = this.#settings.scheduler.schedule(() => {
      this.#idleTimer = undefined;
      const idleMs = this.#settings.scheduler.now() - this.#lastMessageAt;
      const remainingMs = this.#settings.idleTimeoutMs - idleMs;
      // Under a millisecond left counts as expired (no re-arm for a floating-point sliver).
      if (remainingMs < 1) this.close(1002, `no client message for ${this.#settings.idleTimeoutMs} ms`);
      else this.#armIdleTimer(remainingMs);
    }, delayMs);
  }

  #ping(): void {
    if (this.#pings.size >= MAX_OUTSTANDING_PINGS) {
      const oldest = this.#pings.keys().next().value;
      if (oldest !== undefined) this.#pings.delete(oldest);
    }
    const eventId = ++this.#pingId;
    this.#pings.set(eventId, this.#settings.scheduler.now());
    this.#send({ type: 'ping', ping_event: { event_id: eventId, ping_ms: this.#lastPingMs } });
  }

  // ── outgoing ───────────────────────────────────────────────────────────────────────────────

  #onSessionEvent(event: VoiceAgentEvent): void {
    if (!HIGH_RATE_EVENT_TYPES.has(event.type) || this.#watched()) {
      this.#report({
        type: 'session-event',
        conversationId: this.conversationId,
        agentId: this.agentId,
        event,
        at: event.at,
      });
    }
    if (event.type === 'state' && this.#phase === 'draining' && event.state === 'listening')
      this.#drainResolve?.();
    for (const message of this.#wire.toMessages(event)) this.#send(message);
  }

  /**
   * Sends one message under the drop policy: above half of `maxBufferedBytes` queued, droppable
   * messages (`vad_score`, `ping`, tentative transcripts) are dropped; above `maxBufferedBytes`,
   * `audio` is dropped too; control messages are always sent. A client that stays above the limit
   * for `slowClientTimeoutMs` is closed with 1008.
   */
  #send(message: ServerMessage): void {
    const socket = this.#socket;
    if (socket.readyState !== socket.OPEN) return;
    if (this.#held !== undefined) {
      this.#held.push(message);
      return;
    }
    const buffered = socket.bufferedAmount;
    const limit = this.#settings.maxBufferedBytes;
    const now = this.#settings.scheduler.now();
    if (buffered > limit) {
      this.#slowSince ??= now;
      if (now - this.#slowSince > this.#settings.slowClientTimeoutMs) {
        this.close(1008, 'client too slow to receive');
        return;
      }
    } else {
      this.#slowSince = undefined;
    }
    const droppable =
      (buffered > limit / 2 && DROPPABLE_MESSAGE_TYPES.has(message.type)) ||
      (buffered > limit && message.type === 'audio');
    if (droppable) {
      this.counters.dropped++;
      this.#report({
        type: 'message-dropped',
        conversationId: this.conversationId,
        messageType: message.type,
        bufferedBytes: buffered,
        at: now,
      });
      return;
    }
    this.#cork();
    socket.send(serializeServerMessage(message));
  }

  /**
   * Holds this socket's writes until the current callback (and its microtasks) has run, so the
   * messages one incoming message or one tick produces (a VAD score, a state change, audio) leave
   * in one `writev` instead of one system call each.
   */
  #cork(): void {
    const tcp = this.#tcp;
    if (tcp === undefined || this.#corked) return;
    this.#corked = true;
    tcp.cork();
    queueMicrotask(() => {
      this.#corked = false;
      tcp.uncork();
    });
  }
}
