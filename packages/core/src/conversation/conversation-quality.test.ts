import { describe, expect, it } from 'vitest';
import { runDebate } from './conversation.test-support';
import type { ConversationEvent } from './conversation-events';
import { summarizeConversation } from './summarize-conversation';

/**
 * Conversation quality over 50 seeded simulated debates (TARGETS.md, "Conversation quality").
 * Parameters: seeds 1..50, four offline debaters (for, against, neutral, against), the
 * `debate_snappy` preset, simulated TTS (first chunk log-normal, median 150 ms), 3 minutes of
 * audio each, 16 kHz. The figures are printed; the assertions are the targets.
 */
describe('conversation quality over 50 seeded debates', () => {
  it('meets the turn-taking, overlap, interjection, fairness and interrupt targets', () => {
    const gaps: number[] = [];
    const modes: number[] = [];
    let overlapMs = 0;
    let talkMs = 0;
    let turns = 0;
    let interjections = 0;
    let committed = 0;
    let crossfaded = 0;
    let fallenBack = 0;
    let midWordCuts = 0;
    let unguarded = 0;
    const jains: number[] = [];
    const fallbackReasons: Record<string, number> = {};
    const interjectionsBy: Record<string, number> = {};
    let sameListenerInARow = 0;
    let monopolizedDebates = 0;
    let repeatedLines = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const { events } = runDebate(seed, { maxDurationMs: 180_000 });
      const summary = summarizeConversation(events);
      for (const turn of summary.turns) if (turn.gapMs !== null) gaps.push(turn.gapMs);
      modes.push(summary.handoffGaps.modeBinStartMs);
      overlapMs += summary.overlap.overlapMs;
      talkMs += summary.overlap.talkMs;
      turns += summary.turns.filter((turn) => turn.startedAt !== null).length;
      interjections += summary.interjections.played;
      committed += summary.interrupts.committed;
      crossfaded += events.filter(
        (event) => event.type === 'interrupt' && event.outcome === 'committed' && event.crossfadeMs > 0,
      ).length;
      fallenBack += summary.interrupts.fallenBack;
      midWordCuts += summary.interrupts.midWordCuts;
      unguarded += summary.interrupts.unguardedCommits;
      jains.push(summary.fairness.jain);
      const spread = interjectionSpread(events);
      for (const [agentId, count] of Object.entries(spread.byAgent)) {
        interjectionsBy[agentId] = (interjectionsBy[agentId] ?? 0) + count;
      }
      sameListenerInARow += spread.sameListenerInARow;
      repeatedLines += spread.repeatedLines;
      if (spread.played >= 3 && Object.keys(spread.byAgent).length === 1) monopolizedDebates++;
      for (const [reason, count] of Object.entries(summary.interrupts.fallbackReasons)) {
        fallbackReasons[reason] = (fallbackReasons[reason] ?? 0) + count;
      }
      // Every interrupt the policy allowed ended one way or the other.
      const allowed = events.filter(
        (event): event is Extract<ConversationEvent, { type: 'interrupt-decision' }> =>
          event.type === 'interrupt-decision' && event.decision.allowed,
      );
      const outcomes = events.filter((event) => event.type === 'interrupt');
      expect(outcomes).toHaveLength(allowed.length);
    }
    gaps.sort((a, b) => a - b);
    const histogram = new Map<number, number>();
    for (const gap of gaps)
      histogram.set(Math.floor(gap / 100) * 100, (histogram.get(Math.floor(gap / 100) * 100) ?? 0) + 1);
    const mode = [...histogram].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    const p95 = gaps[Math.ceil(0.95 * gaps.length) - 1]!;
    const overlap = overlapMs / talkMs;
    const interjectionShare = interjections / (turns + interjections);
    const minJain = Math.min(...jains);
    const topListenerShare = Math.max(...Object.values(interjectionsBy)) / interjections;
    const figures = {
      debates: 50,
      turns,
      handoffGapModeBinMs: `${mode}–${mode + 100}`,
      handoffGapP50Ms: Math.round(gaps[Math.ceil(0.5 * gaps.length) - 1]!),
      handoffGapP95Ms: Math.round(p95),
      overlapPercent: +(overlap * 100).toFixed(2),
      interjections,
      interjectionSharePercent: +(interjectionShare * 100).toFixed(1),
      interjectionsByListener: interjectionsBy,
      topListenerSharePercent: +(topListenerShare * 100).toFixed(1),
      sameListenerInARow,
      monopolizedDebates,
      repeatedInterjectionLines: repeatedLines,
      jainMin: +minJain.toFixed(3),
      jainMean: +(jains.reduce((sum, value) => sum + value, 0) / jains.length).toFixed(3),
      interruptsCommitted: committed,
      interruptsCrossfadedPercent: +((100 * crossfaded) / Math.max(1, committed)).toFixed(1),
      interruptsFallenBack: fallenBack,
      fallbackReasons,
      midWordCuts,
      unguardedCommits: unguarded,
    };
    console.log('conversation quality (50 debates × 3 min):', JSON.stringify(figures, null, 2));
    expect(mode).toBeGreaterThanOrEqual(0);
    expect(mode).toBeLessThan(300);
    expect(p95).toBeLessThan(1000);
    expect(overlap).toBeLessThanOrEqual(0.1);
    expect(interjectionShare).toBeLessThanOrEqual(0.2);
    // Interjections come from several voices. An even share is 25 %; Bruno, the most assertive,
    // reacts most and may lead (importance still decides), but not by as much as first come,
    // first served gave him (36.1 % of 144; now 32.6 % of 138). 35 % leaves room for tuning.
    expect(topListenerShare).toBeLessThanOrEqual(0.35);
    // Back-to-back interjections by one listener were 24 of 144; now 2.
    expect(sameListenerInARow / interjections).toBeLessThanOrEqual(0.05);
    // No debate with three or more interjections has them all from one listener (was 2).
    expect(monopolizedDebates).toBe(0);
    expect(repeatedLines).toBe(0);
    // TARGETS.md asks Jain ≥ 0.95 after 200 turns (checked below); every 3-minute debate (≈ 17
    // turns) meets it too.
    expect(minJain).toBeGreaterThanOrEqual(0.95);
    expect(midWordCuts).toBe(0);
    expect(unguarded).toBe(0);
    expect(committed).toBeGreaterThan(0);
    // Cuts land in pauses with room for a crossfade: most committed interrupts are crossfaded.
    expect(crossfaded / committed).toBeGreaterThan(0.5);
  }, 120_000);

  // Parameters: seeds 1..3, the same four debaters and preset, 200 turns each (≈ 35 minutes).
  it("keeps Jain's fairness on share/target ≥ 0.95 after 200 turns", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const { events } = runDebate(seed, { maxDurationMs: Number.POSITIVE_INFINITY, maxTurns: 200 });
      const summary = summarizeConversation(events);
      expect(summary.turns.length).toBe(200);
      expect(summary.fairness.jain).toBeGreaterThanOrEqual(0.95);
      // Interjection lines stay varied over a long debate: no agent repeats one of its last four
      // (first come, first served from the corpus gave 20 such repeats in these three debates).
      expect(interjectionSpread(events).repeatedLines).toBe(0);
    }
  }, 60_000);
});

/** Who made a debate's played interjections, and how varied their lines were. */
function interjectionSpread(events: readonly ConversationEvent[]): {
  played: number;
  byAgent: Record<string, number>;
  /** Interjections by the same listener as the one before. */
  sameListenerInARow: number;
  /** Interjections repeating one of the agent's own last four lines. */
  repeatedLines: number;
} {
  const byAgent: Record<string, number> = {};
  const lines: Record<string, string[]> = {};
  let played = 0;
  let sameListenerInARow = 0;
  let repeatedLines = 0;
  let previous: string | undefined;
  for (const event of events) {
    if (event.type !== 'interjection' || event.outcome !== 'played') continue;
    played++;
    byAgent[event.agentId] = (byAgent[event.agentId] ?? 0) + 1;
    if (event.agentId === previous) sameListenerInARow++;
    previous = event.agentId;
    const own = lines[event.agentId] ?? [];
    if (own.slice(-4).includes(event.text)) repeatedLines++;
    own.push(event.text);
    lines[event.agentId] = own;
  }
  return { played, byAgent, sameListenerInARow, repeatedLines };
}
