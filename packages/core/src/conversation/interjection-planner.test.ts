import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { InterjectionPlanner } from './interjection-planner';

const options = {
  threshold: 0.5,
  cooldownMs: 10_000,
  globalCooldownMs: 2_000,
  perAgentQuota: 2,
  quotaWindowMs: 60_000,
  maxShare: 0.5,
  maxCharacters: 20,
  // The listener balance is tested on its own below.
  lastListenerPenalty: 0,
  balancePenalty: 0,
};

function propose(planner: InterjectionPlanner, agentId: string, at: number, importance = 0.8) {
  return planner.consider({ agentId, interjectionType: 'support', text: '"Exactly."', importance, at });
}

describe('InterjectionPlanner', () => {
  it('accepts an important interjection and sanitizes its text', () => {
    const planner = new InterjectionPlanner(options);
    planner.recordTurn();
    expect(propose(planner, 'ada', 1000)).toMatchObject({
      accepted: true,
      reason: 'accepted',
      text: 'Exactly.',
    });
    expect(propose(planner, 'ada', 1000, 0.4)).toMatchObject({ accepted: false, reason: 'below-threshold' });
    expect(
      planner.consider({
        agentId: 'ada',
        interjectionType: 'clarify',
        text: '<speak></speak>',
        importance: 1,
        at: 1,
      }),
    ).toMatchObject({ accepted: false, reason: 'empty' });
  });

  it('holds each agent to its cooldown and everyone to the global cooldown', () => {
    const planner = new InterjectionPlanner(options);
    for (let i = 0; i < 10; i++) planner.recordTurn();
    planner.recordInterjection('ada', 1000);
    expect(propose(planner, 'ada', 5000)).toMatchObject({ reason: 'cooldown', retryAt: 11_000 });
    expect(propose(planner, 'bruno', 2500)).toMatchObject({ reason: 'global-cooldown', retryAt: 3000 });
    expect(propose(planner, 'bruno', 3000).accepted).toBe(true);
    expect(propose(planner, 'ada', 11_000).accepted).toBe(true);
  });

  it('enforces the quota per sliding window', () => {
    const planner = new InterjectionPlanner(options);
    for (let i = 0; i < 10; i++) planner.recordTurn();
    planner.recordInterjection('ada', 0);
    planner.recordInterjection('ada', 20_000);
    expect(propose(planner, 'ada', 40_000)).toMatchObject({ reason: 'quota', retryAt: 60_000 });
    expect(propose(planner, 'ada', 60_000).accepted).toBe(true);
  });

  it('keeps interjections within their share of contributions', () => {
    const planner = new InterjectionPlanner({ ...options, maxShare: 0.2 });
    for (let i = 0; i < 4; i++) planner.recordTurn();
    expect(propose(planner, 'ada', 0).accepted).toBe(true); // 1 of 5 = 20 %
    planner.recordInterjection('ada', 0);
    expect(propose(planner, 'bruno', 100_000)).toMatchObject({ accepted: false, reason: 'share' }); // 2 of 6
    planner.recordTurn();
    planner.recordTurn();
    planner.recordTurn();
    planner.recordTurn();
    expect(propose(planner, 'bruno', 100_000).accepted).toBe(true); // 2 of 10
  });

  it('rejects bad options and proposals', () => {
    expect(() => new InterjectionPlanner({ ...options, threshold: 2 })).toThrow(InvalidArgumentError);
    expect(() => new InterjectionPlanner({ ...options, perAgentQuota: 1.5 })).toThrow(/perAgentQuota/);
    const planner = new InterjectionPlanner(options);
    expect(() => propose(planner, '', 0)).toThrow(InvalidArgumentError);
    expect(() => propose(planner, 'ada', 0, Number.NaN)).toThrow(/importance/);
  });

  it('refuses a line the agent played among its last few interjections', () => {
    const planner = new InterjectionPlanner({
      ...options,
      cooldownMs: 0,
      globalCooldownMs: 0,
      perAgentQuota: 100,
      maxShare: 1,
      repeatGuardLines: 2,
    });
    const say = (agentId: string, text: string, at: number) =>
      planner.consider({ agentId, interjectionType: 'challenge', text, importance: 0.9, at });
    planner.recordInterjection('ada', 0, 'Come on.');
    expect(say('ada', 'come ON!', 1)).toMatchObject({ accepted: false, reason: 'repeat' });
    expect(say('bruno', 'Come on.', 1).accepted).toBe(true); // another agent may say it
    planner.recordInterjection('ada', 2, 'Says who?');
    planner.recordInterjection('ada', 3, 'Hardly.');
    expect(say('ada', 'Come on.', 4).accepted).toBe(true); // out of the last two
    expect(say('ada', 'Says who?', 4).reason).toBe('repeat');
    // Without a recorded text nothing is guarded.
    const blind = new InterjectionPlanner({ ...options, repeatGuardLines: 4 });
    for (let i = 0; i < 4; i++) blind.recordTurn();
    blind.recordInterjection('ada', 0);
    expect(
      blind.consider({
        agentId: 'ada',
        interjectionType: 'support',
        text: 'Right.',
        importance: 0.9,
        at: 50_000,
      }).reason,
    ).toBe('accepted');
  });

  it('raises the threshold for the last interjector and for an excess share, deterministically', () => {
    const planner = new InterjectionPlanner({
      ...options,
      cooldownMs: 0,
      globalCooldownMs: 0,
      perAgentQuota: 100,
      maxShare: 1,
      lastListenerPenalty: 0.1,
      balancePenalty: 1,
    });
    for (const agentId of ['ada', 'bruno', 'chen', 'dara'])
      expect(propose(planner, agentId, 0).threshold).toBe(0.5);
    planner.recordInterjection('ada', 0);
    // Ada: 0.5 + 0.1 (last) + 1 × ((1 + 1) / (1 + 4) − 1/4) = 0.75; the others hold their even share.
    expect(propose(planner, 'ada', 10, 0.7)).toMatchObject({ accepted: false, reason: 'below-threshold' });
    expect(propose(planner, 'ada', 10, 0.7).threshold).toBeCloseTo(0.75, 10);
    expect(propose(planner, 'bruno', 10, 0.7)).toMatchObject({ accepted: true, threshold: 0.5 });
    // Importance still decides: an important enough line from Ada passes.
    expect(propose(planner, 'ada', 10, 0.8).accepted).toBe(true);
    planner.recordInterjection('bruno', 20);
    // Ada is no longer the last one: 0.5 + ((1 + 1) / (2 + 4) − 1/4) ≈ 0.583.
    expect(propose(planner, 'ada', 30, 0.7)).toMatchObject({ accepted: true });
    expect(propose(planner, 'ada', 30, 0.7).threshold).toBeCloseTo(0.5 + 2 / 6 - 0.25, 10);
    expect(propose(planner, 'chen', 30, 0.7).threshold).toBe(0.5);
    // Capped at 1: a monopolist still passes with importance 1.
    for (let i = 0; i < 20; i++) planner.recordInterjection('dara', 40 + i);
    expect(propose(planner, 'dara', 100, 1)).toMatchObject({ accepted: true, threshold: 1 });
  });

  it('rejects bad balance options', () => {
    expect(() => new InterjectionPlanner({ ...options, repeatGuardLines: -1 })).toThrow(/repeatGuardLines/);
    expect(() => new InterjectionPlanner({ ...options, lastListenerPenalty: 1.5 })).toThrow(
      /lastListenerPenalty/,
    );
    expect(() => new InterjectionPlanner({ ...options, balancePenalty: Number.NaN })).toThrow(
      /balancePenalty/,
    );
  });
});
