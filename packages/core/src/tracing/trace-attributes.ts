/**
 * The span attribute names Argentum sets, in one place so dashboards and tests can refer to them.
 * All live under the `argentum.` namespace.
 *
 * @example
 * ```ts
 * const slowTts = spans.filter((span) => Number(span.attributes[TRACE_ATTRIBUTES.firstEventMs]) > 500);
 * ```
 */
export const TRACE_ATTRIBUTES = {
  /** The id carried from the WebSocket session through every provider call (string). */
  correlationId: 'argentum.correlation_id',
  /** The user turn a span belongs to (integer). */
  turn: 'argentum.turn',
  /** The stage of a stage span: `vad-end`, `stt`, `llm`, `tts`, `playout`, … (string). */
  stage: 'argentum.stage',
  /** Time from the start of a stage (or provider call) to its first event, ms (number). */
  firstEventMs: 'argentum.first_event_ms',
  /** A stage's duration measured on the session's scheduler, ms (number). */
  durationMs: 'argentum.duration_ms',
  /** Events a stage emitted (integer). */
  eventCount: 'argentum.event_count',
  /** Whether a stage was cancelled (unsubscribed) before it finished (boolean). */
  cancelled: 'argentum.cancelled',
  /** A provider pool member's id (string). */
  provider: 'argentum.provider',
  /** A provider pool request's id, `request-N` (string). */
  requestId: 'argentum.pool.request_id',
  /** 1 for a pool request's first provider, 2 for its first fallback, … (integer). */
  attempt: 'argentum.pool.attempt',
  /** Whether a pool attempt was a half-open circuit probe (boolean). */
  probe: 'argentum.pool.probe',
  /** How a pool attempt ended: `served`, `failed`, `timeout`, `load-failed`, `cancelled` (string). */
  outcome: 'argentum.pool.outcome',
} as const;
