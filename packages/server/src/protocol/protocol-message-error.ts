import { ArgentumError } from '@argentum/core';

/**
 * Why a client message was refused, as sent in the `error_type` of an `error` event:
 * - `invalid_json` — the frame is not JSON, or not a JSON object;
 * - `invalid_message` — a known message with missing or mistyped fields;
 * - `unknown_message_type` — a `type` the server does not know;
 * - `invalid_audio` — bad base64 or an odd PCM16 byte count;
 * - `message_too_large` — a field longer than the server's limit;
 * - `handshake` — a message out of order (before `conversation_initiation_client_data`, or that message twice);
 * - `rate_limited` — more messages than the per-connection rate allows.
 *
 * @example
 * ```ts
 * const kind: ProtocolErrorType = 'invalid_audio';
 * ```
 */
export type ProtocolErrorType =
  | 'invalid_json'
  | 'invalid_message'
  | 'unknown_message_type'
  | 'invalid_audio'
  | 'message_too_large'
  | 'handshake'
  | 'rate_limited';

/**
 * A client message the server cannot accept. The server answers it with an `error` event (or, after
 * repeated abuse, a 1008 close); the message says what was wrong and what to send instead.
 *
 * @example
 * ```ts
 * const result = parseClientMessage('{"type":"nope"}');
 * if (!result.ok) console.log(result.error.errorType); // 'unknown_message_type'
 * ```
 */
export class ProtocolMessageError extends ArgentumError {
  /** The wire `error_type`. */
  readonly errorType: ProtocolErrorType;

  /**
   * @param errorType - the wire `error_type`.
   * @param message - what was wrong and what to do.
   */
  constructor(errorType: ProtocolErrorType, message: string) {
    super('protocol-message', message);
    this.errorType = errorType;
    this.brand('ProtocolMessageError');
  }

  /**
   * Cross-copy-safe type check.
   * @param error - any value.
   * @returns `true` for a {@link ProtocolMessageError}.
   * @example
   * ```ts
   * if (ProtocolMessageError.isInstance(error)) console.log(error.errorType);
   * ```
   */
  static override isInstance(error: unknown): error is ProtocolMessageError {
    return ArgentumError.isInstance(error) && (error as { code?: unknown }).code === 'protocol-message';
  }
}
