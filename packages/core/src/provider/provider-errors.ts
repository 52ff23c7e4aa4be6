import { ArgentumError, hasBrand } from '../errors/argentum-error';

/** What every provider error records about the failed call. */
export interface ProviderErrorInit {
  /** The provider's name, e.g. `openai`. */
  provider: string;
  /** What went wrong and what to do, for people. */
  message: string;
  /** HTTP status or WebSocket close code, when there was one. */
  status?: number;
  /** Whether retrying the same request may succeed. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Base class of failures reported by a provider (a vendor API, a local model). Subclasses say the
 * kind; `retryable` says whether the same request may succeed later. API keys and tokens never
 * appear in the message.
 *
 * @example
 * ```ts
 * tts.synthesize({ text }).subscribe({
 *   error: (error) => {
 *     if (RateLimitError.isInstance(error)) retryIn(error.retryAfterMs ?? 1000);
 *     else if (ProviderError.isInstance(error) && error.retryable) retrySoon();
 *   },
 * });
 * ```
 */
export class ProviderError extends ArgentumError {
  /** The provider's name. */
  readonly provider: string;
  /** HTTP status or WebSocket close code, when there was one. */
  readonly status: number | undefined;
  /** Whether retrying the same request may succeed. */
  readonly retryable: boolean;

  /**
   * @param code - the stable failure code (subclasses fix it).
   * @param init - provider, message, status, retryability and cause.
   */
  constructor(code: string, init: ProviderErrorInit) {
    super(code, `${init.provider}: ${init.message}`, { cause: init.cause });
    this.provider = init.provider;
    this.status = init.status;
    this.retryable = init.retryable ?? false;
    this.brand('ProviderError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for any {@link ProviderError}.
   * @example
   * ```ts
   * if (ProviderError.isInstance(error)) console.error(error.provider, error.status);
   * ```
   */
  static override isInstance(error: unknown): error is ProviderError {
    return hasBrand(error, 'ProviderError');
  }
}

/**
 * The vendor refused the credentials (HTTP 401/403, WebSocket 1008 on auth). Not retryable: fix
 * the API key.
 *
 * @example
 * ```ts
 * if (AuthenticationError.isInstance(error)) console.error('check OPENAI_API_KEY');
 * ```
 */
export class AuthenticationError extends ProviderError {
  /**
   * @param init - provider, message, status and cause; `retryable` defaults to `false`.
   */
  constructor(init: ProviderErrorInit) {
    super('provider-authentication', { retryable: false, ...init });
    this.brand('AuthenticationError');
  }
  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for an {@link AuthenticationError}.
   * @example
   * ```ts
   * if (AuthenticationError.isInstance(error)) showKeyDialog();
   * ```
   */
  static override isInstance(error: unknown): error is AuthenticationError {
    return hasBrand(error, 'AuthenticationError');
  }
}

/**
 * The vendor rejected the request as malformed or invalid (HTTP 400/404/422). Not retryable.
 *
 * @example
 * ```ts
 * if (BadRequestError.isInstance(error)) console.error(error.message);
 * ```
 */
export class BadRequestError extends ProviderError {
  /**
   * @param init - provider, message, status and cause; `retryable` defaults to `false`.
   */
  constructor(init: ProviderErrorInit) {
    super('provider-bad-request', { retryable: false, ...init });
    this.brand('BadRequestError');
  }
  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link BadRequestError}.
   * @example
   * ```ts
   * if (BadRequestError.isInstance(error)) console.error(error.status);
   * ```
   */
  static override isInstance(error: unknown): error is BadRequestError {
    return hasBrand(error, 'BadRequestError');
  }
}

/**
 * The vendor's server failed (HTTP 5xx, WebSocket 1011). Retryable.
 *
 * @example
 * ```ts
 * if (ServerError.isInstance(error)) console.warn('vendor outage', error.status);
 * ```
 */
export class ServerError extends ProviderError {
  /**
   * @param init - provider, message, status and cause; `retryable` defaults to `true`.
   */
  constructor(init: ProviderErrorInit) {
    super('provider-server', { retryable: true, ...init });
    this.brand('ServerError');
  }
  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link ServerError}.
   * @example
   * ```ts
   * if (ServerError.isInstance(error)) useFallback();
   * ```
   */
  static override isInstance(error: unknown): error is ServerError {
    return hasBrand(error, 'ServerError');
  }
}

/**
 * The connection failed or dropped (DNS, refused, reset, closed mid-stream). Retryable.
 *
 * @example
 * ```ts
 * if (NetworkError.isInstance(error)) reconnect();
 * ```
 */
export class NetworkError extends ProviderError {
  /**
   * @param init - provider, message, status and cause; `retryable` defaults to `true`.
   */
  constructor(init: ProviderErrorInit) {
    super('provider-network', { retryable: true, ...init });
    this.brand('NetworkError');
  }
  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link NetworkError}.
   * @example
   * ```ts
   * if (NetworkError.isInstance(error)) reconnect();
   * ```
   */
  static override isInstance(error: unknown): error is NetworkError {
    return hasBrand(error, 'NetworkError');
  }
}

