import {
  concat,
  defer,
  EMPTY,
  from,
  map,
  NEVER,
  Observable,
  of,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';
import { createVirtualClock, type VirtualClock } from '../clock/virtual-clock';
import { SimAudioController } from '../controller/sim-audio-controller';
import type { TtsEvent, TtsMarkEvent, TtsModel } from '../provider/tts-model';
import type {
  Agent,
  AgentBid,
  BidContext,
  ListenContext,
  ListenerReaction,
  Persona,
  RespondContext,
} from './agent';
import { AuctionConversation } from './auction-conversation';
import type { AuctionConversationOptions } from './auction-conversation-options';
import type { ConversationEvent } from './conversation-events';
import { OfflineDebateAgent } from './offline-debate-agent';
import { SimulatedTtsModel } from './simulated-tts-model';

/** The four debaters of the tests and the bench. */
export const DEBATERS: readonly { id: string; persona: Persona }[] = [
  { id: 'ada', persona: { name: 'Ada', stance: 'for', assertiveness: 0.7 } },
  { id: 'bruno', persona: { name: 'Bruno', stance: 'against', assertiveness: 0.8 } },
  { id: 'chen', persona: { name: 'Chen', stance: 'neutral' } },
  { id: 'dara', persona: { name: 'Dara', stance: 'against', agreeableness: 0.7 } },
];

/** Four offline debaters seeded from `seed`. */
export function offlineDebaters(seed: number): OfflineDebateAgent[] {
  return DEBATERS.map((debater, index) => new OfflineDebateAgent({ ...debater, seed: seed * 10 + index }));
}

/** The result of {@link runDebate}. */
export interface DebateRun {
  events: ConversationEvent[];
  audio: Int16Array[];
  clock: VirtualClock;
  conversation: AuctionConversation;
  completed: boolean;
}

/** Runs one simulated conversation to its end in virtual time. */
export function runDebate(
  seed: number,
  overrides: Partial<AuctionConversationOptions> & { agents?: readonly Agent[] } = {},
  build?: (scheduler: SchedulerLike) => Partial<AuctionConversationOptions>,
): DebateRun {
  const clock = createVirtualClock();
  const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
  const conversation = new AuctionConversation({
    agents: offlineDebaters(seed),
    tts: new SimulatedTtsModel({ seed }),
    controller,
    scheduler: clock.scheduler,
    topic: 'Should cities ban cars from their centres?',
    seed,
    maxDurationMs: 180_000,
    ...overrides,
    ...build?.(clock.scheduler),
  });
  const events: ConversationEvent[] = [];
  const audio: Int16Array[] = [];
  let completed = false;
  conversation.audio$.subscribe((frame) => audio.push(frame.samples));
  conversation.events$.subscribe({ next: (event) => events.push(event), complete: () => (completed = true) });
  clock.flush();
  return { events, audio, clock, conversation, completed };
}

/** Options of {@link scriptedAgent}. */
export interface ScriptedAgentOptions {
  id: string;
  persona: Persona;
  bid?: (context: BidContext) => Observable<AgentBid>;
  respond?: (context: RespondContext) => Observable<string>;
  interject?: (context: ListenContext) => Observable<ListenerReaction>;
}

/** An agent whose behaviour a test scripts; unscripted methods fall back to an offline agent's. */
export function scriptedAgent(options: ScriptedAgentOptions, seed = 1): Agent {
  const fallback = new OfflineDebateAgent({ id: options.id, persona: options.persona, seed });
  return {
    id: options.id,
    persona: options.persona,
    bid: (context) => options.bid?.(context) ?? fallback.bid(context),
    respond: (context) => options.respond?.(context) ?? fallback.respond(context),
    interject: (context) => options.interject?.(context) ?? fallback.interject(context),
  };
}

/** Text deltas: each sentence after `delayMs` on the scheduler, then either complete, stall or fail. */
export function scriptedText(
  scheduler: SchedulerLike,
  sentences: readonly string[],
  end: 'complete' | 'stall' | { error: unknown },
  delayMs = 100,
): Observable<string> {
  const parts = sentences.map((sentence, index) =>
    timer(delayMs, scheduler).pipe(map(() => (index === 0 ? sentence : ` ${sentence}`))),
  );
  const tail: Observable<string> =
    end === 'complete' ? EMPTY : end === 'stall' ? NEVER : defer(() => throwError(() => end.error));
  return concat(...parts, tail);
}

/** A TTS model whose first chunk takes `latencyMs` for every request of the given voices. */
export function slowTtsFor(voices: readonly string[], latencyMs: number, seed = 1): TtsModel {
  return new SimulatedTtsModel({
    seed,
    firstChunkLatencyMs: (request) =>
      request.voice !== undefined && voices.includes(request.voice) ? latencyMs : 120,
  });
}

/** Punctuation after which a clause ends (mespeak pauses there). */
const CLAUSE_END = /[,;:—–]$|--$/u;

/**
 * A TTS whose word marks look like mespeak's: the simulated voice, but the marks are estimates
 * (`aligned: false`) and contiguous inside a clause — each word's mark runs to 0.01 ms before the
 * next word's start, as rounding leaves them — with the real pause only after a clause's last word
 * (`,` `;` `:` dashes).
 */
export function clauseMarkedTts(seed: number): TtsModel {
  const inner = new SimulatedTtsModel({ seed });
  return {
    specificationVersion: inner.specificationVersion,
    provider: 'test',
    modelId: 'clause-marked',
    sampleRate: inner.sampleRate,
    capabilities: { ...inner.capabilities, alignedMarks: false },
    synthesize: (request, options) =>
      new Observable<TtsEvent>((subscriber) => {
        const marks: TtsMarkEvent[] = [];
        const flush = (): void => {
          const words = marks.filter((mark) => mark.kind === 'word');
          for (const mark of marks) {
            let durationMs = mark.durationMs;
            const next = words[words.indexOf(mark) + 1];
            if (mark.kind === 'word' && next !== undefined && !CLAUSE_END.test(mark.text))
              durationMs = next.offsetMs - mark.offsetMs - 0.01;
            subscriber.next({ ...mark, durationMs, aligned: false });
          }
          marks.length = 0;
        };
        return inner.synthesize(request, options).subscribe({
          next: (event) => {
            if (event.type === 'mark') marks.push(event);
            else {
              flush();
              subscriber.next(event);
            }
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            flush();
            subscriber.complete();
          },
        });
      }),
  };
}

export { from, of };
