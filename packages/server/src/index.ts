/**
 * `@argentum/server`: a WebSocket voice-agent server that speaks the ElevenLabs Agents protocol, so
 * existing clients work unchanged — one `VoiceAgentSession` of `@argentum/core` per conversation,
 * signed URLs, origin allowlist, rate limits, barge-in and Prometheus metrics.
 *
 * @packageDocumentation
 */
export {
  type AgentConfig,
  loadServerConfig,
  type ProviderConfig,
  type ServerConfig,
  validateServerConfig,
} from './cli/server-config';
export { type StartServerOptions, startServer } from './cli/start-server';
export { systemWallClock, type WallClock } from './clock/wall-clock';
export { ServerMetrics } from './metrics/server-metrics';
export * from './protocol/index';
export {
  type ConversationTokenPayload,
  createSignedUrl,
  type MintTokenOptions,
  mintConversationToken,
  type SignedUrlOptions,
  type TokenRejection,
  type TokenVerification,
  type VerifyTokenOptions,
  verifyConversationToken,
} from './security/conversation-token';
export { serveStatic } from './server/serve-static';
export {
  type AllowedOverrides,
  type ConversationInit,
  type DefineAgentOptions,
  defineAgent,
  type ServerAgent,
} from './server/server-agent';
export type { RejectionReason, ServerEvent, ServerLogger } from './server/server-events';
export {
  type CloseOptions,
  createVoiceAgentServer,
  type ServerWorkerOptions,
  type VoiceAgentServer,
  type VoiceAgentServerOptions,
} from './server/voice-agent-server';
