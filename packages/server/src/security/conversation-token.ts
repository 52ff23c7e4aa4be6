import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from '@argentum/core';
import { systemWallClock, type WallClock } from '../clock/wall-clock';

/** What a conversation token grants. */
export interface ConversationTokenPayload {
  /** The agent the holder may talk to. */
  agentId: string;
  /** Expiry, in ms since the Unix epoch. */
  expiresAt: number;
  /** A random nonce, so two tokens minted in the same ms differ. */
  nonce: string;
}

/** Options of {@link mintConversationToken}. */
export interface MintTokenOptions {
  /** The agent the token is for. */
  agentId: string;
  /** The server's signing secret (at least 32 characters). */
  secret: string;
  /** How long the token is valid, in ms. Default 15 minutes. */
  expiresInMs?: number;
  /** The wall clock. Default: the system clock. */
  wallClock?: WallClock;
}

/**
 * Why a token was refused.
 *
 * @example
 * ```ts
 * const reason: TokenRejection = 'expired';
 * ```
 */
export type TokenRejection = 'malformed' | 'bad-signature' | 'expired' | 'wrong-agent';

/**
 * The outcome of {@link verifyConversationToken}.
 *
 * @example
 * ```ts
 * const result: TokenVerification = verifyConversationToken(token, { secret, agentId: 'support' });
 * if (!result.ok) console.log(result.reason);
 * ```
 */
export type TokenVerification =
  | { ok: true; payload: ConversationTokenPayload }
  | { ok: false; reason: TokenRejection };

const VERSION = 'v1';
const MIN_SECRET_LENGTH = 32;

function assertSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new InvalidArgumentError(
      'secret',
      `expected a string of at least ${MIN_SECRET_LENGTH} characters (e.g. 32 random bytes in hex); never use a guessable value.`,
    );
  }
  return secret;
}

function sign(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

/**
 * Mints a signed, expiring token for one agent: `v1.<payload>.<HMAC-SHA256>`, base64url. Give it
 * to a client (in a signed URL from {@link createSignedUrl}, or as the `bearer.` subprotocol); the
 * server verifies it at the WebSocket upgrade.
 *
 * @param options - agent, secret and lifetime.
 * @returns the token.
 * @throws `InvalidArgumentError` for a short secret, an empty agent id or a bad lifetime.
 * @example
 * ```ts
 * const token = mintConversationToken({ agentId: 'support', secret: process.env.ARGENTUM_SECRET!, expiresInMs: 60_000 });
 * ```
 */
export function mintConversationToken(options: MintTokenOptions): string {
  const secret = assertSecret(options.secret);
  if (typeof options.agentId !== 'string' || options.agentId.length === 0) {
    throw new InvalidArgumentError('agentId', 'expected a non-empty agent id.');
  }
  const expiresInMs = options.expiresInMs ?? 15 * 60_000;
  if (!Number.isFinite(expiresInMs) || expiresInMs <= 0) {
    throw new InvalidArgumentError(
      'expiresInMs',
      `expected a positive number of ms, got ${String(expiresInMs)}.`,
    );
  }
  const payload: ConversationTokenPayload = {
    agentId: options.agentId,
    expiresAt: Math.floor((options.wallClock ?? systemWallClock)() + expiresInMs),
    nonce: randomBytes(9).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${VERSION}.${body}.${sign(secret, body).toString('base64url')}`;
}

/** Options of {@link verifyConversationToken}. */
export interface VerifyTokenOptions {
  /** The server's signing secret. */
  secret: string;
  /** The agent the client asked for; the token must be for it. */
  agentId: string;
  /** The wall clock. Default: the system clock. */
  wallClock?: WallClock;
}

/**
 * Verifies a token from {@link mintConversationToken}: its signature (in constant time), its expiry
 * and its agent. Never throws for a bad token.
 *
 * @param token - the token.
 * @param options - secret, expected agent, clock.
 * @returns the payload, or why it was refused.
 * @example
 * ```ts
 * const result = verifyConversationToken(token, { secret, agentId: 'support' });
 * ```
 */
export function verifyConversationToken(token: string, options: VerifyTokenOptions): TokenVerification {
  const secret = assertSecret(options.secret);
  if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const body = parts[1]!;
  const signature = Buffer.from(parts[2]!, 'base64url');
  const expected = sign(secret, body);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  let payload: ConversationTokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ConversationTokenPayload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload?.agentId !== 'string' || typeof payload.expiresAt !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if ((options.wallClock ?? systemWallClock)() >= payload.expiresAt) return { ok: false, reason: 'expired' };
  if (payload.agentId !== options.agentId) return { ok: false, reason: 'wrong-agent' };
  return { ok: true, payload };
}

/** Options of {@link createSignedUrl}. */
export interface SignedUrlOptions extends MintTokenOptions {
  /** The server's public WebSocket origin, e.g. `wss://voice.example.com` or `ws://127.0.0.1:8080`. */
  serverUrl: string;
  /** The conversation path. Default `/v1/convai/conversation` (what the official client uses). */
  path?: string;
}

/**
 * Mints a signed URL like ElevenLabs' `get-signed-url`: the conversation endpoint with `agent_id` and
 * a `conversation_signature` token. Hand it to the official client as `signedUrl`. Serve it from an
 * endpoint of your own app that authenticates the user first; never embed the secret in a page.
 *
 * @param options - server URL, agent, secret, lifetime.
 * @returns the URL.
 * @example
 * ```ts
 * const signedUrl = createSignedUrl({ serverUrl: 'wss://voice.example.com', agentId: 'support', secret });
 * await Conversation.startSession({ signedUrl, connectionType: 'websocket' });
 * ```
 */
export function createSignedUrl(options: SignedUrlOptions): string {
  const token = mintConversationToken(options);
  let url: URL;
  try {
    url = new URL(options.path ?? '/v1/convai/conversation', options.serverUrl);
  } catch {
    throw new InvalidArgumentError(
      'serverUrl',
      `expected an absolute ws:// or wss:// URL, got "${options.serverUrl}".`,
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new InvalidArgumentError('serverUrl', `expected a ws:// or wss:// URL, got "${url.protocol}".`);
  }
  url.searchParams.set('agent_id', options.agentId);
  url.searchParams.set('conversation_signature', token);
  return url.toString();
}
