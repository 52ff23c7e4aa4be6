import {
  AuthenticationError,
  BadRequestError,
  NetworkError,
  ProtocolError,
  ProviderError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '@argentum/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

/**
 * The provider name recorded on errors and models of this package.
 *
 * @example
 * ```ts
 * if (ProviderError.isInstance(error) && error.provider === OPENAI_PROVIDER_NAME) console.warn('OpenAI failed');
 * ```
 */
export const OPENAI_PROVIDER_NAME = 'openai';

/** Node and undici error codes that mean the connection failed or dropped. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Reads how long the server asked the client to wait, in ms, from `retry-after-ms` (OpenAI's
 * millisecond header) or `retry-after` (seconds, or an HTTP date — measured against the response's
 * own `date` header so no wall clock is read). Returns `undefined` when neither is usable.
 *
 * @param headers - the response headers.
 * @returns the wait in ms, or `undefined`.
 * @example
 * ```ts
 * parseRetryAfterMs(new Headers({ 'retry-after': '2' })); // 2000
 * parseRetryAfterMs(new Headers({ 'retry-after-ms': '150' })); // 150
 * ```
 */
export function parseRetryAfterMs(headers: Headers | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const until = Date.parse(retryAfter);
  const serverNow = Date.parse(headers.get('date') ?? '');
  if (Number.isNaN(until) || Number.isNaN(serverNow)) return undefined;
  return Math.max(0, until - serverNow);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isNetworkFailure(error: unknown): boolean {
  if (errorCode(error) !== undefined) return true;
  // undici reports a body cut short as `TypeError: terminated` (cause: the socket error).
  return error instanceof TypeError && (error.message === 'terminated' || error.message === 'fetch failed');
}

/** Masks anything that looks like an API key (OpenAI echoes a partly masked key on 401). */
function redact(text: string): string {
  return text.replace(/\b(sk|rk|pk|sess)-[\w*.-]{3,}/g, '$1-***');
}

function describe(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * Maps whatever an OpenAI SDK call threw to one of core's typed `ProviderError`s:
 * HTTP 401/403 → `AuthenticationError`; 429 → `RateLimitError` (with `retryAfterMs` from
 * `retry-after-ms` / `retry-after`; an exhausted quota is not retryable); 408 → `TimeoutError`;
 * other 4xx → `BadRequestError`; 5xx → `ServerError`; connection failures and bodies cut short →
 * `NetworkError`; the SDK's own timeout → `TimeoutError`; malformed JSON in a stream →
 * `ProtocolError`; an error payload inside a stream (`data: {"error":…}`) → by its `type`
 * (rate limit, invalid request, otherwise `ServerError`). A `ProviderError` passes through
 * unchanged. API keys never appear in the messages.
 *
 * @param error - the thrown value.
 * @param provider - the provider name to record; defaults to `openai`.
 * @returns the typed error (its `cause` is the original).
 * @example
 * ```ts
 * try {
 *   await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
 * } catch (error) {
 *   const typed = mapOpenAIError(error);
 *   if (RateLimitError.isInstance(typed)) console.log('wait', typed.retryAfterMs);
 * }
 * ```
 */
export function mapOpenAIError(error: unknown, provider: string = OPENAI_PROVIDER_NAME): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError({
      provider,
      message: 'the request timed out before the server answered; raise timeoutMs or retry.',
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new NetworkError({
      provider,
      message: `could not reach the API (${describe(error.cause ?? error)}); check the network and baseURL.`,
      cause: error,
    });
  }
  if (error instanceof APIError) return mapApiError(error, provider);
  if (error instanceof SyntaxError) {
    return new ProtocolError({
      provider,
      message: `the server sent malformed JSON (${error.message}); the response cannot be read.`,
      cause: error,
    });
  }
  if (isNetworkFailure(error)) {
    return new NetworkError({
      provider,
      message: `the connection dropped (${describe(error)}); retry the request.`,
      cause: error,
    });
  }
  return new ProtocolError({
    provider,
    message: `unexpected failure while reading the response: ${describe(error)}`,
    cause: error,
  });
}

function mapApiError(error: APIError, provider: string): ProviderError {
  const status = error.status;
  const detail = redact(error.message);
  const base = { provider, cause: error, ...(status === undefined ? {} : { status }) };
  if (status === 401 || status === 403) {
    return new AuthenticationError({
      ...base,
      message: `the API refused the credentials (${detail}); check OPENAI_API_KEY or the apiKey setting.`,
    });
  }
  if (
    status === 429 ||
    (status === undefined && /rate.?limit/i.test(`${error.type ?? ''} ${error.code ?? ''}`))
  ) {
    const quotaExhausted = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
    const retryAfterMs = parseRetryAfterMs(error.headers);
    return new RateLimitError({
      ...base,
      message: quotaExhausted
        ? `the account's quota is exhausted (${detail}); check the plan and billing.`
        : `rate limited (${detail}); slow down or retry after the indicated delay.`,
      retryable: !quotaExhausted,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 408) {
    return new TimeoutError({ ...base, message: `the server timed out the request (${detail}); retry it.` });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new BadRequestError({ ...base, message: `the API rejected the request (${detail}).` });
  }
  if (status !== undefined && status >= 500) {
    return new ServerError({ ...base, message: `the API failed (${detail}); retry later.` });
  }
  // An error payload inside a stream (`data: {"error": …}`): no HTTP status, classify by type.
  if (error.type === 'invalid_request_error') {
    return new BadRequestError({ ...base, message: `the API rejected the request mid-stream (${detail}).` });
  }
  return new ServerError({ ...base, message: `the API reported an error mid-stream (${detail}).` });
}
