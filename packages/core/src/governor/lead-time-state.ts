import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertNumber } from '../internal/validate';
import type { BeatOutcome, LeadTimeControllerOptions } from './lead-time-controller';

/**
 * The bookkeeping every lead-time controller shares: validated bounds, the lead time, beat and miss
 * counts and the windowed miss rate. Allocation-free per beat.
 * @internal
 */
export class LeadTimeState {
  readonly targetMissRate: number;
  readonly minLeadTimeMs: number;
  readonly maxLeadTimeMs: number;
  /** Initialized with a number (not left undefined) so V8 stores it unboxed: no allocation per beat. */
  leadTimeMs = 0;
  beatCount = 0;
  missCount = 0;
  private readonly window: Uint8Array;
  private windowMisses = 0;

  constructor(options: LeadTimeControllerOptions) {
    this.targetMissRate = assertNumber('targetMissRate', options.targetMissRate ?? 0.05, {
      above: 0,
      max: 0.999,
    });
    this.minLeadTimeMs = assertNumber('minLeadTimeMs', options.minLeadTimeMs ?? 0, { min: 0 });
    this.maxLeadTimeMs = assertNumber('maxLeadTimeMs', options.maxLeadTimeMs ?? 5000, {
      min: this.minLeadTimeMs,
    });
    this.leadTimeMs =
      options.initialLeadTimeMs === undefined
        ? this.clamp(500)
        : assertNumber('initialLeadTimeMs', options.initialLeadTimeMs, {
            min: this.minLeadTimeMs,
            max: this.maxLeadTimeMs,
          });
    const windowSize = assertNumber('missRateWindow', options.missRateWindow ?? 200, {
      min: 1,
      integer: true,
    });
    this.window = new Uint8Array(windowSize);
  }

  get missRate(): number {
    const filled = this.beatCount < this.window.length ? this.beatCount : this.window.length;
    return filled === 0 ? 0 : this.windowMisses / filled;
  }

  /** Counts one beat; returns whether it missed. */
  count(outcome: BeatOutcome): boolean {
    const miss = isMiss(outcome);
    const slot = this.beatCount % this.window.length;
    if (this.beatCount >= this.window.length) this.windowMisses -= this.window[slot]!;
    this.window[slot] = miss ? 1 : 0;
    if (miss) {
      this.windowMisses += 1;
      this.missCount += 1;
    }
    this.beatCount += 1;
    return miss;
  }

  /** Stores `leadTimeMs` clamped to the bounds (no double return: nothing to box). */
  setLeadTime(leadTimeMs: number): void {
    this.leadTimeMs =
      leadTimeMs < this.minLeadTimeMs
        ? this.minLeadTimeMs
        : leadTimeMs > this.maxLeadTimeMs
          ? this.maxLeadTimeMs
          : leadTimeMs;
  }

  clamp(leadTimeMs: number): number {
    return leadTimeMs < this.minLeadTimeMs
      ? this.minLeadTimeMs
      : leadTimeMs > this.maxLeadTimeMs
        ? this.maxLeadTimeMs
        : leadTimeMs;
  }
}

/**
 * Whether a beat outcome is a miss; throws an `InvalidArgumentError` for a malformed one.
 * @internal
 */
export function isMiss(outcome: BeatOutcome): boolean {
  if (typeof outcome === 'object' && outcome !== null) {
    if ('hit' in outcome && typeof outcome.hit === 'boolean') return !outcome.hit;
    if ('readyAtMs' in outcome && Number.isFinite(outcome.readyAtMs) && Number.isFinite(outcome.deadlineMs)) {
      return outcome.readyAtMs > outcome.deadlineMs;
    }
  }
  throw new InvalidArgumentError(
    'outcome',
    'expected { readyAtMs, deadlineMs } with finite times or { hit: boolean }.',
  );
}
