export { createRandom, type RandomSource } from '../internal/random';
export { AccrualModeError, InsufficientTokensError, UnknownAgentError } from './auction-errors';
export type {
  AuctionBid,
  AuctionEntry,
  AuctionReason,
  AuctionResolver,
  AuctionResult,
  AuctionRound,
  BidMultiplierSource,
} from './auction-types';
export { describeAuction } from './describe-auction';
export {
  EmotionEngine,
  type EmotionEvent,
  type EmotionOptions,
  type EmotionSnapshot,
  type EmotionState,
  emotion,
} from './emotion-engine';
export { EnhancedAuctionResolver, type EnhancedAuctionResolverOptions } from './enhanced-auction-resolver';
export { jainIndex } from './jain-index';
export { type PacingOperatorOptions, type PacingSnapshot, pacing, type SpeakingEvent } from './pacing';
export {
  PacingController,
  type PacingControllerSnapshot,
  type PacingOptions,
  type PacingSettlingOptions,
  pacingSettlingTurns,
} from './pacing-controller';
export {
  type ReputationEvent,
  type ReputationObservations,
  type ReputationOptions,
  type ReputationSnapshot,
  ReputationTracker,
  reputation,
} from './reputation-tracker';
export { resolveAuction } from './resolve-auction';
export { SimpleAuctionResolver, type SimpleAuctionResolverOptions } from './simple-auction-resolver';
export { softmax } from './softmax';
export {
  type TalkShareOptions,
  type TalkShareSnapshot,
  type TalkShareSource,
  TalkShareWindow,
  type TalkTurn,
} from './talk-share-window';
export { analyzeTextCues, type TextCues } from './text-cues';
export { type TokenAccrual, TokenBank, type TokenBankOptions, type TokenBankSnapshot } from './token-bank';
