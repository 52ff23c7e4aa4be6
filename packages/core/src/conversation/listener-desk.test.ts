import { describe, expect, it } from 'vitest';
import { clauseMarkedTts, runDebate } from './conversation.test-support';
import type { ConversationBeatEvent, InterruptEvent } from './conversation-events';

/** Punctuation that ends a clause. */
const CLAUSE_END = /[,;:—–]$|--$/u;

describe('interrupt cuts', () => {
  // Parameters: seeds 1..20, the four offline debaters, `debate_snappy`, 3 minutes each, a TTS
  // whose word marks are estimated and contiguous inside a clause (as mespeak's are).
  it('with estimated word marks, cut only at clause or sentence pauses, and crossfade at clause pauses', () => {
    const committed: InterruptEvent[] = [];
    let wordCuts = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { events } = runDebate(seed, { tts: clauseMarkedTts(seed) });
      const beats = events.filter((event): event is ConversationBeatEvent => event.type === 'beat');
      for (const event of events) {
        if (event.type !== 'interrupt' || event.outcome !== 'committed') continue;
        committed.push(event);
        if (event.beatIndex === null) continue;
        wordCuts++;
        // The word before the cut closes a clause: the speaker was cut in a real pause.
        const before = beats.find(
          (beat) => beat.segmentId === event.segmentId && beat.index === event.beatIndex! - 1,
        );
        expect(before?.kind).toBe('word');
        expect(before?.text).toMatch(CLAUSE_END);
        expect(event.crossfadeMs).toBeGreaterThanOrEqual(10);
      }
    }
    const crossfaded = committed.filter((event) => event.crossfadeMs > 0).length;
    console.log('estimated marks, 20 debates:', {
      committed: committed.length,
      wordCuts,
      boundaryCuts: committed.length - wordCuts,
      crossfaded,
    });
    expect(wordCuts).toBeGreaterThan(0);
    expect(crossfaded).toBe(wordCuts);
  }, 120_000);
});
