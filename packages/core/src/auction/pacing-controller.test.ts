import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { PacingController } from './pacing-controller';
import type { TalkShareSource } from './talk-share-window';

const source = (shares: Record<string, number>, targets: Record<string, number>): TalkShareSource => ({
  agentIds: Object.keys(shares),
  shareOf: (id) => shares[id] as number,
  targetOf: (id) => targets[id] as number,
});

describe('PacingController', () => {
  it('lowers the multiplier of an agent above target and raises it below', () => {
    const pacing = new PacingController();
    pacing.update(source({ alice: 0.8, bob: 0.2 }, { alice: 0.5, bob: 0.5 }));
    expect(pacing.errorOf('alice')).toBeCloseTo(0.3 * 0.3, 12);
    expect(pacing.multiplierOf('alice')).toBeLessThan(1);
    expect(pacing.multiplierOf('bob')).toBeGreaterThan(1);
    expect(pacing.multiplierOf('nobody')).toBe(1);
  });

  it('follows clamp(1 − k·(r ∓ δ), min, max) on the relative error with a deadband', () => {
    const pacing = new PacingController({
      smoothing: 1,
      gain: 10,
      deadband: 0.05,
      minMultiplier: 0.1,
      maxMultiplier: 3,
    });
    const at = (share: number, target = 0.2) => {
      pacing.update(source({ a: share }, { a: target }));
      return pacing.multiplierOf('a');
    };
    expect(at(0.2)).toBe(1);
    expect(at(0.209)).toBe(1); // r = 0.045, inside the band
    expect(at(0.22)).toBeCloseTo(1 - 10 * (0.1 - 0.05), 12); // r = 0.1
    expect(at(0.18)).toBeCloseTo(1 + 10 * (0.1 - 0.05), 12); // r = −0.1
    expect(at(0.5)).toBe(0.1); // clamped low
    expect(at(0)).toBe(3); // clamped high
    expect(at(0.2 * 1.05 + 1e-12)).toBeCloseTo(1, 9); // continuous at the band edge
  });

  it('treats any talk by a zero-target agent as far over target', () => {
    const pacing = new PacingController({ smoothing: 1 });
    pacing.update(source({ a: 0.1 }, { a: 0 }));
    expect(pacing.multiplierOf('a')).toBe(pacing.minMultiplier);
  });

  it('snapshots and resets', () => {
    const pacing = new PacingController({ smoothing: 0.5 });
    pacing.update(source({ a: 0.6, b: 0.4 }, { a: 0.5, b: 0.5 }));
    const { errors } = pacing.snapshot();
    expect(errors.a).toBeCloseTo(0.05, 12);
    expect(errors.b).toBeCloseTo(-0.05, 12);
    pacing.reset('a');
    expect(pacing.errorOf('a')).toBe(0);
    expect(pacing.errorOf('b')).toBeCloseTo(-0.05, 12);
    pacing.reset();
    expect(pacing.snapshot()).toEqual({ errors: {}, multipliers: {} });
  });

  it('validates options and sources', () => {
    expect(() => new PacingController({ smoothing: 0 })).toThrow(InvalidArgumentError);
    expect(() => new PacingController({ smoothing: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new PacingController({ minMultiplier: 2 })).toThrow(InvalidArgumentError);
    expect(() => new PacingController({ maxMultiplier: 0.5 })).toThrow(InvalidArgumentError);
    expect(() => new PacingController().update(source({ a: Number.NaN }, { a: 0.5 }))).toThrow(
      InvalidArgumentError,
    );
  });
});
