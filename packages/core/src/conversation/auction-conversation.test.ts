import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { SimAudioController } from '../controller/sim-audio-controller';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { AuctionConversation } from './auction-conversation';
import { offlineDebaters, runDebate } from './conversation.test-support';
import type { ConversationEvent } from './conversation-events';
import { presets } from './conversation-preset';
import { SimulatedTtsModel } from './simulated-tts-model';

function ofType<T extends ConversationEvent['type']>(events: ConversationEvent[], type: T) {
  return events.filter((event): event is Extract<ConversationEvent, { type: T }> => event.type === type);
}

describe('AuctionConversation', () => {
  it('runs auctions, turns and pacing in order, then ends and completes', () => {
    const { events, completed } = runDebate(3, { maxDurationMs: 90_000 });
    expect(completed).toBe(true);
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('end');
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index));
    const auctions = ofType(events, 'auction');
    const starts = ofType(events, 'turn-start');
    const ends = ofType(events, 'turn-end');
    expect(starts.length).toBeGreaterThanOrEqual(6);
    expect(ends.filter((end) => end.startedAt !== null)).toHaveLength(starts.length);
    for (const start of starts) {
      const auction = auctions.find((candidate) => candidate.turnId === start.turnId);
      if (start.cause === 'auction') {
        expect(auction?.winner).toBe(start.agentId);
        expect(auction!.sequence).toBeLessThan(start.sequence);
      }
      const end = ends.find((candidate) => candidate.turnId === start.turnId)!;
      expect(end.sequence).toBeGreaterThan(start.sequence);
      const pacing = ofType(events, 'pacing').find((candidate) => candidate.turnId === start.turnId);
      expect(pacing?.sequence).toBe(end.sequence + 1);
    }
    // Turn ids, auction ids and segment ids are deterministic counters.
    expect(starts[0]?.turnId).toBe('turn-1');
    expect(auctions[0]?.auctionId).toBe('auction-1');
    expect(ofType(events, 'segment-start')[0]?.segmentId).toBe('segment-1');
    const end = events.at(-1) as Extract<ConversationEvent, { type: 'end' }>;
    expect(end.reason).toBe('max-duration');
    expect(end.turns).toBeGreaterThanOrEqual(starts.length);
  });

  it('explains every auction: bids, multipliers, probabilities, talk shares; the winner pays its bid', () => {
    const { events } = runDebate(5, { maxDurationMs: 60_000 });
    for (const auction of ofType(events, 'auction')) {
      expect(auction.bids.map((bid) => bid.agentId)).toEqual(['ada', 'bruno', 'chen', 'dara']);
      const entry = auction.result.entries[auction.result.winnerIndex]!;
      expect(auction.price).toBe(entry.bid);
      const probabilities = auction.result.entries.reduce((sum, candidate) => sum + candidate.probability, 0);
      expect(probabilities).toBeCloseTo(1, 9);
      expect(Object.keys(auction.talkShares)).toHaveLength(4);
      for (const bid of auction.bids) expect(bid.amount).toBeLessThanOrEqual(bid.balance + 1e-9);
    }
    // The speaker on the floor is excluded from the next auction (no consecutive turns by default).
    const starts = ofType(events, 'turn-start');
    for (let i = 1; i < starts.length; i++) expect(starts[i]!.agentId).not.toBe(starts[i - 1]!.agentId);
  });

  it('reuses the reserve prefetch when the predicted agent wins', () => {
    const { events } = runDebate(2, { maxDurationMs: 120_000 });
    const auctions = ofType(events, 'auction');
    expect(auctions.some((auction) => auction.prefetch === 'hit')).toBe(true);
    for (const start of ofType(events, 'turn-start')) {
      const auction = auctions.find((candidate) => candidate.turnId === start.turnId);
      if (auction !== undefined) expect(start.prefetched).toBe(auction.prefetch === 'hit');
    }
  });

  it('plays interjections as ducked overlays under the speaker, through one lease at a time', () => {
    const { events } = runDebate(4, { maxDurationMs: 180_000 });
    const played = ofType(events, 'interjection').filter((event) => event.outcome === 'played');
    expect(played.length).toBeGreaterThan(0);
    const segmentStarts = ofType(events, 'segment-start');
    const segmentEnds = ofType(events, 'segment-end');
    for (const interjection of played) {
      expect(interjection.leaseId).toMatch(/^lease-\d+$/);
      expect(interjection.clipId).toMatch(/^clip-\d+$/);
      const start = segmentStarts.find((event) => event.segmentId === interjection.clipId)!;
      const end = segmentEnds.find((event) => event.segmentId === interjection.clipId)!;
      expect(start.kind).toBe('interjection');
      // It plays entirely inside one of the target's segments.
      const host = segmentStarts.find(
        (event) =>
          event.kind === 'turn' &&
          event.agentId === interjection.targetAgentId &&
          event.actualAt <= start.actualAt &&
          segmentEnds.some(
            (candidate) =>
              candidate.segmentId === event.segmentId &&
              event.actualAt + candidate.playedMs >= start.actualAt + end.playedMs,
          ),
      );
      expect(host).toBeDefined();
    }
  });

  it('emits contiguous audio from the start to the end', () => {
    const { events, audio } = runDebate(6, { maxDurationMs: 30_000 });
    const total = audio.reduce((sum, samples) => sum + samples.length, 0);
    const end = events.at(-1)!;
    expect(total).toBe(Math.round(((end.at - events[0]!.at) * 16000) / 1000));
    expect(audio.some((samples) => samples.some((value) => value !== 0))).toBe(true);
  });

  it('stops everything when the last subscriber leaves', () => {
    const clock = createVirtualClock();
    const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
    const conversation = new AuctionConversation({
      agents: offlineDebaters(1),
      tts: new SimulatedTtsModel({ seed: 1 }),
      controller,
      scheduler: clock.scheduler,
      maxDurationMs: 600_000,
    });
    const events: ConversationEvent[] = [];
    const subscription = conversation.events$.subscribe((event) => events.push(event));
    clock.advanceBy(20_000);
    expect(events.some((event) => event.type === 'turn-start')).toBe(true);
    subscription.unsubscribe();
    const count = events.length;
    clock.flush(); // nothing is left scheduled: flush returns
    expect(events).toHaveLength(count);
    expect(controller.state.segments).toHaveLength(0);
    expect(clock.now()).toBeLessThan(25_000);
  });

  it('replays the whole log to a late subscriber', () => {
    const run = runDebate(7, { maxDurationMs: 20_000 });
    const replayed: ConversationEvent[] = [];
    run.conversation.events$.subscribe((event) => replayed.push(event));
    expect(replayed).toEqual(run.events);
    expect(run.conversation.events).toEqual(run.events);
  });

  it('rejects bad options with typed errors that name the option', () => {
    const clock = createVirtualClock();
    const controller = new SimAudioController({ sampleRate: 16000, scheduler: clock.scheduler });
    const tts = new SimulatedTtsModel();
    const agents = offlineDebaters(1);
    const make = (options: object) => () =>
      new AuctionConversation({ agents, tts, controller, maxTurns: 3, ...options } as never);
    expect(make({ agents: agents.slice(0, 1) })).toThrow(InvalidArgumentError);
    expect(make({ agents: [agents[0], agents[0]] })).toThrow(/duplicate agent id "ada"/);
    expect(make({ tts: { ada: tts } })).toThrow(/tts\.bruno/);
    expect(make({ maxTurns: 0 })).toThrow(/maxTurns/);
    expect(make({ maxTurns: undefined })).toThrow(/limit/);
    expect(make({ preset: 'debate_fast' })).toThrow(/debate_snappy/);
    expect(make({ seed: 1.5 })).toThrow(/seed/);
    const pacing = (smoothing: number, gain: number) => ({
      preset: { ...presets.debateSnappy, pacing: { smoothing, gain } },
    });
    expect(make(pacing(0, 15))).toThrow(/preset\.pacing\.smoothing/);
    expect(make(pacing(1, -1))).toThrow(/preset\.pacing\.gain/);
  });

  it('stops after maxTurns turns', () => {
    const { events } = runDebate(8, { maxDurationMs: undefined, maxTurns: 5 });
    expect(ofType(events, 'turn-start')).toHaveLength(5);
    expect((events.at(-1) as Extract<ConversationEvent, { type: 'end' }>).reason).toBe('max-turns');
  });

  // Parameters: seeds 1..20, six turns each (in seeds 7 and 17 a listener wants to interrupt the
  // sixth turn: it is not asked, and no seventh turn starts).
  it('lets no interrupt add a turn past maxTurns', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { events } = runDebate(seed, { maxDurationMs: undefined, maxTurns: 6 });
      expect(ofType(events, 'turn-start')).toHaveLength(6);
      expect(ofType(events, 'turn-start').at(-1)?.turnId).toBe('turn-6');
    }
  });
});
