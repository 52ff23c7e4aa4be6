import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { runDebate } from './conversation.test-support';
import type { ConversationEvent } from './conversation-events';
import { summarizeConversation } from './summarize-conversation';

describe('summarizeConversation', () => {
  it('adds up talk, shares, gaps and counts consistently with the log', () => {
    const { events } = runDebate(31, { maxDurationMs: 120_000 });
    const summary = summarizeConversation(events);
    const turnStarts = events.filter((event) => event.type === 'turn-start');
    expect(summary.turns.filter((turn) => turn.startedAt !== null)).toHaveLength(turnStarts.length);
    expect(summary.handoffGaps.count).toBe(turnStarts.length - 1);
    const histogramTotal = Object.values(summary.handoffGaps.histogram).reduce(
      (sum, count) => sum + count,
      0,
    );
    expect(histogramTotal).toBe(summary.handoffGaps.count);
    expect(summary.agents.reduce((sum, agent) => sum + agent.share, 0)).toBeCloseTo(1, 9);
    // Voiced time: the turns' spans minus their sentence gaps, plus nothing outside them.
    const turnTalk = summary.agents.reduce((sum, agent) => sum + agent.talkMs, 0);
    expect(summary.overlap.talkMs).toBeLessThanOrEqual(turnTalk + 1e-6);
    expect(summary.overlap.talkMs).toBeGreaterThan(0.8 * turnTalk);
    expect(summary.transcript.map((line) => line.at)).toEqual(
      [...summary.transcript.map((line) => line.at)].sort((a, b) => a - b),
    );
    expect(summary.transcript.filter((line) => line.kind === 'interjection')).toHaveLength(
      summary.interjections.played,
    );
    expect(summary.endReason).toBe('max-duration');
    expect(summary.auctionCount).toBe(events.filter((event) => event.type === 'auction').length);
    expect(JSON.parse(JSON.stringify(summary)).topic).toBe('Should cities ban cars from their centres?');
  });

  it('counts a cut inside a word, and a commit without guard or ready audio', () => {
    const { events } = runDebate(32, { maxDurationMs: 30_000 });
    const summary = summarizeConversation(events);
    expect(summary.interrupts.midWordCuts).toBe(0);
    const start = events.find((event) => event.type === 'segment-start' && event.kind === 'turn')!;
    const words = events.filter(
      (event): event is Extract<ConversationEvent, { type: 'beat' }> =>
        event.type === 'beat' &&
        event.segmentId === (start as { segmentId: string }).segmentId &&
        event.kind === 'word',
    );
    const word = words[1]!;
    const base = {
      at: 0,
      sequence: 0,
      turnId: 'turn-1',
      agentId: 'ada',
      kind: 'turn' as const,
      heardText: '',
      startedAt: 0,
    };
    const forged: ConversationEvent[] = [
      ...events.filter((event) => event.type !== 'end'),
      {
        ...base,
        type: 'segment-end',
        segmentId: word.segmentId,
        outcome: 'cancel',
        reason: 'stop-at-beat',
        playedMs: word.offsetMs + word.durationMs / 2,
      },
      {
        type: 'interrupt',
        at: 0,
        sequence: 0,
        interruptId: 'interrupt-9',
        agentId: 'bruno',
        speakerId: 'ada',
        turnId: 'turn-1',
        outcome: 'committed',
        reason: 'audio-ready',
        segmentId: word.segmentId,
        beatIndex: 3,
        beatText: 'x',
        beatAt: 1000,
        decidedAt: 500,
        commitGuardMs: 900,
        readyBy: 900,
        audioReadyAt: 800,
        crossfadeMs: 40,
        fee: 2,
        kickerSegmentId: 'segment-99',
      },
    ];
    const forgedSummary = summarizeConversation(forged);
    expect(forgedSummary.interrupts.midWordCuts).toBe(1);
    expect(forgedSummary.interrupts.unguardedCommits).toBe(1);
  });

  it('rejects a log without its start', () => {
    expect(() => summarizeConversation([])).toThrow(InvalidArgumentError);
    expect(() => summarizeConversation('x' as never)).toThrow(/array/);
  });
});
