import type { Subscription, Unsubscribable } from 'rxjs';
import { merged } from '../internal/merged';
import type { AgentPlayback } from './agent-playback';
import type { DialogueTurn } from './dialogue-context';
import type { ReplyTrace } from './reply-trace';
import type { TurnMetrics } from './turn-metrics';
import type { UserUtterance } from './user-utterance';
import type { VoiceAgentErrorEvent } from './voice-agent-events';

/** A failure tagged with the pipeline stage it came from. @internal */
export class StageFailure {
  constructor(
    readonly stage: VoiceAgentErrorEvent['stage'],
    readonly error: unknown,
  ) {}

  /** `error` tagged with `stage`, unless an inner stage already tagged it. */
  static of(stage: VoiceAgentErrorEvent['stage'], error: unknown): StageFailure {
    return error instanceof StageFailure ? error : new StageFailure(stage, error);
  }
}

/** One agent reply in flight. @internal */
export interface Reply {
  id: string;
  turn: number;
  version: number;
  agent: string;
  text: string;
  textDone: boolean;
  responseSent: boolean;
  playback: AgentPlayback | undefined;
  subscription: Unsubscribable | undefined;
  ticker: Subscription | undefined;
  /** When the pending output tick is due, scheduler ms. */
  tickDueAt: number;
  /** Started for a `start-reply` effect (else unprompted: a greeting or a tool continuation). */
  prompted: boolean;
  /** Whether `reply-ready` went to the session reducer. */
  ready: boolean;
  /** Whether the reducer said `play-reply`. */
  playing: boolean;
  askedAt: number;
  firstDeltaAt: number | undefined;
  firstAudioAt: number | undefined;
  userSpeechEndAt: number | undefined;
  metrics: Partial<TurnMetrics>;
  done: boolean;
  toolCalls: number;
  trace: ReplyTrace;
}

/** What starts a reply. @internal */
export interface StartReplyInit {
  turn: number;
  transcript: string;
  userTurn: DialogueTurn | undefined;
  fixedText?: string;
  userSpeechEndAt?: number;
  metrics?: Partial<TurnMetrics>;
  /** The utterance of a spoken turn (for its trace). */
  utterance?: UserUtterance;
}

/** The latencies of a finished or interrupted reply. @internal */
export function replyMetrics(reply: Reply, interrupted: boolean, playedMs: number): TurnMetrics {
  const metrics: TurnMetrics = merged(reply.metrics, {
    turn: reply.turn,
    responseId: reply.id,
    agent: reply.agent,
    interrupted,
    playedMs,
  } satisfies Partial<TurnMetrics>);
  if (reply.firstDeltaAt !== undefined) metrics.llmTimeToFirstTokenMs = reply.firstDeltaAt - reply.askedAt;
  if (reply.firstAudioAt !== undefined && reply.firstDeltaAt !== undefined) {
    metrics.ttsTimeToFirstByteMs = reply.firstAudioAt - reply.firstDeltaAt;
  }
  return metrics;
}
