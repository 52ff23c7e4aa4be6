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
});
