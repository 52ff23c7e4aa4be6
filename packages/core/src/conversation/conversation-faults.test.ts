import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RateLimitError, ServerError } from '../provider/provider-errors';
import type { Agent } from './agent';
import {
  DEBATERS,
  offlineDebaters,
  runDebate,
  scriptedAgent,
  scriptedText,
  slowTtsFor,
} from './conversation.test-support';
import type { ConversationEvent } from './conversation-events';
import { summarizeConversation } from './summarize-conversation';

type Of<T extends ConversationEvent['type']> = Extract<ConversationEvent, { type: T }>;
function ofType<T extends ConversationEvent['type']>(events: ConversationEvent[], type: T): Of<T>[] {
  return events.filter((event): event is Of<T> => event.type === type);
}

/** Nothing played twice; primary speech never overlaps beyond an interrupt's crossfade. */
function expectCleanFloor(events: ConversationEvent[]): void {
  const starts = ofType(events, 'segment-start');
  const ids = starts.map((event) => event.segmentId);
  expect(new Set(ids).size).toBe(ids.length);
  const texts = starts
    .filter((event) => event.kind === 'turn')
    .map((event) => `${event.turnId}|${event.text}`);
  expect(new Set(texts).size).toBe(texts.length);
  const ends = new Map(ofType(events, 'segment-end').map((event) => [event.segmentId, event]));
  const primaries = starts
    .filter((event) => event.kind === 'turn')
    .map((event) => [event.actualAt, event.actualAt + (ends.get(event.segmentId)?.playedMs ?? 0)] as const)
    .sort((a, b) => a[0] - b[0]);
  const crossfade = Math.max(0, ...ofType(events, 'interrupt').map((event) => event.crossfadeMs));
  for (let i = 1; i < primaries.length; i++) {
    expect(primaries[i]![0]).toBeGreaterThanOrEqual(primaries[i - 1]![1] - crossfade - 1e-6);
  }
}

/** Ada's turns fail in the given way after her first sentence; everyone else is offline. */
function faultyAda(
  end: 'stall' | { error: unknown },
  sentencesBefore: number,
): (scheduler: never) => { agents: Agent[] } {
  return (scheduler) => {
    const agents = offlineDebaters(21) as Agent[];
    agents[0] = scriptedAgent({
      ...DEBATERS[0]!,
      bid: () => of({ amount: 12 }),
      respond: () =>
        scriptedText(
          scheduler,
          ['Cars choke our streets.', 'Buses move more people.', 'Bikes are cheaper.'].slice(
            0,
            sentencesBefore,
          ),
          end,
        ),
    });
    return { agents };
  };
}

