import { EMPTY, type Observable, type SchedulerLike } from 'rxjs';
import type { AudioFrame } from '../audio/audio-frame';
import { realtimeScheduler } from '../clock/realtime-scheduler';
import type { AuctionConversationOptions } from './auction-conversation-options';
import type { ConversationEvent } from './conversation-events';
import { type ConversationPreset, resolveConversationPreset } from './conversation-preset';

/**
 * The organic auction conversation: several agents share one audio floor.
 *
 * @example
 * ```ts
 * const conversation = new AuctionConversation({ agents, tts, controller, scheduler: clock.scheduler, maxTurns: 10 });
 * conversation.events$.subscribe((event) => console.log(event.type));
 * clock.flush();
 * ```
 */
export class AuctionConversation {
  /** The preset in force. */
  readonly preset: ConversationPreset;
  /** The clock. */
  readonly scheduler: SchedulerLike;
  /** The conversation's events; subscribing starts the run. */
  readonly events$: Observable<ConversationEvent>;
  /** The mixed output, contiguous from the run's start. */
  readonly audio$: Observable<AudioFrame>;

  /**
   * @param options - agents, TTS, controller, preset and limits.
   */
  constructor(options: AuctionConversationOptions) {
    this.preset = resolveConversationPreset(options.preset ?? 'debate_snappy');
    this.scheduler = options.scheduler ?? realtimeScheduler;
    this.events$ = EMPTY;
    this.audio$ = EMPTY;
  }
}
