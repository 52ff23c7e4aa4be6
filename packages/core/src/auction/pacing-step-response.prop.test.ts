import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacingController, pacingSettlingTurns } from './pacing-controller';
import type { TalkShareSource } from './talk-share-window';

/*
 * EMA step response, noise-free.
 * Parameters: numRuns 1000; smoothing λ in [0.02, 1]; step size e₀ in [0.01, 0.5]; tolerance ε in
 * [1e-4, e₀); a constant share and a target that steps by e₀ at turn 0 (the error had settled at 0).
 * After n = ⌈ln(ε/e₀)/ln(1 − λ)⌉ updates the EMA is within ε of its new fixed point (share − new
 * target); after n − 1 it is not, whenever the bound is not tight to rounding ((1−λ)^(n−1)·e₀
 * more than ε·(1 + 1e-9)).
 */

function fixedSource(share: number, target: number): TalkShareSource {
  return { agentIds: ['agent'], shareOf: () => share, targetOf: () => target };
}

describe('pacing EMA step response', () => {
  it('settles within ⌈ln(ε/e₀)/ln(1−λ)⌉ turns, and not one turn sooner', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.999, noNaN: true }),
        fc.boolean(),
        (smoothing, step, toleranceFraction, upward) => {
          const tolerance = Math.max(1e-4, step * toleranceFraction);
          fc.pre(tolerance < step);
          const share = 0.5;
          // Before the step the share sat on its target (error 0); the target now moves by ±e₀.
          const newTarget = upward ? share - step : share + step;
          const fixedPoint = share - newTarget;
          const turns = pacingSettlingTurns({ smoothing, initialError: step, tolerance });
          const pacing = new PacingController({ smoothing });
          const source = fixedSource(share, newTarget);
          const distances: number[] = [Math.abs(pacing.errorOf('agent') - fixedPoint)];
          for (let n = 1; n <= turns; n++) {
            pacing.update(source);
            distances.push(Math.abs(pacing.errorOf('agent') - fixedPoint));
          }
          expect(distances[turns]).toBeLessThanOrEqual(tolerance * (1 + 1e-9));
          const bound = (1 - smoothing) ** (turns - 1) * step;
          if (turns >= 1 && bound > tolerance * (1 + 1e-9)) {
            expect(distances[turns - 1]).toBeGreaterThan(tolerance);
          }
          // And the distance follows (1 − λ)ⁿ·e₀ exactly, up to rounding.
          for (let n = 0; n <= turns; n++) {
            expect(distances[n]).toBeCloseTo((1 - smoothing) ** n * step, 12);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('counts 0 turns when the step is already within tolerance, and 1 turn at λ = 1', () => {
    expect(pacingSettlingTurns({ smoothing: 0.3, initialError: 0.01, tolerance: 0.02 })).toBe(0);
    expect(pacingSettlingTurns({ smoothing: 1, initialError: 0.5, tolerance: 0.001 })).toBe(1);
    expect(pacingSettlingTurns({ smoothing: 0.3, initialError: 0.2, tolerance: 0.01 })).toBe(9);
    expect(pacingSettlingTurns({ smoothing: 0.5, initialError: -0.4, tolerance: 0.05 })).toBe(3);
  });
});