/**
 * A call took longer than its timeout (connect, first chunk, or whole request). Retryable.
 *
 * @example
 * ```ts
 * if (TimeoutError.isInstance(error)) console.warn('slow provider');
 * ```
 */
export class TimeoutError extends ProviderError {
  /**
   * @param init - provider, message, status and cause; `retryable` defaults to `true`.
   */
  constructor(init: ProviderErrorInit) {
    super('provider-timeout', { retryable: true, ...init });
    this.brand('TimeoutError');
  }
  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link TimeoutError}.
   * @example
   * ```ts
   * if (TimeoutError.isInstance(error)) console.warn('slow provider');
   * ```
   */
  static override isInstance(error: unknown): error is TimeoutError {
    return hasBrand(error, 'TimeoutError');
  }
}

/**
 * The peer sent something the protocol does not allow: malformed JSON, a missing field, an unknown
 * message type, audio that cannot be decoded. Not retryable as is.
 *
 * @example
 * ```ts
 * if (ProtocolError.isInstance(error)) console.error('wire error', error.message);
 * ```
 */
export class ProtocolError extends ProviderError {
  /**
   * @param init - provider, message, status and cause; `retryable` defaults to `false`.
   */
  constructor(init: ProviderErrorInit) {
    super('provider-protocol', { retryable: false, ...init });
    this.brand('ProtocolError');
  }
  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link ProtocolError}.
   * @example
   * ```ts
   * if (ProtocolError.isInstance(error)) console.error(error.message);
   * ```
   */
  static override isInstance(error: unknown): error is ProtocolError {
    return hasBrand(error, 'ProtocolError');
  }
}

/** Input of {@link RateLimitError}. */
export interface RateLimitErrorInit extends ProviderErrorInit {
  /** How long the vendor asked to wait (from `retry-after`), in ms. */
  retryAfterMs?: number;
}

/**
 * The vendor rate-limited the call (HTTP 429, quota or concurrency limits). Retryable after
 * `retryAfterMs` when the vendor said.
 *
 * @example
 * ```ts
 * if (RateLimitError.isInstance(error)) await sleep(error.retryAfterMs ?? 1000);
 * ```
 */
export class RateLimitError extends ProviderError {
  /** How long the vendor asked to wait, in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param init - provider, message, status and `retryAfterMs`.
   */
  constructor(init: RateLimitErrorInit) {
    super('provider-rate-limit', { retryable: true, ...init });
    this.retryAfterMs = init.retryAfterMs;
    this.brand('RateLimitError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link RateLimitError}.
   * @example
   * ```ts
   * if (RateLimitError.isInstance(error)) console.log(error.retryAfterMs);
   * ```
   */
  static override isInstance(error: unknown): error is RateLimitError {
    return hasBrand(error, 'RateLimitError');
  }
}
