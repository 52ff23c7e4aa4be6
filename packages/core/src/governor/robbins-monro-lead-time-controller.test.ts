import { describe, expect, it } from 'vitest';
import { AimdLeadTimeController } from './aimd-lead-time-controller';
import { createLeadTimeController } from './create-lead-time-controller';
import { RobbinsMonroLeadTimeController } from './robbins-monro-lead-time-controller';

describe('RobbinsMonroLeadTimeController', () => {
  it('moves ln(lead) by γ_t·(miss − p) with a decaying gain and a floor', () => {
    const controller = new RobbinsMonroLeadTimeController({
      initialGain: 0.5,
      gainDecayExponent: 1,
      minimumGain: 0.2,
      initialLeadTimeMs: 400,
    });
    expect(controller.observe({ hit: false })).toBeCloseTo(400 * Math.exp(0.5 * 0.95), 9);
    expect(controller.gain).toBe(0.25);
    expect(controller.observe({ hit: true })).toBeCloseTo(400 * Math.exp(0.5 * 0.95 - 0.25 * 0.05), 9);
    expect(controller.gain).toBe(0.2); // 0.5/3 is below the floor
  });

  it('rejects a zero lead time and bad gains', () => {
    expect(() => new RobbinsMonroLeadTimeController({ initialLeadTimeMs: 0 })).toThrowError(
      /positive lead time/,
    );
    expect(() => new RobbinsMonroLeadTimeController({ initialGain: 0 })).toThrowError(/initialGain/);
    expect(() => new RobbinsMonroLeadTimeController({ gainDecayExponent: 2 })).toThrowError(
      /gainDecayExponent/,
    );
  });
});

describe('createLeadTimeController', () => {
  it('builds the chosen strategy, AIMD by default', () => {
    expect(createLeadTimeController()).toBeInstanceOf(AimdLeadTimeController);
    expect(createLeadTimeController({ strategy: 'robbins-monro' })).toBeInstanceOf(
      RobbinsMonroLeadTimeController,
    );
    expect(() => createLeadTimeController({ strategy: 'pid' as 'aimd' })).toThrowError(/strategy/);
  });
});
