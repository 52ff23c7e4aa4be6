import {
  AuthenticationError,
  BadRequestError,
  NetworkError,
  ProtocolError,
  type ProviderError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@argentum/core';

/** The provider name stamped on every error this package emits. @internal */
export const PROVIDER = 'elevenlabs';

/**
 * An error body as ElevenLabs sends it: on the WebSocket `{message, error, code}`; over HTTP
 * `{detail: {status, message}}` or `{detail: "…"}`. Every field is optional: vendors vary.
 * @internal
 */
export interface ElevenLabsErrorBody {
  /** Human-readable text. */
  message?: string;
  /** Machine-readable kind, e.g. `input_timeout_exceeded`, `max_active_conversations`. */
  error?: string;
  /** A numeric code (usually the close code, 1008). */
  code?: number;
}

const AUTHENTICATION_ERRORS = new Set([
  'invalid_api_key',
  'auth_error',
  'authentication_error',
  'unauthorized',
  'missing_api_key',
  'invalid_authorization',
]);

const RATE_LIMIT_ERRORS = new Set([
  'max_active_conversations',
  'too_many_concurrent_requests',
  'rate_limit_exceeded',
  'system_busy',
]);

/**
 * Reads an ElevenLabs error body out of any parsed JSON value, accepting the WebSocket shape
 * (`{message, error, code}`, also `error_type`) and the HTTP shape (`{detail: {status, message}}`).
 * Returns `undefined` when the value carries no error.
 * @internal
 */
export function readErrorBody(value: unknown): ElevenLabsErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const detail = record.detail;
  if (typeof detail === 'string') return { message: detail };
  if (typeof detail === 'object' && detail !== null) {
    const inner = detail as Record<string, unknown>;
    return {
      message: typeof inner.message === 'string' ? inner.message : undefined,
      error: typeof inner.status === 'string' ? inner.status : undefined,
    };
  }
  if (typeof record.error === 'object' && record.error !== null) return readErrorBody(record.error);
  const error =
    typeof record.error === 'string'
      ? record.error
      : typeof record.error_type === 'string'
        ? record.error_type
        : undefined;
  // A message without an error kind counts only when the object carries nothing else of note.
  if (error === undefined && (typeof record.message !== 'string' || 'audio' in record)) return undefined;
  return {
    message: typeof record.message === 'string' ? record.message : undefined,
    error,
    code: typeof record.code === 'number' ? record.code : undefined,
  };
}

function describe(body: ElevenLabsErrorBody | undefined, fallback: string): string {
  const text = body?.message ?? fallback;
  return body?.error ? `${text} (${body.error})` : text;
}

/**
 * Maps an error body received on the WebSocket (before its close) to a typed provider error.
 * @internal
 */
export function errorFromBody(body: ElevenLabsErrorBody, status = body.code ?? 1008): ProviderError {
  const kind = body.error ?? '';
  const init = { provider: PROVIDER, status };
  if (kind === 'input_timeout_exceeded') {
    return new TimeoutError({
      ...init,
      message: `${describe(body, 'no input within the inactivity timeout')}: the server closed the socket; send text or keepalives sooner, or raise inactivityTimeoutSeconds.`,
    });
  }
  if (AUTHENTICATION_ERRORS.has(kind) || /api.?key|unauthori[sz]ed|authenticat/i.test(body.message ?? '')) {
    return new AuthenticationError({
      ...init,
      message: `${describe(body, 'authentication failed')}: check the API key (ELEVENLABS_API_KEY).`,
    });
  }
  if (kind === 'quota_exceeded') {
    return new RateLimitError({
      ...init,
      retryable: false,
      message: `${describe(body, 'quota exceeded')}: the account's character quota is used up.`,
    });
  }
  if (RATE_LIMIT_ERRORS.has(kind)) {
    return new RateLimitError({
      ...init,
      message: `${describe(body, 'too many concurrent requests')}: close contexts or requests before opening new ones.`,
    });
  }
  if (status === 1011 || (status >= 500 && status < 600)) {
    return new ServerError({ ...init, message: describe(body, 'internal server error') });
  }
  return new BadRequestError({ ...init, message: describe(body, 'the server rejected a message') });
}

/**
 * Maps a WebSocket close to a typed provider error. Only 1000 is a normal close; `body` is the
 * error message the server sent just before closing, when it sent one.
 * @internal
 */
export function errorFromClose(code: number, reason: string, body?: ElevenLabsErrorBody): ProviderError {
  if (body) return errorFromBody(body, code);
  const suffix = reason ? `: ${reason}` : '';
  const init = { provider: PROVIDER, status: code };
  if (code === 1008) {
    if (/input.?timeout/i.test(reason))
      return errorFromBody({ error: 'input_timeout_exceeded', message: reason }, code);
    if (/max.?active/i.test(reason))
      return errorFromBody({ error: 'max_active_conversations', message: reason }, code);
    if (/api.?key|auth/i.test(reason)) return errorFromBody({ error: 'auth_error', message: reason }, code);
    return new BadRequestError({ ...init, message: `policy violation (close 1008)${suffix}` });
  }
  if (code === 1000) {
    return new ProtocolError({
      ...init,
      message: `the server closed the socket (1000) before the final message${suffix}.`,
    });
  }
  if (code === 1011 || code === 1012 || code === 1013 || code === 1014) {
    return new ServerError({ ...init, message: `server error (close ${code})${suffix}; retry later.` });
  }
  if (code === 1002 || code === 1003 || code === 1007 || code === 1009) {
    return new ProtocolError({ ...init, message: `protocol error (close ${code})${suffix}.` });
  }
  return new NetworkError({
    ...init,
    message: `the connection dropped (close ${code})${suffix}; a new utterance reconnects.`,
  });
}

/**
 * Parses a `retry-after` header: seconds, or an HTTP date measured against the response's own
 * `date` header (never the local clock).
 * @internal
 */
export function parseRetryAfterMs(
  retryAfter: string | null | undefined,
  date?: string | null,
): number | undefined {
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const until = Date.parse(retryAfter);
  const reference = date ? Date.parse(date) : Number.NaN;
  if (Number.isFinite(until) && Number.isFinite(reference)) return Math.max(0, until - reference);
  return undefined;
}

/**
 * Maps an HTTP status (of a request or a refused WebSocket upgrade) and its body to a typed error.
 * @internal
 */
export function errorFromHttpStatus(
  status: number,
  body: unknown,
  headers?: { get(name: string): string | null },
): ProviderError {
  const parsed = readErrorBody(body) ?? (typeof body === 'string' && body ? { message: body } : undefined);
  const init = { provider: PROVIDER, status };
  const text = describe(parsed, `HTTP ${status}`);
  if (status === 401 || status === 403) {
    return new AuthenticationError({ ...init, message: `${text}: check the API key (ELEVENLABS_API_KEY).` });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headers?.get('retry-after'), headers?.get('date'));
    return new RateLimitError({
      ...init,
      retryAfterMs,
      message: `${text}: rate limited${retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`}.`,
    });
  }
  if (status === 408) return new TimeoutError({ ...init, message: `${text}: the server timed out.` });
  if (status >= 500) return new ServerError({ ...init, message: `${text}: server error; retry later.` });
  return new BadRequestError({ ...init, message: `${text}: the request was rejected.` });
}