describe('conversation faults', () => {
  it('an LLM that stalls mid-turn: the turn is truncated, the log says so, the debate goes on', () => {
    const { events } = runDebate(21, { maxDurationMs: 60_000 }, faultyAda('stall', 1) as never);
    const faults = ofType(events, 'fault').filter(
      (event) => event.agentId === 'ada' && event.task === 'respond',
    );
    expect(faults.length).toBeGreaterThan(0);
    expect(faults[0]).toMatchObject({ code: 'stalled', action: 'truncated' });
    const adaTurns = ofType(events, 'turn-end').filter(
      (event) => event.agentId === 'ada' && event.startedAt !== null,
    );
    expect(adaTurns[0]).toMatchObject({ outcome: 'truncated', heardText: 'Cars choke our streets.' });
    const later = ofType(events, 'turn-start').filter((event) => event.at > faults[0]!.at);
    expect(later.length).toBeGreaterThan(1);
    expectCleanFloor(events);
  });

  it('an LLM that errors mid-turn: the spoken part stands, the error code is logged', () => {
    const error = new ServerError({ provider: 'test', message: 'upstream 502', status: 502 });
    const { events } = runDebate(22, { maxDurationMs: 60_000 }, faultyAda({ error }, 2) as never);
    const fault = ofType(events, 'fault').find((event) => event.agentId === 'ada')!;
    expect(fault).toMatchObject({ task: 'respond', code: 'provider-server', action: 'truncated' });
    expect(fault.message).toContain('upstream 502');
    const turn = ofType(events, 'turn-end').find(
      (event) => event.agentId === 'ada' && event.startedAt !== null,
    )!;
    expect(turn.outcome).toBe('truncated');
    expect(turn.heardText).toBe('Cars choke our streets. Buses move more people.');
    expect(ofType(events, 'turn-start').filter((event) => event.at > fault.at).length).toBeGreaterThan(1);
    expectCleanFloor(events);
  });

  it('an LLM that fails before saying anything: the turn fails and the floor goes to the next auction', () => {
    const error = new ServerError({ provider: 'test', message: 'boom' });
    const { events } = runDebate(23, { maxDurationMs: 40_000 }, faultyAda({ error }, 0) as never);
    const failed = ofType(events, 'turn-end').filter((event) => event.agentId === 'ada');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((event) => event.outcome === 'failed' && event.startedAt === null)).toBe(true);
    expect(ofType(events, 'turn-start').every((event) => event.agentId !== 'ada')).toBe(true);
    expect(ofType(events, 'turn-start').length).toBeGreaterThan(2);
    // The failing agent sits out (exponential backoff) instead of winning again at once.
    const faults = ofType(events, 'fault').filter((event) => event.agentId === 'ada');
    expect(faults[0]).toMatchObject({
      task: 'respond',
      code: 'provider-server',
      action: 'backoff',
      retryAfterMs: 2000,
    });
    expect(faults[1]?.retryAfterMs).toBe(4000);
    expectCleanFloor(events);
  });

  it('an LLM that is rate-limited mid-turn: the agent backs off for retry-after and sits out the auctions', () => {
    const error = new RateLimitError({ provider: 'test', message: 'slow down', retryAfterMs: 40_000 });
    const { events } = runDebate(24, { maxDurationMs: 120_000 }, faultyAda({ error }, 1) as never);
    const fault = ofType(events, 'fault').find((event) => event.agentId === 'ada')!;
    expect(fault).toMatchObject({
      task: 'respond',
      code: 'rate-limited',
      action: 'backoff',
      retryAfterMs: 40_000,
    });
    const during = ofType(events, 'auction').filter(
      (event) => event.at > fault.at && event.at < fault.at + 40_000,
    );
    expect(during.length).toBeGreaterThan(0);
    for (const auction of during) {
      expect(auction.bids.find((bid) => bid.agentId === 'ada')?.status).toBe('backoff');
      expect(auction.winner).not.toBe('ada');
    }
    const after = ofType(events, 'auction').filter((event) => event.at >= fault.at + 40_000);
    expect(
      after.some((auction) => auction.bids.find((bid) => bid.agentId === 'ada')?.status !== 'backoff'),
    ).toBe(true);
    expectCleanFloor(events);
  });

  it('a bid that never comes counts as a pass after the bid timeout', () => {
    const { events } = runDebate(25, { maxDurationMs: 30_000 }, ((scheduler: never) => {
      const agents = offlineDebaters(25) as Agent[];
      agents[2] = scriptedAgent({
        ...DEBATERS[2]!,
        bid: () => scriptedText(scheduler, [], 'stall') as never,
      });
      return { agents };
    }) as never);
    const auctions = ofType(events, 'auction');
    expect(auctions.length).toBeGreaterThan(1);
    for (const auction of auctions) {
      const chen = auction.bids.find((bid) => bid.agentId === 'chen')!;
      if (chen.status === 'excluded') continue;
      expect(chen).toMatchObject({ status: 'timeout', amount: 0 });
      expect(chen.latencyMs).toBeGreaterThanOrEqual(600);
    }
    expect(
      ofType(events, 'fault').some((event) => event.agentId === 'chen' && event.code === 'timeout'),
    ).toBe(true);
  });

  it('a kicker whose TTS first chunk arrives after the guard band: the interrupt falls back, the speaker finishes', () => {
    const { events } = runDebate(26, { maxDurationMs: 90_000 }, ((scheduler: never) => {
      const agents = offlineDebaters(26) as Agent[];
      // Bruno always wants to cut in, and his voice is slow (2.5 s to the first chunk).
      agents[1] = scriptedAgent({
        ...DEBATERS[1]!,
        interject: (context) => (context.canInterrupt ? of({ type: 'interrupt', urgency: 1 }) : of()),
      });
      void scheduler;
      return { agents, tts: slowTtsFor(['bruno'], 2_500) };
    }) as never);
    const outcomes = ofType(events, 'interrupt').filter((event) => event.agentId === 'bruno');
    expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      expect(outcome.outcome).toBe('fallen-back');
      expect(['audio-not-ready', 'no-beat', 'speaker-finished']).toContain(outcome.reason);
      expect(outcome.fee).toBe(0);
    }
    expect(outcomes.some((outcome) => outcome.reason === 'audio-not-ready')).toBe(true);
    const notReady = outcomes.find((outcome) => outcome.reason === 'audio-not-ready')!;
    // The cut speaker was not cut: its turn completed.
    const turn = ofType(events, 'turn-end').find((event) => event.turnId === notReady.turnId)!;
    expect(turn.outcome).not.toBe('interrupted');
    expect(summarizeConversation(events).interrupts.committed).toBe(0);
    expectCleanFloor(events);
  });

  it('a kicker whose audio is ready in time: committed at a word beat at least the guard ahead, crossfaded, fee paid', () => {
    const { events } = runDebate(27, { maxDurationMs: 90_000 }, ((scheduler: never) => {
      const agents = offlineDebaters(27) as Agent[];
      agents[1] = scriptedAgent({
        ...DEBATERS[1]!,
        interject: (context) => (context.canInterrupt ? of({ type: 'interrupt', urgency: 1 }) : of()),
      });
      void scheduler;
      return { agents };
    }) as never);
    const committed = ofType(events, 'interrupt').filter((event) => event.outcome === 'committed');
    expect(committed.length).toBeGreaterThan(0);
    for (const interrupt of committed) {
      expect(interrupt.beatAt! - interrupt.decidedAt).toBeGreaterThanOrEqual(interrupt.commitGuardMs);
      expect(interrupt.audioReadyAt!).toBeLessThanOrEqual(interrupt.readyBy!);
      expect(interrupt.fee).toBeGreaterThan(0);
      const cut = ofType(events, 'segment-end').find((event) => event.segmentId === interrupt.segmentId)!;
      const kicker = ofType(events, 'segment-start').find(
        (event) => event.segmentId === interrupt.kickerSegmentId,
      )!;
      if (interrupt.beatIndex !== null) {
        // The speaker stops exactly where the cut word starts; the kicker starts there.
        const start = ofType(events, 'segment-start').find(
          (event) => event.segmentId === interrupt.segmentId,
        )!;
        expect(start.actualAt + cut.playedMs).toBeCloseTo(interrupt.beatAt!, 0);
        expect(cut.outcome).toBe('cancel');
        expect(interrupt.crossfadeMs).toBeGreaterThan(0);
      }
      expect(kicker.actualAt).toBeGreaterThanOrEqual(interrupt.beatAt! - 1e-6);
      const turn = ofType(events, 'turn-end').find((event) => event.turnId === interrupt.turnId)!;
      expect(turn).toMatchObject({ outcome: 'interrupted', interruptedBy: interrupt.agentId });
    }
    expect(summarizeConversation(events).interrupts).toMatchObject({ midWordCuts: 0, unguardedCommits: 0 });
    expectCleanFloor(events);
  });
});
