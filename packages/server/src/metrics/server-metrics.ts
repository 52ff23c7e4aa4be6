import type { TurnMetrics } from '@argentum/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerEvent } from '../server/server-events';

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 2, 3, 5, 10];
/** Timer lateness: a healthy process stays in the first buckets; 0.2 s is the audio sent ahead by default. */
const LATENESS_BUCKETS_SECONDS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];

const TURN_HISTOGRAMS: readonly [keyof TurnMetrics, string, string][] = [
  ['endOfUtteranceDelayMs', 'end_of_utterance_delay_seconds', 'User stopped speaking → turn committed.'],
  ['sttFinalLatencyMs', 'stt_final_latency_seconds', 'End of speech detected → final transcript.'],
  ['llmTimeToFirstTokenMs', 'llm_time_to_first_token_seconds', 'Agent asked → first text delta.'],
  ['ttsTimeToFirstByteMs', 'tts_time_to_first_byte_seconds', 'First text delta → first synthesized audio.'],
  ['endToEndMs', 'end_to_end_seconds', 'User stopped speaking → agent audio started (voice-to-voice).'],
  ['pauseLatencyMs', 'barge_in_pause_latency_seconds', 'User speech onset → agent output paused.'],
  ['tailMs', 'barge_in_tail_seconds', 'Interruption confirmed → last agent audio sent.'],
];

/**
 * The server's Prometheus metrics, in a registry of its own (not prom-client's global one), all
 * prefixed `argentum_`: active and total conversations, rejected upgrades by reason, protocol
 * errors by type, dropped messages by type, turns and interruptions, and histograms (seconds) of
 * every per-turn latency: end-of-utterance delay, STT final, LLM time to first token, TTS time to
 * first byte, end-to-end, barge-in pause latency and tail — and how late the server's timed work
 * (paced audio, timeouts, pings) started, when the server runs on its default scheduler. Serve them
 * with the server's `metricsPath` option or merge `registry` into yours.
 *
 * @example
 * ```ts
 * const server = createVoiceAgentServer({ agents, metricsPath: '/metrics' });
 * console.log(await server.metrics.registry.metrics());
 * ```
 */
export class ServerMetrics {
  /** The prom-client registry holding every metric. */
  readonly registry = new Registry();
  readonly #active: Gauge;
  readonly #conversations: Counter;
  readonly #rejections: Counter<'reason'>;
  readonly #protocolErrors: Counter<'error_type'>;
  readonly #dropped: Counter<'message_type'>;
  readonly #turns: Counter<'agent'>;
  readonly #interruptions: Counter<'agent'>;
  readonly #stageErrors: Counter<'stage'>;
  readonly #histograms = new Map<keyof TurnMetrics, Histogram>();
  readonly #timerLateness: Histogram;

  constructor() {
    const registers = [this.registry];
    this.#active = new Gauge({
      name: 'argentum_conversations_active',
      help: 'Open conversations.',
      registers,
    });
    this.#conversations = new Counter({
      name: 'argentum_conversations_total',
      help: 'Conversations started.',
      registers,
    });
    this.#rejections = new Counter({
      name: 'argentum_connection_rejections_total',
      help: 'Refused WebSocket upgrades.',
      labelNames: ['reason'],
      registers,
    });
    this.#protocolErrors = new Counter({
      name: 'argentum_protocol_errors_total',
      help: 'Invalid client messages.',
      labelNames: ['error_type'],
      registers,
    });
    this.#dropped = new Counter({
      name: 'argentum_messages_dropped_total',
      help: 'Server messages dropped for slow clients.',
      labelNames: ['message_type'],
      registers,
    });
    this.#turns = new Counter({
      name: 'argentum_turns_total',
      help: 'Agent replies finished or interrupted.',
      labelNames: ['agent'],
      registers,
    });
    this.#interruptions = new Counter({
      name: 'argentum_interruptions_total',
      help: 'Replies the user cut off.',
      labelNames: ['agent'],
      registers,
    });
    this.#stageErrors = new Counter({
      name: 'argentum_stage_errors_total',
      help: 'Failed pipeline stages (stt, route, agent, tts, context, tool).',
      labelNames: ['stage'],
      registers,
    });
    for (const [field, name, help] of TURN_HISTOGRAMS) {
      this.#histograms.set(
        field,
        new Histogram({ name: `argentum_${name}`, help, buckets: LATENCY_BUCKETS_SECONDS, registers }),
      );
    }
    this.#timerLateness = new Histogram({
      name: 'argentum_timer_lateness_seconds',
      help: "How late the server's timed work (paced audio, timeouts, pings) started against its due time.",
      buckets: LATENESS_BUCKETS_SECONDS,
      registers,
    });
  }

  /**
   * Records how late one delayed action of the server's timed work started. The server calls it
   * from its default scheduler (`createRealtimeScheduler`'s `onRun`); with a scheduler of your own,
   * call it from yours.
   * @param lateMs - now − the time the action was due, ms.
   * @example
   * ```ts
   * const scheduler = createRealtimeScheduler({ onRun: (lateMs) => metrics.observeTimerLateness(lateMs) });
   * ```
   */
  observeTimerLateness(lateMs: number): void {
    this.#timerLateness.observe(lateMs / 1000);
  }

  /**
   * Sets the open-conversation gauge.
   * @param count - open conversations.
   * @example
   * ```ts
   * metrics.setActive(3);
   * ```
   */
  setActive(count: number): void {
    this.#active.set(count);
  }

  /**
   * Counts and times what a server event reports.
   * @param event - any server event.
   * @example
   * ```ts
   * server.events.subscribe((event) => otherMetrics.observe(event));
   * ```
   */
  observe(event: ServerEvent): void {
    switch (event.type) {
      case 'conversation-start':
        this.#conversations.inc();
        return;
      case 'connection-rejected':
        this.#rejections.inc({ reason: event.reason });
        return;
      case 'protocol-error':
        this.#protocolErrors.inc({ error_type: event.errorType });
        return;
      case 'message-dropped':
        this.#dropped.inc({ message_type: event.messageType });
        return;
      case 'session-event': {
        const inner = event.event;
        if (inner.type === 'error') this.#stageErrors.inc({ stage: inner.stage });
        if (inner.type !== 'turn-metrics') return;
        const turn = inner.metrics;
        const agent = turn.agent ?? 'unknown';
        this.#turns.inc({ agent });
        if (turn.interrupted) this.#interruptions.inc({ agent });
        for (const [field, histogram] of this.#histograms) {
          const value = turn[field];
          if (typeof value === 'number' && Number.isFinite(value))
            histogram.observe(Math.max(0, value) / 1000);
        }
        return;
      }
      default:
        return;
    }
  }
}
