import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/index';
import { AimdLeadTimeController } from './aimd-lead-time-controller';
import type { BeatOutcome } from './lead-time-controller';

describe('AimdLeadTimeController', () => {
  it('adds increaseMs on a miss and takes u·p/(1−p) off on each hit (additive, k = 1)', () => {
    const controller = new AimdLeadTimeController({
      increase: 'additive',
      increaseMs: 19,
      initialLeadTimeMs: 400,
    });
    expect(controller.decreaseRatio).toBeCloseTo(0.05 / 0.95, 12);
    expect(controller.observe({ readyAtMs: 1001, deadlineMs: 1000 })).toBe(419);
    expect(controller.observe({ readyAtMs: 1000, deadlineMs: 1000 })).toBeCloseTo(418, 12); // on time is a hit
    expect(controller.observe({ hit: true, latencyMs: 120 })).toBeCloseTo(417, 12);
    expect(controller.beatCount).toBe(3);
    expect(controller.missCount).toBe(1);
    expect(controller.missRate).toBeCloseTo(1 / 3, 12);
  });

  it('multiplies by β on a miss and by β^(−r) after each streak (multiplicative, the default)', () => {
    const controller = new AimdLeadTimeController({
      increaseFactor: 1.5,
      hitStreak: 2,
      initialLeadTimeMs: 200,
    });
    const r = (1 - 0.95 ** 2) / 0.95 ** 2;
    expect(controller.decreaseRatio).toBeCloseTo(r, 12);
    expect(controller.observe({ hit: false })).toBe(300);
    expect(controller.observe({ hit: true })).toBe(300); // streak 1 of 2: no change
    expect(controller.observe({ hit: true })).toBeCloseTo(300 * 1.5 ** -r, 9);
    expect(controller.observe({ hit: true })).toBeCloseTo(300 * 1.5 ** -r, 9);
    expect(controller.observe({ hit: false })).toBeCloseTo(300 * 1.5 ** (1 - r), 9); // a miss resets the streak
    expect(controller.observe({ hit: true })).toBeCloseTo(300 * 1.5 ** (1 - r), 9);
  });

  it('clamps to its bounds', () => {
    const controller = new AimdLeadTimeController({
      increase: 'additive',
      increaseMs: 100,
      minLeadTimeMs: 50,
      maxLeadTimeMs: 250,
      initialLeadTimeMs: 200,
    });
    controller.observe({ hit: false });
    expect(controller.leadTimeMs).toBe(250);
    for (let i = 0; i < 1000; i++) controller.observe({ hit: true });
    expect(controller.leadTimeMs).toBe(50);
  });

  it('keeps its windowed miss rate over the last missRateWindow beats', () => {
    const controller = new AimdLeadTimeController({ missRateWindow: 4 });
    expect(controller.missRate).toBe(0);
    for (const hit of [false, false, true, true, true, true]) controller.observe({ hit });
    expect(controller.missRate).toBe(0);
    controller.observe({ hit: false });
    expect(controller.missRate).toBe(0.25);
    expect(controller.missCount).toBe(3);
  });

  it('is deterministic: the same outcomes give the same lead times', () => {
    const outcomes = Array.from({ length: 200 }, (_, i) => ({ hit: (i * 7) % 11 !== 0 }));
    const run = () => {
      const controller = new AimdLeadTimeController({ hitStreak: 3 });
      return outcomes.map((outcome) => controller.observe(outcome));
    };
    expect(run()).toEqual(run());
  });

  it('rejects bad options and outcomes', () => {
    expect(() => new AimdLeadTimeController({ targetMissRate: 0 })).toThrowError(/targetMissRate/);
    expect(() => new AimdLeadTimeController({ increaseFactor: 1 })).toThrowError(/increaseFactor/);
    expect(() => new AimdLeadTimeController({ hitStreak: 0 })).toThrowError(/hitStreak/);
    expect(() => new AimdLeadTimeController({ minLeadTimeMs: 100, maxLeadTimeMs: 50 })).toThrowError(
      /maxLeadTimeMs/,
    );
    expect(() => new AimdLeadTimeController({ initialLeadTimeMs: 9000 })).toThrowError(/initialLeadTimeMs/);
    expect(() => new AimdLeadTimeController({ maxLeadTimeMs: 0 })).toThrowError(/positive lead time/);
    expect(() => new AimdLeadTimeController({ increase: 'exponential' as 'additive' })).toThrowError(
      /increase/,
    );
    const controller = new AimdLeadTimeController();
    expect(() => controller.observe({ readyAtMs: Number.NaN, deadlineMs: 0 })).toThrowError(
      InvalidArgumentError,
    );
    expect(() => controller.observe({} as BeatOutcome)).toThrowError(/outcome/);
    expect(controller.beatCount).toBe(0);
  });
});
