import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/virtual-clock';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ConversationContext, ListenContext, ListenerReaction, Persona, TranscriptEntry } from './agent';
import { OfflineDebateAgent } from './offline-debate-agent';

const personas: Record<string, Persona> = {
  ada: { name: 'Ada', stance: 'for' },
  bruno: { name: 'Bruno', stance: 'against' },
  chen: { name: 'Chen', stance: 'neutral' },
};

function context(agentId: string, transcript: TranscriptEntry[] = []): ConversationContext {
  const clock = createVirtualClock();
  return {
    topic: 'Should cities ban cars from their centres?',
    agentId,
    version: 0,
    now: 0,
    scheduler: clock.scheduler,
    turnCount: transcript.length,
    speakerId: transcript.at(-1)?.agentId ?? null,
    transcript,
    personas,
    balance: 6,
    talkShare: 0.3,
    targetShare: 1 / 3,
  };
}

function speak(agent: OfflineDebateAgent, base: ConversationContext): string[] {
  const clock = createVirtualClock();
  const deltas: string[] = [];
  agent
    .respond({ ...base, scheduler: clock.scheduler, turnId: 'turn-1', mode: 'turn', maxSentences: 3 })
    .subscribe((delta) => deltas.push(delta));
  clock.flush();
  return deltas.join('').split(/(?<=[.!?])\s+/u);
}

const entry = (agentId: string, text: string): TranscriptEntry => ({
  agentId,
  name: personas[agentId]!.name,
  kind: 'turn',
  turnId: 'turn-0',
  text,
  interrupted: false,
  at: 0,
});

describe('OfflineDebateAgent', () => {
  it('is deterministic from its seed', () => {
    const first = speak(
      new OfflineDebateAgent({ id: 'ada', persona: personas.ada!, seed: 5 }),
      context('ada'),
    );
    const again = speak(
      new OfflineDebateAgent({ id: 'ada', persona: personas.ada!, seed: 5 }),
      context('ada'),
    );
    const other = speak(
      new OfflineDebateAgent({ id: 'ada', persona: personas.ada!, seed: 6 }),
      context('ada'),
    );
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('never repeats a sentence over more than a 10-minute debate worth of turns', () => {
    const agent = new OfflineDebateAgent({ id: 'ada', persona: { ...personas.ada!, verbosity: 1 }, seed: 1 });
    const sentences: string[] = [];
    const speakers = ['bruno', 'chen'];
    for (let turn = 0; turn < 60; turn++) {
      const other = speakers[turn % 2]!;
      sentences.push(
        ...speak(agent, context('ada', [entry(other, 'The cost for small businesses is too high.')])),
      );
    }
    expect(sentences.length).toBeGreaterThan(120);
    expect(new Set(sentences).size).toBe(sentences.length);
    for (let i = 1; i < sentences.length; i++) expect(sentences[i]).not.toBe(sentences[i - 1]);
  });

  it('rebuts an opponent by name and on the aspect they raised, and argues its own side', () => {
    const agent = new OfflineDebateAgent({ id: 'ada', persona: personas.ada!, seed: 3 });
    const openers = Array.from(
      { length: 12 },
      () => speak(agent, context('ada', [entry('bruno', 'This would hurt small businesses badly.')]))[0]!,
    );
    expect(openers.filter((line) => !line.includes('Bruno'))).toEqual([]);
    expect(openers.some((line) => line.includes('small businesses'))).toBe(true);
    const against = new OfflineDebateAgent({ id: 'bruno', persona: personas.bruno!, seed: 3 });
    const theirs = Array.from({ length: 10 }, () => speak(against, context('bruno')).join(' ')).join(' ');
    const ours = Array.from({ length: 10 }, () => speak(agent, context('ada')).join(' ')).join(' ');
    expect(theirs).not.toEqual(ours);
    expect(`${ours} ${theirs}`).toMatch(/cars|cities|centres/u);
  });

  it('bids more against an opponent than after an ally, and within a short simulated latency', () => {
    const agent = new OfflineDebateAgent({ id: 'ada', persona: personas.ada!, seed: 9, bidLatencyMs: 50 });
    const total = (speakerId: string) => {
      let sum = 0;
      for (let i = 0; i < 200; i++) {
        const clock = createVirtualClock();
        agent
          .bid({ ...context('ada'), scheduler: clock.scheduler, speakerId, auctionId: 'auction-1' })
          .subscribe((bid) => {
            sum += bid.amount;
            expect(clock.now()).toBe(50);
          });
        clock.flush();
      }
      return sum;
    };
    expect(total('bruno')).toBeGreaterThan(total('chen'));
  });

  it('reacts at sentence beats: challenges opponents, never at word beats', () => {
    const agent = new OfflineDebateAgent({
      id: 'bruno',
      persona: { ...personas.bruno!, assertiveness: 1 },
      seed: 2,
      reactivity: 1,
    });
    const react = (speakerId: string, kind: 'word' | 'sentence'): ListenerReaction[] => {
      const clock = createVirtualClock();
      const listen: ListenContext = {
        ...context('bruno'),
        scheduler: clock.scheduler,
        speakerId,
        turnId: 'turn-1',
        heardText: 'Cars must go.',
        beat: { kind, text: 'Cars must go.', index: 0 },
        canInterrupt: false,
      };
      const out: ListenerReaction[] = [];
      agent.interject(listen).subscribe((reaction) => out.push(reaction));
      clock.flush();
      return out;
    };
    const opposed = Array.from({ length: 40 }, () => react('ada', 'sentence')).flat();
    expect(opposed.length).toBeGreaterThan(20);
    expect(opposed.every((reaction) => reaction.type === 'interjection')).toBe(true);
    expect(
      opposed.some(
        (reaction) => reaction.type === 'interjection' && reaction.interjectionType === 'challenge',
      ),
    ).toBe(true);
    expect(Array.from({ length: 20 }, () => react('ada', 'word')).flat()).toHaveLength(0);
    // Varied like a person: no line repeats one of its previous six interjection lines.
    const lines = opposed.map((reaction) => (reaction.type === 'interjection' ? reaction.text : ''));
    lines.forEach((line, index) => {
      expect(lines.slice(Math.max(0, index - 6), index)).not.toContain(line);
    });
    expect(new Set(lines).size).toBeGreaterThanOrEqual(8);
  });

  it('validates its persona', () => {
    expect(() => new OfflineDebateAgent({ id: 'x', persona: { name: '', stance: 'for' } })).toThrow(
      InvalidArgumentError,
    );
    expect(
      () => new OfflineDebateAgent({ id: 'x', persona: { name: 'X', stance: 'maybe' as never } }),
    ).toThrow(/stance/);
    expect(
      () => new OfflineDebateAgent({ id: 'x', persona: { name: 'X', stance: 'for', assertiveness: 2 } }),
    ).toThrow(/assertiveness/);
  });
});
