import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AgentBid, BidContext, RespondContext } from './agent';
import { offlineDebaters, runDebate } from './conversation.test-support';

describe('the reserve prefetch', () => {
  // Parameters: seeds 1..5, the four offline debaters, `debate_snappy`, 2 minutes each.
  it('starts with the bids, the AIMD lead time before the planned end, not when the text is complete', () => {
    let prefetched = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const bidsAt = new Map<string, number>();
      const responds: { agentId: string; turnId: string; at: number }[] = [];
      const agents = offlineDebaters(seed).map((agent) => {
        const bid = agent.bid.bind(agent);
        const respond = agent.respond.bind(agent);
        agent.bid = (context: BidContext): Observable<AgentBid> => {
          bidsAt.set(context.auctionId, Math.min(bidsAt.get(context.auctionId) ?? Infinity, context.now));
          return bid(context);
        };
        agent.respond = (context: RespondContext): Observable<string> => {
          responds.push({ agentId: agent.id, turnId: context.turnId, at: context.scheduler.now() });
          return respond(context);
        };
        return agent;
      });
      const { events } = runDebate(seed, { agents, maxDurationMs: 120_000 });
      events.forEach((event, index) => {
        if (event.type !== 'auction' || event.prefetch === 'none') return;
        const bidAt = bidsAt.get(event.auctionId);
        // The prefetched response: the first call for this turn id, made before the auction resolved.
        const call = responds.find((candidate) => candidate.turnId === event.turnId);
        // The floor turn's end, when its speaker's turn ended.
        const floorEnd = events
          .slice(index)
          .find((later) => later.type === 'turn-end' && later.agentId === event.speakerId);
        if (bidAt === undefined || call === undefined || floorEnd?.type !== 'turn-end') {
          throw new Error(`incomplete record for ${event.auctionId}`);
        }
        const endAt = (floorEnd.startedAt ?? 0) + floorEnd.talkMs;
        expect(call.at).toBeGreaterThanOrEqual(bidAt);
        expect(call.at).toBeLessThanOrEqual(event.at);
        // Requested about the lead time before the end (the plan estimates unsynthesized sentences).
        expect(call.at).toBeGreaterThanOrEqual(endAt - event.leadTimeMs - 250);
        prefetched++;
      });
    }
    expect(prefetched).toBeGreaterThan(20);
  }, 60_000);
});
