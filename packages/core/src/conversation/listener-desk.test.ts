import { EMPTY, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ListenContext, ListenerReaction } from './agent';
import { clauseMarkedTts, offlineDebaters, runDebate } from './conversation.test-support';
import type { ConversationBeatEvent, InterruptEvent } from './conversation-events';
import { presets } from './conversation-preset';

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

const wordsIn = (text: string) => text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;

describe('listeners react to something heard', () => {
  // Parameters: seeds 1..10, the four offline debaters, `debate_snappy` (minHeardWords 6), 3 minutes.
  it('no interjection plays before a complete sentence and six words of the turn were heard', () => {
    let played = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const { events } = runDebate(seed);
      const heard = new Map<string, string[]>();
      for (const event of events) {
        if (event.type === 'segment-end' && event.kind === 'turn' && event.heardText.length > 0) {
          heard.set(event.turnId, [...(heard.get(event.turnId) ?? []), event.heardText]);
        }
        if (event.type === 'interjection' && event.outcome === 'played') {
          played++;
          const before = heard.get(event.turnId) ?? [];
          expect(before.length).toBeGreaterThanOrEqual(1);
          expect(wordsIn(before.join(' '))).toBeGreaterThanOrEqual(6);
        }
      }
    }
    expect(played).toBeGreaterThan(10);
  }, 60_000);

  it('listeners are asked only with the heard words the preset requires', () => {
    const contexts: ListenContext[] = [];
    const agents = offlineDebaters(3).map((agent) => {
      const interject = agent.interject.bind(agent);
      agent.interject = (context: ListenContext): Observable<ListenerReaction> => {
        contexts.push(context);
        return context.beat.kind === 'sentence' ? interject(context) : EMPTY;
      };
      return agent;
    });
    const preset = {
      ...presets.debateSnappy,
      interjection: { ...presets.debateSnappy.interjection, minHeardWords: 12 },
    };
    runDebate(3, { agents, preset, maxDurationMs: 90_000 });
    expect(contexts.length).toBeGreaterThan(5);
    for (const context of contexts) expect(wordsIn(context.heardText)).toBeGreaterThanOrEqual(12);
  });
});
