import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { UnknownAgentError } from './auction-errors';
import { TalkShareWindow } from './talk-share-window';

describe('TalkShareWindow', () => {
  it('computes time shares and normalised targets', () => {
    const talk = new TalkShareWindow({
      agents: ['alice', 'bob', 'carol'],
      targets: { alice: 2, bob: 1, carol: 1 },
    });
    talk.record({ agentId: 'alice', durationMs: 4000, at: 4000 });
    talk.record({ agentId: 'bob', durationMs: 2000, at: 6000 });
    talk.record({ agentId: 'carol', durationMs: 2000, at: 8000 });
    expect(talk.shares()).toEqual({ alice: 0.5, bob: 0.25, carol: 0.25 });
    expect(talk.targetOf('alice')).toBe(0.5);
    expect(talk.snapshot()).toMatchObject({ turns: 3, talkCounts: { alice: 1, bob: 1, carol: 1 } });
  });

  it('defaults to equal targets and zero shares while empty', () => {
    const talk = new TalkShareWindow({ agents: ['a', 'b', 'c', 'd'] });
    expect(talk.targetOf('c')).toBe(0.25);
    expect(talk.shares()).toEqual({ a: 0, b: 0, c: 0, d: 0 });
  });

  it('slides by turns', () => {
    const talk = new TalkShareWindow({ agents: ['a', 'b'], windowTurns: 3, measure: 'turns' });
    for (const [i, agentId] of ['a', 'a', 'a', 'b', 'b'].entries())
      talk.record({ agentId, durationMs: 1, at: i });
    expect(talk.turns).toBe(3);
    expect(talk.shareOf('a')).toBeCloseTo(1 / 3, 12);
    expect(talk.shareOf('b')).toBeCloseTo(2 / 3, 12);
  });

  it('slides by time: a turn that ended at or before now − windowMs is gone', () => {
    const talk = new TalkShareWindow({
      agents: ['a', 'b'],
      windowTurns: Number.POSITIVE_INFINITY,
      windowMs: 10_000,
    });
    talk.record({ agentId: 'a', durationMs: 3000, at: 3000 });
    for (let i = 0; i < 100; i++) talk.record({ agentId: 'b', durationMs: 10, at: 3001 + i });
    expect(talk.shareOf('a')).toBeCloseTo(3000 / 4000, 12);
    talk.advanceTo(12_999);
    expect(talk.turns).toBe(101);
    talk.advanceTo(13_000);
    expect(talk.turns).toBe(100);
    expect(talk.shareOf('a')).toBe(0);
    expect(talk.shareOf('b')).toBe(1);
    talk.advanceTo(20_000);
    expect(talk.shares()).toEqual({ a: 0, b: 0 });
  });

  it('falls back to turn counts when every turn in the window lasted 0 ms', () => {
    const talk = new TalkShareWindow({ agents: ['a', 'b'] });
    talk.record({ agentId: 'a', durationMs: 0, at: 0 });
    talk.record({ agentId: 'a', durationMs: 0, at: 0 });
    talk.record({ agentId: 'b', durationMs: 0, at: 0 });
    expect(talk.shareOf('a')).toBeCloseTo(2 / 3, 12);
  });

  it('adds agents with an equal share and updates targets', () => {
    const talk = new TalkShareWindow({ agents: ['a', 'b'] });
    talk.addAgent('c');
    expect(talk.targetOf('c')).toBeCloseTo(1 / 3, 12);
    talk.setTargets({ c: 2 });
    expect(talk.targetOf('c')).toBe(0.5);
    expect(talk.agentIds).toEqual(['a', 'b', 'c']);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => new TalkShareWindow({ agents: ['a', 'b'], targets: { a: 1 } })).toThrow(/every agent/);
    expect(() => new TalkShareWindow({ agents: ['a'], targets: { a: 0 } })).toThrow(InvalidArgumentError);
    expect(() => new TalkShareWindow({ agents: ['a'], targets: { a: 1, z: 1 } })).toThrow(UnknownAgentError);
    expect(() => new TalkShareWindow({ agents: ['a'], windowTurns: 0 })).toThrow(InvalidArgumentError);
    expect(() => new TalkShareWindow({ agents: ['a'], windowMs: -5 })).toThrow(InvalidArgumentError);
    expect(() => new TalkShareWindow({ agents: ['a'], measure: 'words' as never })).toThrow(
      InvalidArgumentError,
    );
    const talk = new TalkShareWindow({ agents: ['a'] });
    expect(() => talk.record({ agentId: 'z', durationMs: 1, at: 0 })).toThrow(UnknownAgentError);
    expect(() => talk.record({ agentId: 'a', durationMs: -1, at: 0 })).toThrow(InvalidArgumentError);
    talk.record({ agentId: 'a', durationMs: 1, at: 10 });
    expect(() => talk.record({ agentId: 'a', durationMs: 1, at: 5 })).toThrow(/backwards/);
  });

  it('keeps exact sums over long runs (no drift)', () => {
    const talk = new TalkShareWindow({ agents: ['a', 'b'], windowTurns: 7 });
    for (let i = 0; i < 10_000; i++)
      talk.record({ agentId: i % 3 === 0 ? 'a' : 'b', durationMs: 0.1 * (i % 11), at: i });
    for (let i = 0; i < 7; i++) talk.record({ agentId: 'b', durationMs: 0.3, at: 10_000 + i });
    expect(talk.shareOf('a')).toBe(0);
    expect(talk.shareOf('b')).toBe(1);
  });
});
