import type { SchedulerLike, Subscription } from 'rxjs';
import type { AuctionResolver } from '../auction/auction-types';
import type { EmotionEngine } from '../auction/emotion-engine';
import type { PacingController } from '../auction/pacing-controller';
import type { ReputationTracker } from '../auction/reputation-tracker';
import type { TalkShareWindow } from '../auction/talk-share-window';
import type { TokenBank } from '../auction/token-bank';
import type { SampleRate } from '../audio/audio-frame';
import type { AudioController } from '../controller/audio-controller';
import type { LeadTimeController } from '../governor/lead-time-controller';
import type { InterruptPolicy } from '../interrupt/interrupt-types';
import type { GuardBand } from '../latency/guard-band';
import type { LatencyProfiler } from '../latency/latency-profiler';
import type { TtsModel } from '../provider/tts-model';
import type { Agent, Persona } from './agent';
import type { ConversationEvent } from './conversation-events';
import type { ConversationPreset } from './conversation-preset';
import type { InterjectionPlanner } from './interjection-planner';
import type { PreparedSegment } from './prepared-segment';
import type { TurnSpeech } from './turn-speech';

/** A conversation event before the log numbers it. @internal */
export type UnnumberedEvent = ConversationEvent extends infer E
  ? E extends ConversationEvent
    ? Omit<E, 'sequence'>
    : never
  : never;

/** Profiler stage: from requesting a response to its first audio (the guard band's input). @internal */
export const FIRST_AUDIO_STAGE = 'first-audio';
/** Profiler stage: from a TTS request to its first audio chunk. @internal */
export const TTS_CHUNK_STAGE = 'tts-first-chunk';

/** Everything a run is built from. @internal */
export interface RunSetup {
  agents: readonly Agent[];
  agentIds: readonly string[];
  personas: Readonly<Record<string, Persona>>;
  voices: Readonly<Record<string, string>>;
  ttsOf: (agentId: string) => TtsModel;
  controller: AudioController;
  sampleRate: SampleRate;
  scheduler: SchedulerLike;
  preset: ConversationPreset;
  seed: number;
  topic: string;
  maxDurationMs: number;
  maxTurns: number;
  contextTurns: number;
  bank: TokenBank;
  talk: TalkShareWindow;
  pacing: PacingController;
  reputation: ReputationTracker;
  emotion: EmotionEngine;
  resolver: AuctionResolver;
  policy: InterruptPolicy;
  leadTime: LeadTimeController;
  profiler: LatencyProfiler;
  guard: GuardBand;
  planner: InterjectionPlanner;
}

/** A segment handed to the controller. @internal */
export interface PlayedSegment {
  prepared: PreparedSegment;
  turn: TurnState | undefined;
  kind: 'turn' | 'interjection';
  subscription: Subscription | undefined;
  plannedAt: number;
  startedAt: number | undefined;
  /** Where a committed interrupt cuts it, scheduler ms. */
  cutAt: number | undefined;
  playedMs: number;
  heardText: string;
  status: 'queued' | 'playing' | 'ended';
}

/** A turn on the floor or planned for it. @internal */
export interface TurnState {
  id: string;
  agentId: string;
  cause: 'auction' | 'interrupt';
  auctionId: string | null;
  interruptId: string | null;
  price: number;
  evidenceQuality: number | undefined;
  speech: TurnSpeech;
  issued: PlayedSegment[];
  /** No more segments will be issued (cut, limit, failure). */
  closed: boolean;
  status: 'pending' | 'playing' | 'ended';
  startedAt: number | undefined;
  interruptedBy: string | null;
  prefetched: boolean;
  /** The planned handoff the AIMD lead time is judged against, scheduler ms. */
  handoffDeadline: number | undefined;
  leadObserved: boolean;
}
