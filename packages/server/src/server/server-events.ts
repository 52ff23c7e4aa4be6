import type { VoiceAgentEvent } from '@argentum/core';
import type { ProtocolErrorType } from '../protocol/protocol-message-error';
import type { ServerMessageType } from '../protocol/server-messages';

/**
 * Why an upgrade was refused (the HTTP status in brackets): `not-found` (404, wrong path),
 * `unknown-agent` (404), `forbidden-origin` (403), `unauthorized` (401: missing, bad, expired or
 * wrong-agent token), `shutting-down` (503), `too-many-connections` (503).
 *
 * @example
 * ```ts
 * const reason: RejectionReason = 'forbidden-origin';
 * ```
 */
export type RejectionReason =
  | 'not-found'
  | 'unknown-agent'
  | 'forbidden-origin'
  | 'unauthorized'
  | 'shutting-down'
  | 'too-many-connections';

/**
 * What the server reports, for logs and dashboards. Never carries a token, key or signed URL:
 * request URLs are redacted.
 *
 * @example
 * ```ts
 * server.events.subscribe((event) => {
 *   if (event.type === 'connection-rejected') console.warn(event.reason, event.url);
 * });
 * ```
 */
export type ServerEvent =
  | { type: 'listening'; url: string; at: number }
  | {
      type: 'connection-rejected';
      reason: RejectionReason;
      detail: string;
      url: string;
      origin?: string;
      at: number;
    }
  | {
      type: 'conversation-start';
      conversationId: string;
      /** The id on its spans and provider calls (adopted from the upgrade, or the conversation id). */
      correlationId: string;
      agentId: string;
      at: number;
    }
  | {
      type: 'conversation-end';
      conversationId: string;
      agentId: string;
      code: number;
      reason: string;
      at: number;
    }
  | {
      type: 'protocol-error';
      conversationId: string | undefined;
      errorType: ProtocolErrorType;
      message: string;
      at: number;
    }
  | {
      type: 'message-dropped';
      conversationId: string;
      messageType: ServerMessageType;
      bufferedBytes: number;
      at: number;
    }
  | { type: 'session-event'; conversationId: string; agentId: string; event: VoiceAgentEvent; at: number }
  | { type: 'shutdown'; phase: 'draining' | 'closed'; at: number }
  | {
      /** The server registered itself in its worker registry (on `listen`). */
      type: 'worker-registered';
      /** Its worker id. */
      workerId: string;
      /** The address it announced. */
      address: string;
      /** When, ms. */
      at: number;
    }
  | {
      /** The server removed its registration (first thing on `close`). */
      type: 'worker-deregistered';
      /** Its worker id. */
      workerId: string;
      /** Why removing it failed (the entry then expires after the registry's TTL). */
      error?: string;
      /** When, ms. */
      at: number;
    };

/**
 * Where the server writes its log lines. Defaults to nothing; pass `console` or a pino/winston
 * logger. Fields never contain secrets.
 *
 * @example
 * ```ts
 * createVoiceAgentServer({ agents, logger: console });
 * ```
 */
export interface ServerLogger {
  /** Normal operation. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Refused or misbehaving clients. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Failures inside the server. */
  error(message: string, fields?: Record<string, unknown>): void;
}
